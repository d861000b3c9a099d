#include "curl_transport.hpp"

#include <string>
#include <utility>

namespace snapstate::detail {

namespace {

bool is_tls_error(CURLcode rc) {
  switch (rc) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED: return true;
    default: return false;
  }
}

// Only failures pay for building a message.
TransportFailure failure(CURLcode rc, CurlHandle& h, const HttpRequest& request,
                         std::size_t max_response_bytes) {
  const std::string what = std::string(method_name(request.method)) + " " + request.url;
  const std::string detail = h.error_text()[0] != '\0' ? h.error_text() : curl_easy_strerror(rc);
  if (h.too_large()) {
    return {FailureKind::too_large, false, h.response().status,
            what + ": the response is larger than max_response_bytes (" +
                std::to_string(max_response_bytes) + ")"};
  }
  if (rc == CURLE_ABORTED_BY_CALLBACK) {
    return {FailureKind::aborted, false, 0, what + ": the client was closed"};
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    curl_off_t pretransfer = 0;
    curl_easy_getinfo(h.easy(), CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
    const bool connected = pretransfer > 0;
    return {connected ? FailureKind::timeout : FailureKind::connect, !connected, 0,
            what + ": timed out: " + detail};
  }
  if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
      rc == CURLE_COULDNT_RESOLVE_PROXY) {
    return {FailureKind::connect, false, 0, what + ": " + detail};
  }
  if (is_tls_error(rc)) return {FailureKind::tls, false, 0, what + ": TLS error: " + detail};
  if (rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING ||
      rc == CURLE_PARTIAL_FILE || rc == CURLE_WEIRD_SERVER_REPLY) {
    return {FailureKind::dropped, false, 0, what + ": " + detail};
  }
  return {FailureKind::other, false, 0, what + ": " + detail};
}

}  // namespace

CurlTransport::CurlTransport(ClientOptions options, WireSettings wire)
    : options_(std::move(options)), wire_(std::move(wire)) {
  curl_global_init_once();
}

CurlTransport::~CurlTransport() {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.clear();
}

std::unique_ptr<CurlHandle> CurlTransport::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_.load()) return nullptr;
    if (!idle_.empty()) {
      auto h = std::move(idle_.back());
      idle_.pop_back();
      return h;
    }
  }
  return std::make_unique<CurlHandle>(options_, wire_, closing_);
}

void CurlTransport::release(std::unique_ptr<CurlHandle> handle) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closing_.load() || idle_.size() >= kMaxIdleHandles) return;  // freed here
  idle_.push_back(std::move(handle));
}

void CurlTransport::close() {
  closing_.store(true);
  std::vector<std::unique_ptr<CurlHandle>> doomed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    doomed.swap(idle_);
  }
}

TransportResult CurlTransport::send(const HttpRequest& request) {
  std::unique_ptr<CurlHandle> h;
  CURLcode rc = CURLE_OK;
  try {
    h = acquire();
    if (!h) return TransportFailure{FailureKind::aborted, false, 0, "the client is closed"};
    rc = h->perform(request);
  } catch (const CurlSetupError& e) {
    return TransportFailure{FailureKind::other, false, 0, e.what()};
  }
  const int status = h->response().status;
  // The server may give its verdict and close the connection while the body is still going out
  // (a body limit does this): with an error status in hand, that status is the answer, even if
  // the error body is cut short.
  const bool verdict_then_close =
      status >= 400 &&
      (rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR || rc == CURLE_PARTIAL_FILE);
  TransportResult result;
  if (rc == CURLE_OK || verdict_then_close) {
    result = std::move(h->response());
  } else {
    result = failure(rc, *h, request, options_.max_response_bytes);
  }
  release(std::move(h));
  return result;
}

}  // namespace snapstate::detail
