// A loopback HTTP/1.1 proxy in front of a real server (the local SnapState server) that breaks
// the wire the way an unlucky network does, exchange by exchange, after the server has acted:
// the answer lost, replaced by a 502, held past the client's timeout, or a stale copy of an
// earlier answer sent in its place. Each client connection gets its own upstream connection,
// so keep-alive works end to end, and the proxy records every request it passes on.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "snapstate/net/socket.hpp"

namespace snapstate::testing {

enum class Fault {
  none,
  drop,             // the server answered; the client's connection closes without the answer
  bad_gateway,      // the server answered; the client gets a 502 instead (keep-alive)
  hold,             // the server answered; the answer is held for hold_for, then dropped
  stale_duplicate,  // the server answered; the client gets the previous answer on this
                    // connection instead, and the real one right after it
  idle_duplicate,   // the answer arrives, then a copy of it follows on the idle connection
  stale_cut,        // the server answered; the client gets the previous answer on this
                    // connection cut short by a byte, and the connection closes
};

class FaultProxy {
 public:
  // In front of 127.0.0.1:`upstream_port`.
  explicit FaultProxy(int upstream_port);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::string base_url() const;

  // The next `times` requests whose "METHOD /path" starts with `match` get `fault`.
  void inject(Fault fault, std::string match, int times = 1);
  // Every other request loses its answer (Fault::drop) with this probability, drawn from a
  // generator seeded with `seed`.
  void drop_at_random(double probability, std::uint64_t seed);
  void set_hold_for(std::chrono::milliseconds hold_for);

  // How many requests whose "METHOD /path" starts with `prefix` the proxy read and passed on
  // (the server received each, unless its connection had gone).
  std::size_t forwarded_count(const std::string& prefix) const;
  // How many faults were applied.
  std::size_t faults() const;

 private:
  struct Rule {
    Fault fault;
    std::string match;
    int times;
  };
  struct Connection {
    net::Fd client;
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void accept_loop();
  void serve(Connection& connection);
  Fault fault_for(const std::string& request_line);

  net::ListenSocket listener_;
  int upstream_port_;
  net::Waker stop_;
  mutable std::mutex mutex_;  // guards everything below
  std::deque<Rule> rules_;
  double drop_probability_ = 0;
  std::mt19937_64 random_;
  std::chrono::milliseconds hold_for_{3000};
  std::vector<std::string> forwarded_;
  std::size_t faults_ = 0;
  std::list<std::unique_ptr<Connection>> open_;
  std::thread acceptor_;
};

}  // namespace snapstate::testing
