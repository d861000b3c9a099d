// A cpp-httplib server serving on its own thread, on a free loopback port. Its routes are set
// before it starts; it is stopped and joined however its owner goes away (a failed ASSERT too).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace snapstate::testing {

class HttpThread {
 public:
  // Throws std::runtime_error when no loopback port can be bound.
  explicit HttpThread(const std::function<void(httplib::Server&)>& routes);
  ~HttpThread();
  HttpThread(const HttpThread&) = delete;
  HttpThread& operator=(const HttpThread&) = delete;

  // "http://127.0.0.1:<port>" followed by `path`.
  std::string url(const std::string& path = "") const;

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace snapstate::testing
