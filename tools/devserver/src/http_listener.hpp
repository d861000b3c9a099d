// A small HTTP/1.1 server over tools/net's sockets: one thread per connection (at most
// `max_connections`; one more is answered 503 and closed), keep-alive, Expect: 100-continue,
// Content-Length and chunked bodies read only when the app asks. A connection that opens with
// a TLS handshake is closed at once, so a client given https:// fails fast. Every read goes
// through snapstate_net, which resumes after a signal (EINTR).
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
  /// Told about a connection closed unserved, for the server's log.
  using Notice = std::function<void(const std::string&)>;

  HttpListener() = default;
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  /// Binds, listens and starts the accept thread. @throws std::runtime_error
  void start(const std::string& host, int port, std::size_t max_connections, Handler handler,
             Notice notice);
  void stop();
  int port() const { return port_; }

 private:
  struct Connection {
    net::Fd fd;
    std::thread thread;
    std::atomic<bool> done{false};
    bool refused = false;  // over the cap: answered 503, not served
  };

  void accept_loop();
  void admit(net::Fd fd);
  void serve(Connection& conn);
  void refuse(Connection& conn);
  void finish(Connection& conn);
  void reap(bool all);

  Handler handler_;
  Notice notice_;
  std::size_t max_connections_ = 0;
  std::optional<net::ListenSocket> socket_;
  std::optional<net::Waker> waker_;  // woken by stop(); the accept thread watches it
  int port_ = 0;                     // kept after stop()
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex mutex_;  // guards connections_ and every Connection::fd
  std::list<std::unique_ptr<Connection>> connections_;
};

}  // namespace snapstate::devserver
