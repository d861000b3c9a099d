// The bounded pool behind the async twins: its size bounds the concurrency, exceptions travel
// through the future, shutdown() drains the queue then joins, and a late submit fails.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "worker_pool.hpp"

namespace {

using snapstate::detail::WorkerPool;

std::exception_ptr closed() {
  return std::make_exception_ptr(std::runtime_error("closed"));
}

TEST(WorkerPool, RunsTasksAndHandsBackTheirResults) {
  WorkerPool pool(2);
  auto a = pool.submit([] { return 40; }, closed);
  auto b = pool.submit([] { return 2; }, closed);
  EXPECT_EQ(a.get() + b.get(), 42);
}

TEST(WorkerPool, NeverRunsMoreTasksAtOnceThanItHasThreads) {
  constexpr int kThreads = 3;
  WorkerPool pool(kThreads);
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  std::vector<std::future<void>> futures;
  for (int i = 0; i < 24; ++i) {
    futures.push_back(pool.submit(
        [&] {
          const int now = ++running;
          int seen = peak.load();
          while (now > seen && !peak.compare_exchange_weak(seen, now)) {
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          --running;
        },
        closed));
  }
  for (auto& f : futures) f.get();
  EXPECT_EQ(peak.load(), kThreads) << "24 tasks of 5 ms must have kept every worker busy";
}

TEST(WorkerPool, ZeroThreadsStillMeansOne) {
  WorkerPool pool(0);
  EXPECT_EQ(pool.submit([] { return 7; }, closed).get(), 7);
}

TEST(WorkerPool, ExceptionsArriveThroughTheFuture) {
  WorkerPool pool(1);
  auto f = pool.submit([]() -> int { throw std::invalid_argument("bad"); }, closed);
  EXPECT_THROW(f.get(), std::invalid_argument);
}

TEST(WorkerPool, ShutdownRunsWhatIsQueuedThenRefusesNewWork) {
  WorkerPool pool(1);
  std::promise<void> gate;
  auto blocker = pool.submit([&] { gate.get_future().wait(); }, closed);
  std::atomic<int> ran{0};
  std::vector<std::future<void>> queued;
  for (int i = 0; i < 5; ++i) queued.push_back(pool.submit([&] { ++ran; }, closed));
  std::thread stopper([&] { pool.shutdown(); });
  gate.set_value();
  stopper.join();
  EXPECT_EQ(ran.load(), 5) << "shutdown drains the queue before joining";
  blocker.get();
  auto late = pool.submit([] { return 1; }, closed);
  EXPECT_THROW(late.get(), std::runtime_error);
  pool.shutdown();  // idempotent
}

}  // namespace
