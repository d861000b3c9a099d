// Registered agents, per account (API key), modelled on the real server's Postgres table:
// a global serial id, TEXT name/description, JSONB capabilities/metadata.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "json_value.hpp"

namespace snapstate::devserver {

struct Agent {
  std::int64_t id = 0;
  std::string agent_id;
  json::Value name, description, capabilities, metadata;
  std::optional<std::int64_t> last_seen_ms;
  std::int64_t created_ms = 0;
};

json::Value to_json(const Agent& a);

/// The updatable fields of a request body, normalized the way the real server stores them.
struct AgentFields {
  std::optional<json::Value> name, description, capabilities, metadata;  ///< nullopt: absent
  bool empty() const { return !name && !description && !capabilities && !metadata; }
};
AgentFields agent_fields(const json::Value& body);

/// `^[a-zA-Z0-9_-]{1,255}$`
bool valid_agent_id(const std::string& id);

class AgentStore {
 public:
  static constexpr std::size_t kMaxAgents = 50;

  /// Creates or replaces (fields not given are reset; id, created_at, last_seen_at kept).
  /// nullopt when the account already has kMaxAgents other agents.
  std::optional<Agent> upsert(const std::string& account, const std::string& agent_id,
                              const AgentFields& fields);
  std::vector<Agent> list(const std::string& account);
  std::optional<Agent> get(const std::string& account, const std::string& agent_id);
  std::optional<Agent> patch(const std::string& account, const std::string& agent_id,
                             const AgentFields& fields);
  bool remove(const std::string& account, const std::string& agent_id);
  /// A checkpoint saved with this agent_id: sets last_seen_at of a registered agent only.
  void touch(const std::string& account, const std::string& agent_id);

 private:
  std::mutex mutex_;
  std::int64_t next_id_ = 1;
  std::map<std::string, std::map<std::string, Agent>> accounts_;
};

}  // namespace snapstate::devserver
