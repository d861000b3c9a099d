// A canned-response HTTP/1.1 server on loopback for benchmarks: thread per connection,
// keep-alive, every request body read in full (Content-Length, Expect: 100-continue), responses
// precomputed from the real server's bodies, routed by method and path. Save bodies are
// compared byte for byte with the expected ones. GET /__stats answers its counters as JSON on
// a connection of its own, which is not counted as an accepted connection.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "snapstate/net/socket.hpp"

namespace bench {

struct ServerStats {
  std::uint64_t accepts = 0;   // connections accepted, /__stats connections excluded
  std::uint64_t requests = 0;  // requests answered, /__stats excluded
  std::uint64_t bad = 0;       // unknown routes, malformed requests, unexpected save bodies
  std::uint64_t cpu_us = 0;    // user + system CPU of the whole server process
};

class CannedServer {
 public:
  CannedServer();
  ~CannedServer();
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;

  int start(int port = 0);  // binds 127.0.0.1; returns the port
  void stop();
  ServerStats stats() const;

 private:
  struct Routes;
  void accept_loop();
  void serve(int fd);

  std::unique_ptr<Routes> routes_;
  std::optional<snapstate::net::ListenSocket> socket_;
  snapstate::net::Waker stop_;  // ends the accept loop
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> accepts_{0}, requests_{0}, bad_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::vector<int> fds_;  // open connections, each served by a detached thread
};

// Asks a server at 127.0.0.1:`port` for its counters over a fresh socket.
ServerStats fetch_stats(int port);

}  // namespace bench
