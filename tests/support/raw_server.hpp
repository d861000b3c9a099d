// A loopback TCP server for the faults cpp-httplib cannot script: it answers each connection
// with raw bytes chosen by the test (or none at all) and then closes it. Binds to port 0.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "snapstate/net/socket.hpp"

namespace snapstate::testing {

// What the server does with one connection, in order: read, reply, close.
struct RawAction {
  enum class Read {
    nothing,       // reply at once, whatever the client sent
    headers,       // up to the blank line: a body, if any, is left unread
    whole_request  // headers plus Content-Length bytes of body
  };
  Read read = Read::whole_request;
  bool send_continue = false;          // answer "100 Continue" after the headers, before reading on
  std::size_t body_bytes_to_read = 0;  // with Read::headers: read this much of the body first
  std::string reply;                   // written verbatim; may be empty
  std::chrono::milliseconds delay{0};  // before replying
  // After replying, read and drop what the client still sends until it closes (at most 5 s),
  // as Node and the local server do after a 413, so the client sees no reset.
  bool drain_after_reply = false;
  // When set, the reply goes out one byte per interval: a server that is alive but too slow.
  std::chrono::milliseconds drip{0};
  // Close with a TCP reset (SO_LINGER 0) instead of an orderly FIN.
  bool reset = false;
};

// "HTTP/1.1 <status> <reason>" with Content-Type JSON, Content-Length, Connection: close and
// the extra header lines given ("name: value").
std::string raw_http_response(int status, const std::string& body,
                              const std::vector<std::string>& extra_headers = {});

class RawServer {
 public:
  RawServer();
  ~RawServer();
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  // Actions are used one per connection, in order; with none left the server answers a 500.
  void enqueue(RawAction action);
  std::size_t connection_count() const;
  // What was read on each connection so far (request line, headers and any body read).
  std::vector<std::string> received() const;
  std::string base_url() const;

 private:
  void run();
  void serve(int fd, const RawAction& action);

  net::ListenSocket socket_;
  net::Waker stop_;
  mutable std::mutex mutex_;
  std::deque<RawAction> actions_;
  std::vector<std::string> received_;
  std::thread thread_;
};

}  // namespace snapstate::testing
