// A small HTTP/1.1 server over tools/net's sockets: one thread per connection, keep-alive,
// Expect: 100-continue, Content-Length and chunked bodies read only when the app asks.
// (cpp-httplib's server cannot omit Content-Length on a 204, keep header case, or refuse a
// body before reading it, all of which the protocol needs.)
#pragma once

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "http_types.hpp"
#include "snapstate/net/socket.hpp"

namespace snapstate::devserver {

class HttpListener {
 public:
  using Handler = std::function<Response(const RequestHead&, BodyReader&)>;

  HttpListener() = default;
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  /// Binds, listens and starts the accept thread. @throws std::runtime_error
  void start(const std::string& host, int port, Handler handler);
  void stop();
  int port() const { return port_; }

 private:
  struct Connection {
    net::Fd fd;
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void accept_loop();
  void serve(Connection& conn);
  void reap(bool all);

  Handler handler_;
  std::optional<net::ListenSocket> socket_;
  std::optional<net::Waker> waker_;  // woken by stop(); the accept thread watches it
  int port_ = 0;                     // kept after stop()
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex mutex_;  // guards connections_ and every Connection::fd
  std::list<std::unique_ptr<Connection>> connections_;
};

}  // namespace snapstate::devserver
