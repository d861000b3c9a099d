#include "curl_transport.hpp"

#include <algorithm>
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
TransportFailure failure(const TransferResult& transfer, CurlHandle& h, const HttpRequest& request,
                         std::size_t max_response_bytes) {
  const CURLcode rc = transfer.code;
  const std::string what = std::string(method_name(request.method)) + " " + request.url;
  const std::string detail = h.error_text()[0] != '\0' ? h.error_text() : curl_easy_strerror(rc);
  if (transfer.interrupted)
    return {FailureKind::aborted, false, 0, what + ": the client was closed"};
  if (transfer.resend_refused) {
    return {FailureKind::dropped, false, 0,
            what +
                ": the connection closed before an answer came; the request is not sent "
                "again behind the caller's back"};
  }
  if (transfer.mismatched) {
    return {FailureKind::mismatched, false, h.response().status,
            what +
                ": the answer on this kept-alive connection belongs to another request "
                "than the one sent (Request-Id " +
                std::string(h.sent_request_id()) + ")"};
  }
  if (transfer.callback_failed) {
    return {FailureKind::other, false, 0, what + ": out of memory receiving the response"};
  }
  if (h.too_large()) {
    return {FailureKind::too_large, false, h.response().status,
            what + ": the response is larger than max_response_bytes (" +
                std::to_string(max_response_bytes) + ")"};
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
  idle_.reserve(kMaxIdleHandles);  // release() then never allocates
}

CurlTransport::~CurlTransport() {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.clear();
}

std::unique_ptr<CurlHandle> CurlTransport::acquire() {
  std::unique_ptr<CurlHandle> h;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_) return nullptr;
    if (!idle_.empty()) {
      h = std::move(idle_.back());
      idle_.pop_back();
      busy_.push_back(h.get());
      return h;
    }
  }
  h = std::make_unique<CurlHandle>(options_, wire_);
  std::lock_guard<std::mutex> lock(mutex_);
  if (closing_) return nullptr;  // closed while the handle was made
  busy_.push_back(h.get());
  return h;
}

void CurlTransport::release(std::unique_ptr<CurlHandle> handle, bool reusable) {
  std::unique_ptr<CurlHandle> doomed;
  std::lock_guard<std::mutex> lock(mutex_);
  busy_.erase(std::find(busy_.begin(), busy_.end(), handle.get()));
  if (closing_ || !reusable || idle_.size() >= kMaxIdleHandles) {
    doomed = std::move(handle);  // freed with its connection, after the lock is released
    return;
  }
  idle_.push_back(std::move(handle));
}

void CurlTransport::close() {
  std::vector<std::unique_ptr<CurlHandle>> doomed;
  std::lock_guard<std::mutex> lock(mutex_);
  closing_ = true;
  for (CurlHandle* h : busy_) h->interrupt();  // each returns from its transfer at once
  doomed.swap(idle_);
}

TransportResult CurlTransport::send(const HttpRequest& request, const AttemptLimits& limits) {
  std::unique_ptr<CurlHandle> h;
  try {
    h = acquire();
  } catch (const CurlSetupError& e) {
    return TransportFailure{FailureKind::other, false, 0, e.what()};
  }
  if (!h) return TransportFailure{FailureKind::aborted, false, 0, "the client is closed"};
  try {
    bool reusable = false;
    TransportResult result = exchange(*h, request, limits, reusable);
    release(std::move(h), reusable);
    return result;
  } catch (const CurlSetupError& e) {
    release(std::move(h), false);
    return TransportFailure{FailureKind::other, false, 0, e.what()};
  } catch (...) {
    release(std::move(h), false);  // never left leased, where close() would still reach it
    throw;
  }
}

TransportResult CurlTransport::exchange(CurlHandle& h, const HttpRequest& request,
                                        const AttemptLimits& limits, bool& reusable) const {
  const TransferResult transfer = h.perform(request, limits);
  const int status = h.response().status;
  // The server may give its verdict and close the connection while the body is still going out
  // (a body limit does this): with an error status in hand, that status is the answer, even if
  // the error body is cut short.
  const CURLcode rc = transfer.code;
  const bool verdict_then_close =
      status >= 400 && !transfer.interrupted && !transfer.mismatched &&
      (rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR || rc == CURLE_PARTIAL_FILE);
  const bool clean = rc == CURLE_OK && !transfer.mismatched;
  // A connection that carried a stale answer, or whose transfer was cut off, is not reused.
  reusable = clean;
  if (clean || verdict_then_close) return std::move(h.response());
  return failure(transfer, h, request, options_.max_response_bytes);
}

}  // namespace snapstate::detail
