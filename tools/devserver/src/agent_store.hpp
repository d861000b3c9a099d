// Where agents live, per account (API key): in memory, or in the --data SQLite file.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "agent.hpp"

namespace snapstate::devserver {

class AgentStore {
 public:
  static constexpr std::size_t kMaxAgents = 50;

  virtual ~AgentStore() = default;

  /// Creates or replaces (fields not given are reset; id, created_at, last_seen_at kept).
  /// nullopt when the account already has kMaxAgents other agents.
  virtual std::optional<Agent> upsert(const std::string& account, const std::string& agent_id,
                                      const AgentFields& fields) = 0;
  /// In sort_for_listing order.
  virtual std::vector<Agent> list(const std::string& account) = 0;
  virtual std::optional<Agent> get(const std::string& account, const std::string& agent_id) = 0;
  virtual std::optional<Agent> patch(const std::string& account, const std::string& agent_id,
                                     const AgentFields& fields) = 0;
  virtual bool remove(const std::string& account, const std::string& agent_id) = 0;
  /// A checkpoint saved with this agent_id: sets last_seen_at of a registered agent only.
  virtual void touch(const std::string& account, const std::string& agent_id) = 0;
};

}  // namespace snapstate::devserver
