// The libcurl transport: a pool of easy handles, each keeping its own keep-alive connection.
// A call leases a handle for its duration, so concurrent calls never share one and sequential
// calls from one thread reuse the same connection. close() wakes every transfer in flight.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "curl_handle.hpp"
#include "snapstate/client.hpp"
#include "transport.hpp"

namespace snapstate::detail {

class CurlTransport final : public Transport {
 public:
  // `options` are the client's, checked and normalized; `wire` what every request carries.
  CurlTransport(ClientOptions options, WireSettings wire);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  TransportResult send(const HttpRequest& request, const AttemptLimits& limits) override;
  void close() override;

 private:
  static constexpr std::size_t kMaxIdleHandles = 16;

  std::unique_ptr<CurlHandle> acquire();
  // Back to the idle pool, or freed (with its connection) when `reusable` is false.
  void release(std::unique_ptr<CurlHandle> handle, bool reusable);
  // One transfer on a leased handle: its answer or failure, and whether the connection may
  // carry the next request.
  TransportResult exchange(CurlHandle& h, const HttpRequest& request, const AttemptLimits& limits,
                           bool& reusable) const;

  const ClientOptions options_;
  const WireSettings wire_;
  std::mutex mutex_;  // guards everything below
  bool closing_ = false;
  std::vector<std::unique_ptr<CurlHandle>> idle_;  // LIFO: the warmest connection first
  std::vector<CurlHandle*> busy_;                  // leased, woken by close()
};

}  // namespace snapstate::detail
