#include "webhook_store.hpp"

#include <algorithm>

#include "clock.hpp"
#include "crypto.hpp"

namespace snapstate::devserver {

Webhook new_webhook(std::string url, std::vector<std::string> events,
                    std::optional<std::string> secret) {
  Webhook w;
  w.webhook_id = "wh_" + random_hex(12);
  w.url = std::move(url);
  w.events = std::move(events);
  w.secret = std::move(secret);
  w.created_ms = now_ms();
  return w;
}

bool subscribes(const Webhook& hook, const std::string& event) {
  return std::find(hook.events.begin(), hook.events.end(), event) != hook.events.end();
}

}  // namespace snapstate::devserver
