#include "curl_transport.hpp"

#include "json_reader.hpp"

#include <curl/curl.h>

#include <cctype>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string_view>

namespace snapstate::detail {

namespace {

struct EasyDeleter {
  void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// A failure to configure a handle: a bug or an unsupported libcurl build, never a network error.
struct SetupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void check(CURLcode rc, const char* what) {
  if (rc != CURLE_OK) {
    throw SetupError(std::string("libcurl refused ") + what + ": " + curl_easy_strerror(rc));
  }
}

template <class T>
void set(CURL* easy, CURLoption option, T value, const char* what) {
  check(curl_easy_setopt(easy, option, value), what);
}

void append(SlistPtr& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) throw std::bad_alloc();
  (void)list.release();
  list.reset(grown);
}

// curl_global_init is not thread-safe and must run once per process; it is never undone here,
// since other code in the process may still use libcurl.
void global_init_once() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  check(rc, "curl_global_init");
}

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

std::string_view header_value(std::string_view line, std::size_t name_size) {
  line.remove_prefix(name_size + 1);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ' ||
                           line.back() == '\t')) {
    line.remove_suffix(1);
  }
  return line;
}

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

}  // namespace

struct CurlTransport::HeaderLists {
  SlistPtr without_body;  // Authorization, Accept
  SlistPtr with_body;     // the same plus Content-Type
  std::vector<std::string> lines;
};

struct CurlTransport::Handle {
  EasyPtr easy;
  char error[CURL_ERROR_SIZE] = {};
  const std::atomic<bool>* closing = nullptr;
  std::size_t max_body = 0;
  // Per-response state, reset before each request and at each status line (100 Continue).
  HttpResponse response;
  bool too_large = false;

  void reset_response() {
    response.status = 0;
    response.body.clear();
    response.request_id.clear();
    response.retry_after.clear();
    too_large = false;
    error[0] = '\0';
  }
};

namespace {

using Handle = CurlTransport::Handle;

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* h = static_cast<Handle*>(user);
  const std::size_t n = size * count;
  if (h->response.body.size() + n > h->max_body) {
    h->too_large = true;  // stop reading: the remainder is never buffered
    return 0;
  }
  h->response.body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* h = static_cast<Handle*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    h->response.request_id.clear();
    h->response.retry_after.clear();
    h->response.body.clear();
  } else if (iequals_prefix(line, "x-request-id")) {
    h->response.request_id = std::string(header_value(line, 12));
  } else if (iequals_prefix(line, "retry-after")) {
    h->response.retry_after = std::string(header_value(line, 11));
  } else if (iequals_prefix(line, "content-length")) {
    const auto value = header_value(line, 14);
    unsigned long long length = 0;
    for (const char c : value) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) return n;  // curl itself rejects it
      length = length > std::numeric_limits<unsigned long long>::max() / 10
                   ? length
                   : length * 10 + static_cast<unsigned long long>(c - '0');
    }
    if (length > h->max_body) {
      h->too_large = true;  // refuse before reading a byte of the body
      return 0;
    }
    // Room for the JSON reader's padding too, so it never has to copy the body.
    h->response.body.reserve(static_cast<std::size_t>(length) + kJsonPadding);
  }
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* h = static_cast<const Handle*>(user);
  return h->closing->load(std::memory_order_relaxed) ? 1 : 0;
}

}  // namespace

CurlTransport::CurlTransport(CurlSettings settings)
    : settings_(std::move(settings)), headers_(std::make_unique<HeaderLists>()) {
  global_init_once();
  // Built once and shared read-only by every handle: no per-call header allocations.
  append(headers_->without_body, "Authorization: Bearer " + settings_.api_key);
  append(headers_->without_body, "Accept: application/json");
  append(headers_->with_body, "Authorization: Bearer " + settings_.api_key);
  append(headers_->with_body, "Accept: application/json");
  append(headers_->with_body, "Content-Type: application/json");
}

CurlTransport::~CurlTransport() {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.clear();
}

std::unique_ptr<CurlTransport::Handle> CurlTransport::make_handle() const {
  auto h = std::make_unique<Handle>();
  h->easy.reset(curl_easy_init());
  if (!h->easy) throw SetupError("curl_easy_init failed");
  h->closing = &closing_;
  h->max_body = settings_.max_response_bytes;
  CURL* e = h->easy.get();
  // Everything that does not change between requests is set once per handle.
  set(e, CURLOPT_NOSIGNAL, 1L, "NOSIGNAL");
  set(e, CURLOPT_ERRORBUFFER, h->error, "ERRORBUFFER");
  set(e, CURLOPT_WRITEFUNCTION, &on_body, "WRITEFUNCTION");
  set(e, CURLOPT_WRITEDATA, h.get(), "WRITEDATA");
  set(e, CURLOPT_HEADERFUNCTION, &on_header, "HEADERFUNCTION");
  set(e, CURLOPT_HEADERDATA, h.get(), "HEADERDATA");
  set(e, CURLOPT_XFERINFOFUNCTION, &on_progress, "XFERINFOFUNCTION");
  set(e, CURLOPT_XFERINFODATA, h.get(), "XFERINFODATA");
  set(e, CURLOPT_NOPROGRESS, 0L, "NOPROGRESS");
  set(e, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()), "TIMEOUT_MS");
  set(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout.count()),
      "CONNECTTIMEOUT_MS");
  set(e, CURLOPT_USERAGENT, settings_.user_agent.c_str(), "USERAGENT");
  set(e, CURLOPT_FOLLOWLOCATION, 0L, "FOLLOWLOCATION");  // the key never follows a redirect
  set(e, CURLOPT_PATH_AS_IS, 1L, "PATH_AS_IS");          // the path goes out exactly as built
  set(e, CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR");
  set(e, CURLOPT_TCP_KEEPALIVE, 1L, "TCP_KEEPALIVE");
  set(e, CURLOPT_SSL_VERIFYPEER, settings_.verify_tls ? 1L : 0L, "SSL_VERIFYPEER");
  set(e, CURLOPT_SSL_VERIFYHOST, settings_.verify_tls ? 2L : 0L, "SSL_VERIFYHOST");
  if (settings_.ca_bundle) set(e, CURLOPT_CAINFO, settings_.ca_bundle->c_str(), "CAINFO");
  if (settings_.proxy) set(e, CURLOPT_PROXY, settings_.proxy->c_str(), "PROXY");
  return h;
}

std::unique_ptr<CurlTransport::Handle> CurlTransport::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_.load()) return nullptr;
    if (!idle_.empty()) {
      auto h = std::move(idle_.back());
      idle_.pop_back();
      return h;
    }
  }
  return make_handle();
}

void CurlTransport::release(std::unique_ptr<Handle> handle) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closing_.load() || idle_.size() >= settings_.max_idle_handles) return;  // freed here
  idle_.push_back(std::move(handle));
}

void CurlTransport::close() {
  closing_.store(true);
  std::vector<std::unique_ptr<Handle>> doomed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    doomed.swap(idle_);
  }
}

namespace {

// Sets everything per request on a reused handle; returns the extra header list to keep alive
// until the transfer is done.
SlistPtr prepare(CURL* e, const HttpRequest& request, const CurlTransport::HeaderLists& headers) {
  SlistPtr extra;
  set(e, CURLOPT_URL, request.url.c_str(), "URL");
  // Reset everything a previous request on this handle may have left behind.
  const bool post_like = request.method == Method::post || request.method == Method::patch;
  if (post_like) {
    set(e, CURLOPT_POST, 1L, "POST");
  } else {
    set(e, CURLOPT_HTTPGET, 1L, "HTTPGET");
  }
  const char* custom = request.method == Method::patch ? "PATCH"
                       : request.method == Method::del ? "DELETE"
                                                       : nullptr;
  set(e, CURLOPT_CUSTOMREQUEST, custom, "CUSTOMREQUEST");
  if (post_like) {
    set(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()),
        "POSTFIELDSIZE");
    set(e, CURLOPT_POSTFIELDS, request.body.c_str(), "POSTFIELDS");
  }
  curl_slist* base = request.has_body ? headers.with_body.get() : headers.without_body.get();
  if (!request.headers.empty()) {
    for (const curl_slist* it = base; it != nullptr; it = it->next) append(extra, it->data);
    for (const auto& line : request.headers) append(extra, line);
    base = extra.get();
  }
  set(e, CURLOPT_HTTPHEADER, base, "HTTPHEADER");
  return extra;
}

// Only failures pay for building a message.
TransportFailure failure(CURLcode rc, Handle& h, const HttpRequest& request,
                         std::size_t max_response_bytes) {
  const std::string what = std::string(method_name(request.method)) + " " + request.url;
  const std::string detail = h.error[0] != '\0' ? h.error : curl_easy_strerror(rc);
  if (h.too_large) {
    return {FailureKind::too_large, false, h.response.status,
            what + ": the response is larger than max_response_bytes (" +
                std::to_string(max_response_bytes) + ")"};
  }
  if (rc == CURLE_ABORTED_BY_CALLBACK) {
    return {FailureKind::aborted, false, 0, what + ": the client was closed"};
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    curl_off_t pretransfer = 0;
    curl_easy_getinfo(h.easy.get(), CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
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

TransportResult CurlTransport::send(const HttpRequest& request) {
  std::unique_ptr<Handle> h;
  try {
    h = acquire();
  } catch (const SetupError& e) {
    return TransportFailure{FailureKind::other, false, 0, e.what()};
  }
  if (!h) return TransportFailure{FailureKind::aborted, false, 0, "the client is closed"};

  CURL* e = h->easy.get();
  SlistPtr extra;
  try {
    extra = prepare(e, request, *headers_);
  } catch (const SetupError& err) {
    return TransportFailure{FailureKind::other, false, 0, err.what()};
  }

  h->reset_response();
  const CURLcode rc = curl_easy_perform(e);
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  h->response.status = static_cast<int>(status);

  // The server may give its verdict and close the connection while the body is still going out
  // (a body limit does this): with an error status in hand, that status is the answer, even if
  // the error body is cut short.
  const bool verdict_then_close =
      status >= 400 &&
      (rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR || rc == CURLE_PARTIAL_FILE);
  TransportResult result;
  if (rc == CURLE_OK || verdict_then_close) {
    result = std::move(h->response);
  } else {
    result = failure(rc, *h, request, settings_.max_response_bytes);
  }
  // Drop the pointer to `extra`, freed on return; clearing an option cannot fail.
  (void)curl_easy_setopt(e, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  release(std::move(h));
  return result;
}

const char* method_name(Method method) noexcept {
  switch (method) {
    case Method::get: return "GET";
    case Method::post: return "POST";
    case Method::patch: return "PATCH";
    case Method::del: return "DELETE";
  }
  return "GET";
}

}  // namespace snapstate::detail
