#include "serialize.hpp"

#include <optional>
#include <string>

namespace snapstate_cli {
namespace {

template <class T>
nlohmann::ordered_json or_null(const std::optional<T>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

}  // namespace

nlohmann::ordered_json serialize(const snapstate::DiffFromPrevious& diff) {
  return {{"added", diff.added}, {"removed", diff.removed}, {"changed", diff.changed}};
}

// Fields a response may lack (resume and replay give no etag, diff or size) are left out
// rather than invented; label is always there, null when absent, as on the wire.
nlohmann::ordered_json serialize(const snapstate::Checkpoint& checkpoint) {
  nlohmann::ordered_json json = {{"checkpoint_id", checkpoint.checkpoint_id},
                                 {"workflow_id", checkpoint.workflow_id},
                                 {"step", checkpoint.step},
                                 {"label", or_null(checkpoint.label)},
                                 {"state", checkpoint.state},
                                 {"metadata", checkpoint.metadata}};
  if (checkpoint.agent_id) json["agent_id"] = *checkpoint.agent_id;
  if (checkpoint.etag) json["etag"] = *checkpoint.etag;
  if (checkpoint.created_at) json["created_at"] = *checkpoint.created_at;
  if (checkpoint.diff_from_previous) {
    json["diff_from_previous"] = serialize(*checkpoint.diff_from_previous);
  }
  if (checkpoint.size_bytes) json["size_bytes"] = *checkpoint.size_bytes;
  return json;
}

nlohmann::ordered_json serialize(const snapstate::SaveResult& result) {
  return {{"checkpoint_id", result.checkpoint_id},
          {"workflow_id", result.workflow_id},
          {"step", result.step},
          {"etag", result.etag},
          {"created_at", result.created_at},
          {"diff_from_previous", serialize(result.diff_from_previous)},
          {"size_bytes", result.size_bytes}};
}

nlohmann::ordered_json serialize(const snapstate::WorkflowResume& resume) {
  return {{"workflow_id", resume.workflow_id},
          {"latest_checkpoint", serialize(resume.latest_checkpoint)},
          {"total_checkpoints", resume.total_checkpoints},
          {"workflow_started_at", or_null(resume.workflow_started_at)},
          {"last_activity_at", or_null(resume.last_activity_at)}};
}

nlohmann::ordered_json serialize(const snapstate::WorkflowReplay& replay) {
  nlohmann::ordered_json checkpoints = nlohmann::ordered_json::array();
  for (const auto& checkpoint : replay.checkpoints) checkpoints.push_back(serialize(checkpoint));
  return {{"workflow_id", replay.workflow_id},
          {"checkpoints", std::move(checkpoints)},
          {"total", replay.total},
          {"has_more", replay.has_more}};
}

nlohmann::ordered_json serialize(const snapstate::Agent& agent) {
  return {{"agent_id", agent.agent_id},
          {"name", agent.name},
          {"description", or_null(agent.description)},
          {"capabilities", agent.capabilities},
          {"metadata", agent.metadata},
          {"last_seen_at", or_null(agent.last_seen_at)},
          {"created_at", or_null(agent.created_at)}};
}

nlohmann::ordered_json serialize(const std::vector<snapstate::Agent>& agents) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& agent : agents) list.push_back(serialize(agent));
  return {{"agents", std::move(list)}};
}

nlohmann::ordered_json serialize(const snapstate::Webhook& webhook) {
  return {{"webhook_id", webhook.webhook_id},
          {"url", webhook.url},
          {"events", webhook.events},
          {"created_at", webhook.created_at}};
}

nlohmann::ordered_json serialize(const snapstate::Health& health) {
  if (health.raw.is_object()) return health.raw;
  return {{"status", health.status}};
}

}  // namespace snapstate_cli
