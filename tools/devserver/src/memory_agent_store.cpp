#include "clock.hpp"
#include "memory_stores.hpp"

namespace snapstate::devserver {

std::optional<Agent> MemoryAgentStore::upsert(const std::string& account,
                                              const std::string& agent_id,
                                              const AgentFields& fields) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& agents = accounts_[account];
  auto it = agents.find(agent_id);
  if (it == agents.end()) {
    if (agents.size() >= kMaxAgents) return std::nullopt;
    Agent a;
    a.id = next_id_++;
    a.agent_id = agent_id;
    a.created_ms = now_ms();
    it = agents.emplace(agent_id, std::move(a)).first;
  }
  apply_fields(it->second, fields, true);
  return it->second;
}

std::vector<Agent> MemoryAgentStore::list(const std::string& account) {
  std::vector<Agent> out;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, a] : accounts_[account]) out.push_back(a);
  }
  sort_for_listing(out);
  return out;
}

Agent* MemoryAgentStore::find_locked(const std::string& account, const std::string& agent_id) {
  auto& agents = accounts_[account];
  auto it = agents.find(agent_id);
  return it == agents.end() ? nullptr : &it->second;
}

std::optional<Agent> MemoryAgentStore::get(const std::string& account,
                                           const std::string& agent_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Agent* a = find_locked(account, agent_id);
  return a ? std::optional<Agent>(*a) : std::nullopt;
}

std::optional<Agent> MemoryAgentStore::patch(const std::string& account,
                                             const std::string& agent_id,
                                             const AgentFields& fields) {
  std::lock_guard<std::mutex> lock(mutex_);
  Agent* a = find_locked(account, agent_id);
  if (a == nullptr) return std::nullopt;
  apply_fields(*a, fields, false);
  return *a;
}

bool MemoryAgentStore::remove(const std::string& account, const std::string& agent_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return accounts_[account].erase(agent_id) > 0;
}

void MemoryAgentStore::touch(const std::string& account, const std::string& agent_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Agent* a = find_locked(account, agent_id)) a->last_seen_ms = now_ms();
}

}  // namespace snapstate::devserver
