#include "webhook_receiver.hpp"

#include <httplib.h>

#include <stdexcept>

namespace dstest {

Receiver::Receiver() : server_(std::make_unique<httplib::Server>()) {
  server_->Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    Delivery d{req.path, req.body, req.get_header_value("Content-Type"),
               req.get_header_value("User-Agent"), std::nullopt};
    if (req.has_header("X-Checkpoint-Signature"))
      d.signature = req.get_header_value("X-Checkpoint-Signature");
    {
      std::lock_guard<std::mutex> lock(mutex_);
      received_.push_back(std::move(d));
    }
    cv_.notify_all();
    res.status = 500;
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("the webhook receiver cannot bind");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

Receiver::~Receiver() {
  server_->stop();
  thread_.join();
}

std::string Receiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<Delivery> Receiver::wait_for(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return received_.size() >= n; });
  return received_;
}

}  // namespace dstest
