// The libcurl transport: a pool of easy handles, each keeping its own keep-alive connection.
// A call leases a handle for its duration, so concurrent calls never share one and sequential
// calls from one thread reuse the same connection.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "transport.hpp"

namespace snapstate::detail {

struct CurlSettings {
  std::string api_key;
  std::string user_agent;
  std::chrono::milliseconds timeout{30000};
  std::chrono::milliseconds connect_timeout{10000};
  bool verify_tls = true;
  std::optional<std::string> ca_bundle;
  std::optional<std::string> proxy;
  std::size_t max_response_bytes = 16u << 20;
  std::size_t max_idle_handles = 16;
};

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlSettings settings);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  TransportResult send(const HttpRequest& request) override;
  void close() override;

  // Public so the C callbacks and helpers in the .cpp can name them.
  struct Handle;
  struct HeaderLists;

 private:
  std::unique_ptr<Handle> acquire();
  void release(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> make_handle() const;

  CurlSettings settings_;
  std::unique_ptr<HeaderLists> headers_;
  std::atomic<bool> closing_{false};
  std::mutex mutex_;
  std::vector<std::unique_ptr<Handle>> idle_;  // LIFO: the warmest connection first
};

}  // namespace snapstate::detail
