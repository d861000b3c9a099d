// The client's result structs written back as JSON, with the wire's field names in the
// wire's order (ordered_json).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>
#include <snapstate/types.hpp>

namespace snapstate_cli {

nlohmann::ordered_json serialize(const snapstate::DiffFromPrevious& diff);
nlohmann::ordered_json serialize(const snapstate::Checkpoint& checkpoint);
nlohmann::ordered_json serialize(const snapstate::SaveResult& result);
nlohmann::ordered_json serialize(const snapstate::WorkflowResume& resume);
nlohmann::ordered_json serialize(const snapstate::WorkflowReplay& replay);
nlohmann::ordered_json serialize(const snapstate::Agent& agent);
nlohmann::ordered_json serialize(const std::vector<snapstate::Agent>& agents);  // {"agents":[...]}
nlohmann::ordered_json serialize(const snapstate::Webhook& webhook);
nlohmann::ordered_json serialize(const snapstate::Health& health);  // the raw body

}  // namespace snapstate_cli
