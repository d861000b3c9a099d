#include "webhook_sender.hpp"

#include <httplib.h>

#include "clock.hpp"
#include "crypto.hpp"
#include "js_stringify.hpp"
#include "json_value.hpp"

namespace snapstate::devserver {
namespace {

constexpr int kWorkers = 2;
constexpr time_t kTimeoutSeconds = 5;

void deliver(const std::string& url, const std::string& body,
             const std::optional<std::string>& secret) {
  // scheme://authority/path?query; anything else (e.g. "ftp:relative") cannot be delivered.
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return;
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return;
  const std::size_t path_start = url.find_first_of("/?#", scheme_end + 3);
  std::string origin = url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (path[0] != '/') path = "/" + path;
  if (std::size_t hash = path.find('#'); hash != std::string::npos) path.resize(hash);

  httplib::Client client(origin);
  client.set_connection_timeout(kTimeoutSeconds, 0);
  client.set_read_timeout(kTimeoutSeconds, 0);
  client.set_write_timeout(kTimeoutSeconds, 0);
  httplib::Headers headers = {{"User-Agent", "CheckpointService/1.0"}};
  if (secret && !secret->empty()) {
    headers.emplace("X-Checkpoint-Signature", "sha256=" + hmac_sha256_hex(*secret, body));
  }
  client.Post(path.c_str(), headers, body, "application/json");  // status ignored, no retry
}

}  // namespace

WebhookSender::WebhookSender() {
  for (int i = 0; i < kWorkers; ++i) workers_.emplace_back([this] { work(); });
}

WebhookSender::~WebhookSender() {
  stop();
}

void WebhookSender::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void WebhookSender::checkpoint_saved(const std::vector<Webhook>& hooks,
                                     const std::string& workflow_id,
                                     const std::string& checkpoint_id, double step) {
  const std::string timestamp = iso8601(now_ms());
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return;
  for (const Webhook& hook : hooks) {
    json::Value data = json::Value::object();
    data.set("workflow_id", json::Value::from_string(workflow_id));
    data.set("checkpoint_id", json::Value::from_string(checkpoint_id));
    data.set("step", json::Value::from_number(step));
    json::Value payload = json::Value::object();
    payload.set("event", json::Value::from_string("checkpoint.saved"));
    payload.set("webhook_id", json::Value::from_string(hook.webhook_id));
    payload.set("timestamp", json::Value::from_string(timestamp));
    payload.set("data", std::move(data));
    queue_.push_back(Delivery{hook.url, json::stringify(payload), hook.secret});
  }
  cv_.notify_all();
}

void WebhookSender::work() {
  while (true) {
    Delivery d;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      d = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      deliver(d.url, d.body, d.secret);
    } catch (const std::exception&) {
      // fire-and-forget: a bad URL or a failing receiver is not the caller's problem
    }
  }
}

}  // namespace snapstate::devserver
