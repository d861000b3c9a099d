#include "runner.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "allocation_counter.hpp"
#include "canned_server.hpp"

namespace bench {

namespace {

double process_cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto s = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

long status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
  }
  return -1;
}

// Resets VmHWM to the current RSS, so the peak seen afterwards belongs to the loop alone.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0.0;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(index, sorted.size() - 1)];
}

struct Counters {
  std::atomic<int> failures{0}, wrong{0};
  std::string first_error;
  std::mutex mutex;
};

void call(const Op& op, int thread, int i, Counters& counters, std::vector<double>* latencies) {
  auto start = Clock::now();
  try {
    if (!op(thread, i, start)) counters.wrong.fetch_add(1);
  } catch (const std::exception& e) {
    if (counters.failures.fetch_add(1) == 0) {
      std::lock_guard<std::mutex> lock(counters.mutex);
      counters.first_error = e.what();
    }
  }
  if (latencies != nullptr) {
    latencies->push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
}

}  // namespace

long current_rss_kb() {
  return status_kb("VmRSS");
}

nlohmann::json run_scenario(const Spec& spec, const Op& op) {
  Counters counters;
  const auto before = fetch_stats(spec.port);
  // Baseline: the payloads are built and the client exists, no call made yet; the peak then
  // covers warm-up and the timed loop.
  const bool peak_reset = reset_peak_rss();
  const long rss_base = current_rss_kb();
  for (int i = 0; i < spec.warmup; ++i) call(op, 0, i, counters, nullptr);
  std::vector<long> rss_samples;

  const int threads = std::max(1, spec.threads);
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
  const auto warm = fetch_stats(spec.port);
  const double cpu0 = process_cpu_s();
  const long faults0 = minor_faults();
  // Counted on this thread, so only where the calls run on it (not threads_N, not async_N);
  // the RSS samples are taken outside the count.
  std::uint64_t allocations = 0;
  const auto t0 = Clock::now();
  if (threads == 1) {
    auto& lat = latencies[0];
    lat.reserve(static_cast<std::size_t>(spec.iterations));
    rss_samples.reserve(16);
    const int every = std::max(1, spec.iterations / 10);
    for (int i = 0; i < spec.iterations; ++i) {
      allocations +=
          snapstate::testing::allocations_of([&] { call(op, 0, i, counters, &lat); }).calls;
      if ((i + 1) % every == 0) rss_samples.push_back(current_rss_kb());
    }
  } else {
    std::atomic<int> ready{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        auto& lat = latencies[static_cast<std::size_t>(t)];
        ready.fetch_add(1);
        while (ready.load() < threads) std::this_thread::yield();
        for (int i = t; i < spec.iterations; i += threads) call(op, t, i, counters, &lat);
      });
    }
    for (auto& th : pool) th.join();
  }
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu = process_cpu_s() - cpu0;
  const long faults = minor_faults() - faults0;
  const auto after = fetch_stats(spec.port);

  std::vector<double> all;
  for (const auto& lat : latencies) all.insert(all.end(), lat.begin(), lat.end());
  std::sort(all.begin(), all.end());
  const long rss_peak = peak_reset ? status_kb("VmHWM") : -1;
  const auto requests = static_cast<std::uint64_t>(spec.warmup + spec.iterations);
  nlohmann::json out = {
      {"impl", spec.impl},
      {"scenario", spec.scenario},
      {"threads", threads},
      {"iterations", spec.iterations},
      {"wall_s", wall},
      {"rps", static_cast<double>(spec.iterations) / wall},
      {"ms_per_call", wall * 1000.0 / spec.iterations},
      {"cpu_ms_per_1k", cpu * 1e6 / spec.iterations},
      {"minor_faults_per_call", static_cast<double>(faults) / spec.iterations},
      {"p50_us", percentile(all, 0.50)},
      {"p99_us", percentile(all, 0.99)},
      {"rss_base_kb", rss_base},
      {"rss_peak_kb", rss_peak},
      {"rss_samples_kb", rss_samples},
      {"body_bytes", spec.body_bytes},
      {"connections", after.accepts - before.accepts},
      {"server_requests", after.requests - before.requests},
      {"server_bad", after.bad - before.bad},
      {"server_cpu_share", static_cast<double>(after.cpu_us - warm.cpu_us) / 1e6 / wall},
      {"failures", counters.failures.load()},
      {"wrong", counters.wrong.load()},
      {"first_error", counters.first_error},
      {"requests_expected", requests},
  };
  if (threads == 1 && !spec.async) {
    out["allocations_per_call"] = static_cast<double>(allocations) / spec.iterations;
  }
  return out;
}

}  // namespace bench
