// A webhook receiver on a free loopback port (cpp-httplib) that records every delivery.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http_thread.hpp"

namespace dstest {

struct Delivery {
  std::string path;
  std::string body;
  std::string content_type;
  std::string user_agent;
  std::optional<std::string> signature;
};

/// Answers every POST with a 500 (the sender ignores the status); POST /slow after 1.5 s.
class Receiver {
 public:
  Receiver();

  std::string url(const std::string& path) const;
  /// The deliveries so far, once there are `n` of them or `timeout` has passed.
  std::vector<Delivery> wait_for(std::size_t n,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Delivery> received_;
  snapstate::testing::HttpThread server_;  // last: stopped before what its handler uses
};

}  // namespace dstest
