#include "curl_handle.hpp"

#include "body_buffer.hpp"
#include "redact.hpp"

#include <algorithm>
#include <limits>
#include <random>
#include <string_view>

namespace snapstate::detail {

namespace {

// A declared Content-Length is trusted for an up-front reserve up to this; a longer body grows
// as it arrives, so a hostile length never allocates what never comes.
constexpr std::size_t kMaxUpfrontReserve = 8u << 20;

// A body buffer smaller than this (a moved-from string's inline room) is swapped for the
// thread's spare one before receiving.
constexpr std::size_t kReceiveBufferMinimum = 64;

// The longest the wait for the socket lasts between two looks at the interrupt flag, should a
// wake-up ever be missed.
constexpr int kPollMs = 1000;

// `name` is lower case. ASCII case folding by hand: std::tolower is a locale-aware library
// call per byte, on every header line of every response.
bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = line[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != name[i]) return false;
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

constexpr std::string_view kRequestIdHeader = "Request-Id: ";

// The id is 64 random bits in hex: unique enough to tell answers apart and to find a request
// in the server's log, and short, since libcurl writes every header byte by byte.
constexpr std::size_t kRequestIdLength = 16;

void write_request_id(char* out) {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = engine();
  for (std::size_t i = 0; i < kRequestIdLength; ++i, bits >>= 4) out[i] = kHex[bits & 0xF];
}

}  // namespace

CurlHandle::CurlHandle(const ClientOptions& options, const WireSettings& wire)
    : easy_(curl_easy_init()),
      multi_(curl_multi_init()),
      wire_(wire),
      secret_(options.api_key),
      max_body_(options.max_response_bytes),
      request_id_line_(std::string(kRequestIdHeader) + std::string(kRequestIdLength, '0')) {
  if (!easy_ || !multi_) throw CurlSetupError("curl_easy_init or curl_multi_init failed");
  CURL* e = easy_.get();
  set_option(e, CURLOPT_NOSIGNAL, 1L, "NOSIGNAL");
  set_option(e, CURLOPT_ERRORBUFFER, error_, "ERRORBUFFER");
  set_option(e, CURLOPT_WRITEFUNCTION, &CurlHandle::on_body, "WRITEFUNCTION");
  set_option(e, CURLOPT_WRITEDATA, this, "WRITEDATA");
  set_option(e, CURLOPT_HEADERFUNCTION, &CurlHandle::on_header, "HEADERFUNCTION");
  set_option(e, CURLOPT_HEADERDATA, this, "HEADERDATA");
  // Called each time libcurl is about to send the request, once per connection it tries.
  set_option(e, CURLOPT_PREREQFUNCTION, &CurlHandle::on_prerequest, "PREREQFUNCTION");
  set_option(e, CURLOPT_PREREQDATA, this, "PREREQDATA");
  limits_ = AttemptLimits{options.timeout, options.connect_timeout};
  set_option(e, CURLOPT_TIMEOUT_MS, static_cast<long>(limits_.timeout.count()), "TIMEOUT_MS");
  set_option(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits_.connect_timeout.count()),
             "CONNECTTIMEOUT_MS");
  set_option(e, CURLOPT_USERAGENT, options.user_agent.c_str(), "USERAGENT");
  set_option(e, CURLOPT_FOLLOWLOCATION, 0L, "FOLLOWLOCATION");  // the key never follows a redirect
  set_option(e, CURLOPT_PATH_AS_IS, 1L, "PATH_AS_IS");  // the path goes out exactly as built
  // Only http and https. CURLOPT_PROTOCOLS_STR is 7.85's spelling; the bitmask it replaced
  // (deprecated since) is all that libcurl 7.80 to 7.84 have, e.g. Ubuntu 22.04's 7.81.
#if LIBCURL_VERSION_NUM >= 0x075500
  set_option(e, CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR");
#else
  set_option(e, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS),
             "PROTOCOLS");
#endif
  set_option(e, CURLOPT_TCP_KEEPALIVE, 1L, "TCP_KEEPALIVE");
  set_option(e, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L, "SSL_VERIFYPEER");
  set_option(e, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L, "SSL_VERIFYHOST");
  if (options.ca_bundle) set_option(e, CURLOPT_CAINFO, options.ca_bundle->c_str(), "CAINFO");
  if (options.proxy) set_option(e, CURLOPT_PROXY, options.proxy->c_str(), "PROXY");
}

void CurlHandle::reset_response() {
  response_.status = 0;
  // The body is received into this thread's body buffer, which the decoder hands back once it
  // has read the body: a response like the last one needs no allocation. The buffer is bounded
  // there (body_buffer.hpp); one that grew past that bound is never kept.
  if (response_.body.capacity() < kReceiveBufferMinimum) response_.body = take_body_buffer();
  response_.body.clear();
  response_.request_id.clear();
  response_.retry_after.clear();
  too_large_ = false;
  callback_failed_ = false;
  resend_refused_ = false;
  requests_sent_ = 0;
  error_[0] = '\0';
}

void CurlHandle::next_request_id() {
  write_request_id(request_id_line_.data() + kRequestIdHeader.size());
}

std::string_view CurlHandle::sent_request_id() const noexcept {
  return std::string_view(request_id_line_).substr(kRequestIdHeader.size());
}

void CurlHandle::link_headers(const HttpRequest& request) {
  header_nodes_.clear();
  const auto add = [this](const std::string& line) {
    // libcurl only reads the lines; they outlive the transfer (the transport's, the request's
    // and this handle's own).
    header_nodes_.push_back(curl_slist{const_cast<char*>(line.c_str()), nullptr});
  };
  for (const auto& line : wire_.header_lines) add(line);
  if (request.has_body) {
    for (const auto& line : wire_.body_header_lines) add(line);
  }
  for (const auto& line : request.headers) add(line);
  add(request_id_line_);
  for (std::size_t i = 0; i + 1 < header_nodes_.size(); ++i) {
    header_nodes_[i].next = &header_nodes_[i + 1];
  }
}

TransferResult CurlHandle::perform(const HttpRequest& request, const AttemptLimits& limits) {
  CURL* e = easy_.get();
  if (limits.timeout != limits_.timeout) {
    set_option(e, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout.count()), "TIMEOUT_MS");
    limits_.timeout = limits.timeout;
  }
  if (limits.connect_timeout != limits_.connect_timeout) {
    set_option(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()),
               "CONNECTTIMEOUT_MS");
    limits_.connect_timeout = limits.connect_timeout;
  }
  url_.apply(e, request);
  // Everything a previous request on this handle set is set again or reset.
  const bool post_like = request.method == Method::post || request.method == Method::patch;
  if (post_like) {
    set_option(e, CURLOPT_POST, 1L, "POST");
    set_option(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()),
               "POSTFIELDSIZE");
    set_option(e, CURLOPT_POSTFIELDS, request.body.c_str(), "POSTFIELDS");
  } else {
    set_option(e, CURLOPT_HTTPGET, 1L, "HTTPGET");
  }
  const char* custom = request.method == Method::patch ? "PATCH"
                       : request.method == Method::del ? "DELETE"
                                                       : nullptr;
  if (custom != custom_request_) {
    set_option(e, CURLOPT_CUSTOMREQUEST, custom, "CUSTOMREQUEST");
    custom_request_ = custom;
  }
  next_request_id();
  link_headers(request);
  set_option(e, CURLOPT_HTTPHEADER, header_nodes_.data(), "HTTPHEADER");
  method_ = request.method;

  reset_response();
  TransferResult result;
  result.code = run_transfer(result);
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  response_.status = static_cast<int>(status);
  result.resend_refused = resend_refused_;
  result.callback_failed = callback_failed_;

  // An answer on a connection whose peer echoes Request-Id must carry this request's: anything
  // else is an earlier answer left on the connection, and the real one may still be coming. An
  // answer cut short counts too (its status may be taken as the verdict), unless the cut came
  // before its Request-Id could.
  long new_connections = 0;
  curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &new_connections);
  const bool answered = status > 0;
  const bool echoed = answered && response_.request_id == sent_request_id();
  const bool foreign = !echoed && (!response_.request_id.empty() || result.code == CURLE_OK);
  if (new_connections > 0) {
    peer_echoes_ = echoed;  // the first answer on a connection cannot be a stale one
  } else if (answered && peer_echoes_ && foreign) {
    result.mismatched = true;
  }

  // Nothing may point into the request once it is gone; clearing an option cannot fail.
  (void)curl_easy_setopt(e, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  if (post_like) (void)curl_easy_setopt(e, CURLOPT_POSTFIELDS, static_cast<char*>(nullptr));
  return result;
}

CURLcode CurlHandle::run_transfer(TransferResult& result) {
  CURLM* multi = multi_.get();
  if (curl_multi_add_handle(multi, easy_.get()) != CURLM_OK) {
    throw CurlSetupError("curl_multi_add_handle failed");
  }
  CURLcode code = CURLE_OK;
  int running = 1;
  while (running > 0) {
    if (interrupted_.load(std::memory_order_acquire)) {
      result.interrupted = true;  // removing the handle below abandons the transfer
      code = CURLE_ABORTED_BY_CALLBACK;
      break;
    }
    if (curl_multi_perform(multi, &running) != CURLM_OK) {
      code = CURLE_FAILED_INIT;
      break;
    }
    if (running > 0 && curl_multi_poll(multi, nullptr, 0, kPollMs, nullptr) != CURLM_OK) {
      code = CURLE_FAILED_INIT;
      break;
    }
  }
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
    if (message->msg == CURLMSG_DONE && !result.interrupted) code = message->data.result;
  }
  curl_multi_remove_handle(multi, easy_.get());
  return code;
}

void CurlHandle::interrupt() noexcept {
  interrupted_.store(true, std::memory_order_release);
  curl_multi_wakeup(multi_.get());
}

int CurlHandle::on_prerequest(void* self, char*, char*, int, int) {
  auto* h = static_cast<CurlHandle*>(self);
  // libcurl sends a request again on a fresh connection when a reused one died before any
  // byte of the answer: harmless for a GET, a second write for anything else. Refused; the
  // caller learns the outcome is unknown and decides.
  if (++h->requests_sent_ > 1 && h->method_ != Method::get) {
    h->resend_refused_ = true;
    return CURL_PREREQFUNC_ABORT;
  }
  return CURL_PREREQFUNC_OK;
}

std::size_t CurlHandle::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  auto* h = static_cast<CurlHandle*>(self);
  const std::size_t n = size * count;
  if (h->response_.body.size() + n > h->max_body_) {
    h->too_large_ = true;  // stop reading: the remainder is never buffered
    return 0;
  }
  try {
    h->response_.body.append(data, n);
  } catch (...) {  // no exception may unwind through libcurl
    h->callback_failed_ = true;
    return 0;
  }
  return n;
}

std::size_t CurlHandle::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  auto* h = static_cast<CurlHandle*>(self);
  const std::size_t n = size * count;
  try {
    h->receive_header(std::string_view(data, n));
  } catch (...) {  // no exception may unwind through libcurl
    h->callback_failed_ = true;
    return 0;
  }
  return h->too_large_ ? 0 : n;
}

void CurlHandle::receive_header(std::string_view line) {
  HttpResponse& response = response_;
  if (line.rfind("HTTP/", 0) == 0) {
    response.request_id.clear();
    response.retry_after.clear();
    response.body.clear();
  } else if (iequals_prefix(line, "x-request-id")) {
    const auto value = header_value(line, 12);
    // An id that holds no key is kept as it came (what redact() would give) without the
    // character-by-character rewrite, on every response.
    if (!secret_.empty() && value.find(secret_) == std::string_view::npos) {
      response.request_id.assign(value);
    } else {
      response.request_id = redact(std::string(value), secret_);
    }
  } else if (iequals_prefix(line, "retry-after")) {
    response.retry_after = std::string(header_value(line, 11));
  } else if (iequals_prefix(line, "content-length")) {
    const auto value = header_value(line, 14);
    unsigned long long length = 0;
    for (const char c : value) {
      if (c < '0' || c > '9') return;  // curl itself rejects it
      length = length > std::numeric_limits<unsigned long long>::max() / 10
                   ? length
                   : length * 10 + static_cast<unsigned long long>(c - '0');
    }
    if (length > max_body_) {
      too_large_ = true;  // refuse before reading a byte of the body
      return;
    }
    const auto upfront =
        static_cast<std::size_t>(std::min<unsigned long long>(length, kMaxUpfrontReserve));
    response.body.reserve(upfront + wire_.receive_padding);
  }
}

}  // namespace snapstate::detail
