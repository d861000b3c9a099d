// The bounded pool behind the async_* calls: a fixed number of threads, started on first use,
// draining its queue and joining on shutdown.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace snapstate::detail {

class WorkerPool {
 public:
  explicit WorkerPool(std::size_t threads) : size_(threads == 0 ? 1 : threads) {}
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; after shutdown() the future holds the exception `on_closed()` returns.
  template <class F, class OnClosed>
  auto submit(F task, OnClosed on_closed) -> std::future<std::invoke_result_t<F>> {
    using R = std::invoke_result_t<F>;
    auto packaged = std::make_shared<std::packaged_task<R()>>(std::move(task));
    auto future = packaged->get_future();
    if (!enqueue([packaged] { (*packaged)(); })) {
      std::promise<R> failed;
      failed.set_exception(on_closed());
      return failed.get_future();
    }
    return future;
  }

  // Runs what is queued, then joins the workers (a worker calling it joins the others and is
  // joined by the destructor). Idempotent.
  void shutdown();

 private:
  bool enqueue(std::function<void()> job);
  void run();

  const std::size_t size_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

}  // namespace snapstate::detail
