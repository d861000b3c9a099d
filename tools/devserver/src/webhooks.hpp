// Webhook registrations and their delivery. Registrations are kept per API key, and a save
// notifies the saving key's webhooks only: what the upstream code intends (upstream shares
// them among all keys through the same "[object Object]" bug as its rate limit).
// Delivery is fire-and-forget on background threads: 5 s timeout, no retry, status ignored.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace snapstate::devserver {

struct Webhook {
  std::string webhook_id;
  std::string url;
  std::vector<std::string> events;
  std::optional<std::string> secret;
  std::int64_t created_ms = 0;
};

class Webhooks {
 public:
  Webhooks();
  ~Webhooks();
  Webhooks(const Webhooks&) = delete;
  Webhooks& operator=(const Webhooks&) = delete;

  Webhook add(const std::string& account, std::string url, std::vector<std::string> events,
              std::optional<std::string> secret);
  bool remove(const std::string& account, const std::string& webhook_id);
  /// Queues a checkpoint.saved delivery to each of the account's subscribed webhooks.
  void checkpoint_saved(const std::string& account, const std::string& workflow_id,
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
  std::map<std::string, std::map<std::string, Webhook>> accounts_;
  std::deque<Delivery> queue_;
  std::vector<std::thread> workers_;
};

}  // namespace snapstate::devserver
