#include "memory_stores.hpp"

namespace snapstate::devserver {

void MemoryWebhookStore::add(const std::string& account, const Webhook& hook) {
  std::lock_guard<std::mutex> lock(mutex_);
  accounts_[account][hook.webhook_id] = hook;
}

bool MemoryWebhookStore::remove(const std::string& account, const std::string& webhook_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return accounts_[account].erase(webhook_id) > 0;
}

std::vector<Webhook> MemoryWebhookStore::subscribed(const std::string& account,
                                                    const std::string& event) {
  std::vector<Webhook> out;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [id, hook] : accounts_[account]) {
    if (subscribes(hook, event)) out.push_back(hook);
  }
  return out;
}

}  // namespace snapstate::devserver
