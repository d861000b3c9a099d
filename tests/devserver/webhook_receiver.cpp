#include "webhook_receiver.hpp"

#include <httplib.h>

#include <chrono>
#include <thread>

namespace dstest {

Receiver::Receiver()
    : server_([this](httplib::Server& server) {
        server.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
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
      }) {}

std::string Receiver::url(const std::string& path) const {
  return server_.url(path);
}

std::vector<Delivery> Receiver::wait_for(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return received_.size() >= n; });
  return received_;
}

}  // namespace dstest
