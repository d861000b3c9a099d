// A registered agent, modelled on the real server's Postgres table (a global serial id,
// TEXT name/description, JSONB capabilities/metadata), and the rules every agent store
// applies to it.
#pragma once

#include <cstdint>
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

/// Sets the given fields; with `reset_missing` (an upsert) the others go back to their
/// defaults (null, [], {}).
void apply_fields(Agent& agent, const AgentFields& fields, bool reset_missing);

/// ORDER BY last_seen_at DESC NULLS LAST, created_at DESC (then the newest id first).
void sort_for_listing(std::vector<Agent>& agents);

}  // namespace snapstate::devserver
