#include "worker_pool.hpp"

namespace snapstate::detail {

bool WorkerPool::enqueue(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return false;
    queue_.push_back(std::move(job));
    if (threads_.size() < size_) {
      // Started lazily: one more worker per submitted job until the pool is full.
      threads_.emplace_back([this] { run(); });
    }
  }
  ready_.notify_one();
  return true;
}

void WorkerPool::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();  // a packaged_task: exceptions land in its future
  }
}

void WorkerPool::shutdown() {
  std::vector<std::thread> others;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    // A worker shutting its own pool down (close() from an observer of an async call) cannot
    // join itself: it stays in threads_, and the destructor, run later on another thread (the
    // client's owner), joins it.
    for (auto it = threads_.begin(); it != threads_.end();) {
      if (it->get_id() == std::this_thread::get_id()) {
        ++it;
      } else {
        others.push_back(std::move(*it));
        it = threads_.erase(it);
      }
    }
  }
  ready_.notify_all();
  for (auto& thread : others) thread.join();
}

WorkerPool::~WorkerPool() {
  shutdown();  // joins every worker, and the one a worker's own shutdown() left behind
}

}  // namespace snapstate::detail
