// One libcurl easy handle with its keep-alive connection, configured once, reused for request
// after request: the callbacks that collect a response, the header list linked per request, and
// the checks that keep a write from being sent twice and a stale answer from being believed.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "curl_easy.hpp"
#include "curl_url.hpp"
#include "snapstate/client.hpp"
#include "transport.hpp"

namespace snapstate::detail {

// What the client tells the wire besides the connection options: the header lines every
// request carries, and what the reader of a response body wants reserved after it.
struct WireSettings {
  std::vector<std::string> header_lines;       // on every request (Authorization, Accept)
  std::vector<std::string> body_header_lines;  // added when the request has a body
  std::size_t receive_padding = 0;             // spare capacity reserved after a sized body
};

// How one transfer ended, beyond libcurl's code.
struct TransferResult {
  CURLcode code = CURLE_OK;
  bool interrupted = false;      // close() woke the transfer and it was abandoned
  bool resend_refused = false;   // libcurl wanted to send a write again on a new connection
  bool mismatched = false;       // the answer carries another request's Request-Id
  bool callback_failed = false;  // a callback could not store what arrived (out of memory)
};

class CurlHandle {
 public:
  // Sets everything that does not change between requests.
  CurlHandle(const ClientOptions& options, const WireSettings& wire);
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;

  // Runs one request on this handle's connection; returns early once interrupt() is called.
  // On CURLE_OK (or an error status followed by a closed connection) response() holds the
  // answer. After a refused re-send, a mismatched answer or an interruption the connection
  // must not be reused: the caller drops the handle.
  TransferResult perform(const HttpRequest& request, const AttemptLimits& limits);

  // Wakes a perform() in progress on another thread, which then abandons its transfer.
  // Thread-safe; a no-op when nothing is in progress.
  void interrupt() noexcept;

  CURL* easy() const noexcept { return easy_.get(); }
  HttpResponse& response() noexcept { return response_; }
  bool too_large() const noexcept { return too_large_; }
  const char* error_text() const noexcept { return error_; }
  // The Request-Id of the last request sent on this handle.
  std::string_view sent_request_id() const noexcept;

 private:
  struct MultiDeleter {
    void operator()(CURLM* multi) const noexcept { curl_multi_cleanup(multi); }
  };

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  static int on_prerequest(void* self, char*, char*, int, int);

  void reset_response();
  void link_headers(const HttpRequest& request);
  void next_request_id();
  CURLcode run_transfer(TransferResult& result);
  void receive_header(std::string_view line);

  RequestUrl url_;  // the request's URL, parsed for libcurl; outlives the easy handle using it
  EasyPtr easy_;
  // The transfer runs on a multi handle of its own, so another thread can wake it
  // (curl_multi_wakeup) instead of waiting for libcurl's next progress tick.
  std::unique_ptr<CURLM, MultiDeleter> multi_;
  std::atomic<bool> interrupted_{false};
  char error_[CURL_ERROR_SIZE] = {};
  const WireSettings& wire_;
  std::string_view secret_;  // the API key: redacted from the request id a server hands back
  std::size_t max_body_ = 0;
  // The request's header list: nodes owned here, pointing at lines owned by the transport, by
  // the request and by this handle (the Request-Id), relinked for each request.
  std::vector<curl_slist> header_nodes_;
  std::string request_id_line_;  // "Request-Id: <16 hex digits>", a fresh id for every attempt
  AttemptLimits limits_;         // what the handle's timeout options are set to now
  const char* custom_request_ = nullptr;  // what CURLOPT_CUSTOMREQUEST is set to now
  // Per-transfer state.
  Method method_ = Method::get;
  int requests_sent_ = 0;  // how often libcurl was about to send the request in this transfer
  bool resend_refused_ = false;
  bool callback_failed_ = false;
  // Whether the peer of the current connection echoes Request-Id as x-request-id, learned from
  // the first answer on the connection; only then can a stale answer be told from the right one.
  bool peer_echoes_ = false;
  // Per-response state, reset before each request and at each status line (100 Continue).
  HttpResponse response_;
  bool too_large_ = false;
};

}  // namespace snapstate::detail
