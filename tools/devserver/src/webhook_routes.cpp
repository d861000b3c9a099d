// POST /webhooks and DELETE /webhooks/:id (there is no list route).
#include "app.hpp"
#include "clock.hpp"
#include "responses.hpp"

namespace snapstate::devserver {

Response create_webhook(Context& ctx, Call& call) {
  const json::Value& body = call.body;  // validated: url, events (coerced to an array), secret?
  std::vector<std::string> events;
  for (const auto& e : body.find("events")->items) events.push_back(e.text);
  std::optional<std::string> secret;
  if (const json::Value* s = body.find("secret")) secret = s->text;
  const Webhook hook = new_webhook(body.find("url")->text, std::move(events), std::move(secret));
  ctx.storage.webhooks->add(call.api_key, hook);
  json::Value list = json::Value::array();
  for (const auto& e : hook.events) list.push(json::Value::from_string(e));
  json::Value v = json::Value::object();  // the secret is never echoed
  v.set("webhook_id", json::Value::from_string(hook.webhook_id));
  v.set("url", json::Value::from_string(hook.url));
  v.set("events", std::move(list));
  v.set("created_at", json::Value::from_string(iso8601(hook.created_ms)));
  return json_response(201, v, call.request_id);
}

Response delete_webhook(Context& ctx, Call& call) {
  if (!ctx.storage.webhooks->remove(call.api_key, call.param)) {
    return app_error(404, "NOT_FOUND", "Webhook " + call.param + " not found", call.request_id);
  }
  return no_content(call.request_id);
}

}  // namespace snapstate::devserver
