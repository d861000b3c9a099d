#include "webhook_store.hpp"

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

}  // namespace snapstate::devserver
