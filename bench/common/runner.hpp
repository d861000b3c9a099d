// Runs one scenario: warm-up, then timed iterations on one or more threads; measures
// requests/s, CPU per 1,000 requests, latency percentiles, RSS (baseline, peak, samples), minor
// page faults and (on one thread) operator-new allocations per call, and the bench server's
// counters (connections opened, CPU share, rejected requests). The program links the counting
// operator new of tests/support/allocation_counter.cpp.
// The result is one JSON object, printed as one line by the bench executables.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

using Clock = std::chrono::steady_clock;

struct Spec {
  std::string impl;      // client, bare, naive
  std::string scenario;  // save_small, resume_1m_keys, threads_4, ...
  int iterations = 200;  // timed calls, over all threads
  int warmup = 10;
  int threads = 1;
  std::size_t body_bytes = 0;  // the large body of the scenario, for the RSS bound
  int port = 0;
  bool async = false;  // the calls run on the client's workers: no allocation count
};

// One call. Returns false when the answer is wrong; throws when the call fails. `start` is
// the call's start time for the latency; an op may move it earlier (async: the submit time).
using Op = std::function<bool(int thread, int i, Clock::time_point& start)>;

nlohmann::json run_scenario(const Spec& spec, const Op& op);

// Resident set size now, in KiB (VmRSS).
long current_rss_kb();

}  // namespace bench
