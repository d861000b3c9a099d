#include "http_thread.hpp"

#include <httplib.h>

#include <chrono>
#include <stdexcept>

namespace snapstate::testing {

HttpThread::HttpThread(const std::function<void(httplib::Server&)>& routes)
    : server_(std::make_unique<httplib::Server>()) {
  routes(*server_);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("HttpThread: no loopback port could be bound");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

HttpThread::~HttpThread() {
  server_->stop();
  thread_.join();
}

std::string HttpThread::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

}  // namespace snapstate::testing
