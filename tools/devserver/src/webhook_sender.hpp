// Webhook delivery, fire-and-forget on background threads: 5 s timeout, no retry, status
// ignored. Deliveries still queued when the server stops are dropped, as upstream's are.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "webhook_store.hpp"

namespace snapstate::devserver {

class WebhookSender {
 public:
  WebhookSender();
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  /// Queues a checkpoint.saved delivery to each of `hooks`.
  void checkpoint_saved(const std::vector<Webhook>& hooks, const std::string& workflow_id,
                        const std::string& checkpoint_id, double step);
  /// Drops queued deliveries and joins the workers (in-flight ones finish). Idempotent.
  void stop();

 private:
  struct Delivery {
    std::string url;
    std::string body;
    std::optional<std::string> secret;
  };
  void work();

  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::deque<Delivery> queue_;
  std::vector<std::thread> workers_;
};

}  // namespace snapstate::devserver
