// One libcurl easy handle with its keep-alive connection, configured once, reused for request
// after request: the callbacks that collect a response, and the header list linked per request.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "curl_easy.hpp"
#include "snapstate/client.hpp"
#include "transport.hpp"

namespace snapstate::detail {

// What the client tells the wire besides the connection options: the header lines every
// request carries, and what the reader of a response body wants reserved after it.
struct WireSettings {
  std::vector<std::string> header_lines;       // on every request (Authorization, Accept)
  std::vector<std::string> body_header_lines;  // added when the request has a body
  std::size_t receive_padding = 0;             // spare capacity after each body, zero-filled
};

class CurlHandle {
 public:
  // Sets everything that does not change between requests. `closing` aborts a transfer.
  CurlHandle(const ClientOptions& options, const WireSettings& wire,
             const std::atomic<bool>& closing);
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;

  // Runs one request on this handle's connection. On CURLE_OK (or an error status followed by
  // a closed connection) response() holds the answer.
  CURLcode perform(const HttpRequest& request);

  CURL* easy() const noexcept { return easy_.get(); }
  HttpResponse& response() noexcept { return response_; }
  bool too_large() const noexcept { return too_large_; }
  const char* error_text() const noexcept { return error_; }

 private:
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

  void reset_response();
  void link_headers(const HttpRequest& request);

  EasyPtr easy_;
  char error_[CURL_ERROR_SIZE] = {};
  const WireSettings& wire_;
  const std::atomic<bool>& closing_;
  std::size_t max_body_ = 0;
  // The request's header list: nodes owned here, pointing at lines owned by the transport and
  // by the request, relinked for each request without allocating.
  std::vector<curl_slist> header_nodes_;
  // Per-response state, reset before each request and at each status line (100 Continue).
  HttpResponse response_;
  bool too_large_ = false;
};

}  // namespace snapstate::detail
