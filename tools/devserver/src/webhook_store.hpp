// Where webhook registrations live, per account (API key): in memory, or in the --data
// SQLite file. A save notifies the saving account's webhooks only: what the upstream code
// intends (upstream shares them among all keys through the same "[object Object]" bug as its
// rate limit).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snapstate::devserver {

struct Webhook {
  std::string webhook_id;
  std::string url;
  std::vector<std::string> events;
  std::optional<std::string> secret;
  std::int64_t created_ms = 0;
};

/// A new registration: a random wh_ id, created now.
Webhook new_webhook(std::string url, std::vector<std::string> events,
                    std::optional<std::string> secret);

/// Whether `hook` listens to `event`.
bool subscribes(const Webhook& hook, const std::string& event);

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  virtual void add(const std::string& account, const Webhook& hook) = 0;
  virtual bool remove(const std::string& account, const std::string& webhook_id) = 0;
  /// The account's webhooks subscribed to `event`, by webhook id.
  virtual std::vector<Webhook> subscribed(const std::string& account, const std::string& event) = 0;
};

}  // namespace snapstate::devserver
