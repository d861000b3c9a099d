#include "curl_handle.hpp"

#include <cctype>
#include <limits>
#include <string_view>

namespace snapstate::detail {

namespace {

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

}  // namespace

CurlHandle::CurlHandle(const ClientOptions& options, const WireSettings& wire,
                       const std::atomic<bool>& closing)
    : easy_(curl_easy_init()),
      wire_(wire),
      closing_(closing),
      max_body_(options.max_response_bytes) {
  if (!easy_) throw CurlSetupError("curl_easy_init failed");
  CURL* e = easy_.get();
  set_option(e, CURLOPT_NOSIGNAL, 1L, "NOSIGNAL");
  set_option(e, CURLOPT_ERRORBUFFER, error_, "ERRORBUFFER");
  set_option(e, CURLOPT_WRITEFUNCTION, &CurlHandle::on_body, "WRITEFUNCTION");
  set_option(e, CURLOPT_WRITEDATA, this, "WRITEDATA");
  set_option(e, CURLOPT_HEADERFUNCTION, &CurlHandle::on_header, "HEADERFUNCTION");
  set_option(e, CURLOPT_HEADERDATA, this, "HEADERDATA");
  set_option(e, CURLOPT_XFERINFOFUNCTION, &CurlHandle::on_progress, "XFERINFOFUNCTION");
  set_option(e, CURLOPT_XFERINFODATA, this, "XFERINFODATA");
  set_option(e, CURLOPT_NOPROGRESS, 0L, "NOPROGRESS");
  set_option(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()), "TIMEOUT_MS");
  set_option(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()),
             "CONNECTTIMEOUT_MS");
  set_option(e, CURLOPT_USERAGENT, options.user_agent.c_str(), "USERAGENT");
  set_option(e, CURLOPT_FOLLOWLOCATION, 0L, "FOLLOWLOCATION");  // the key never follows a redirect
  set_option(e, CURLOPT_PATH_AS_IS, 1L, "PATH_AS_IS");  // the path goes out exactly as built
  set_option(e, CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR");
  set_option(e, CURLOPT_TCP_KEEPALIVE, 1L, "TCP_KEEPALIVE");
  set_option(e, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L, "SSL_VERIFYPEER");
  set_option(e, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L, "SSL_VERIFYHOST");
  if (options.ca_bundle) set_option(e, CURLOPT_CAINFO, options.ca_bundle->c_str(), "CAINFO");
  if (options.proxy) set_option(e, CURLOPT_PROXY, options.proxy->c_str(), "PROXY");
}

void CurlHandle::reset_response() {
  response_.status = 0;
  response_.body.clear();
  response_.request_id.clear();
  response_.retry_after.clear();
  too_large_ = false;
  error_[0] = '\0';
}

void CurlHandle::link_headers(const HttpRequest& request) {
  header_nodes_.clear();
  const auto add = [this](const std::string& line) {
    // libcurl only reads the lines; they outlive the transfer (the transport's and the request's).
    header_nodes_.push_back(curl_slist{const_cast<char*>(line.c_str()), nullptr});
  };
  for (const auto& line : wire_.header_lines) add(line);
  if (request.has_body) {
    for (const auto& line : wire_.body_header_lines) add(line);
  }
  for (const auto& line : request.headers) add(line);
  for (std::size_t i = 0; i + 1 < header_nodes_.size(); ++i) {
    header_nodes_[i].next = &header_nodes_[i + 1];
  }
}

CURLcode CurlHandle::perform(const HttpRequest& request) {
  CURL* e = easy_.get();
  set_option(e, CURLOPT_URL, request.url.c_str(), "URL");
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
  set_option(e, CURLOPT_CUSTOMREQUEST, custom, "CUSTOMREQUEST");
  link_headers(request);
  set_option(e, CURLOPT_HTTPHEADER, header_nodes_.empty() ? nullptr : header_nodes_.data(),
             "HTTPHEADER");

  reset_response();
  const CURLcode rc = curl_easy_perform(e);
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  response_.status = static_cast<int>(status);

  // Nothing may point into the request once it is gone; clearing an option cannot fail.
  (void)curl_easy_setopt(e, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  if (post_like) (void)curl_easy_setopt(e, CURLOPT_POSTFIELDS, static_cast<char*>(nullptr));
  return rc;
}

std::size_t CurlHandle::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  auto* h = static_cast<CurlHandle*>(self);
  const std::size_t n = size * count;
  if (h->response_.body.size() + n > h->max_body_) {
    h->too_large_ = true;  // stop reading: the remainder is never buffered
    return 0;
  }
  h->response_.body.append(data, n);
  return n;
}

std::size_t CurlHandle::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  auto* h = static_cast<CurlHandle*>(self);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  HttpResponse& response = h->response_;
  if (line.rfind("HTTP/", 0) == 0) {
    response.request_id.clear();
    response.retry_after.clear();
    response.body.clear();
  } else if (iequals_prefix(line, "x-request-id")) {
    response.request_id = std::string(header_value(line, 12));
  } else if (iequals_prefix(line, "retry-after")) {
    response.retry_after = std::string(header_value(line, 11));
  } else if (iequals_prefix(line, "content-length")) {
    const auto value = header_value(line, 14);
    unsigned long long length = 0;
    for (const char c : value) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) return n;  // curl itself rejects it
      length = length > std::numeric_limits<unsigned long long>::max() / 10
                   ? length
                   : length * 10 + static_cast<unsigned long long>(c - '0');
    }
    if (length > h->max_body_) {
      h->too_large_ = true;  // refuse before reading a byte of the body
      return 0;
    }
    response.body.reserve(static_cast<std::size_t>(length) + h->wire_.receive_padding);
  }
  return n;
}

int CurlHandle::on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* h = static_cast<const CurlHandle*>(self);
  return h->closing_.load(std::memory_order_relaxed) ? 1 : 0;
}

}  // namespace snapstate::detail
