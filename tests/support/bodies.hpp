// Response bodies in the real server's shapes for whatever a test asks about: the client
// checks that an answer is about the workflow, step, checkpoint or agent it asked for, so a
// canned recording of another one no longer passes as the answer.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/checkpoint_id.hpp"

namespace snapstate::testing {

inline std::string checkpoint_id_of(const std::string& workflow_id, std::int64_t step) {
  return protocol::checkpoint_id(workflow_id, static_cast<double>(step));
}

// The 201 of POST /checkpoints for (workflow_id, step), as in fixture 02.
inline std::string save_result_body(const std::string& workflow_id, std::int64_t step,
                                    const std::string& etag = "\"44136fa355b3678a\"",
                                    const std::string& created_at = "2026-11-30T04:30:41.074Z") {
  return nlohmann::json{{"checkpoint_id", checkpoint_id_of(workflow_id, step)},
                        {"workflow_id", workflow_id},
                        {"step", step},
                        {"etag", etag},
                        {"created_at", created_at},
                        {"diff_from_previous",
                         {{"added", nlohmann::json::array()},
                          {"removed", nlohmann::json::array()},
                          {"changed", nlohmann::json::array()}}},
                        {"size_bytes", 2}}
      .dump();
}

// The 200 of GET /checkpoints/:id for (workflow_id, step), as in fixture 07.
inline std::string checkpoint_body(const std::string& workflow_id, std::int64_t step,
                                   const nlohmann::json& state = nlohmann::json::object(),
                                   const std::string& etag = "\"44136fa355b3678a\"",
                                   const std::string& created_at = "2026-11-30T04:30:41.074Z") {
  return nlohmann::json{{"checkpoint_id", checkpoint_id_of(workflow_id, step)},
                        {"workflow_id", workflow_id},
                        {"step", step},
                        {"label", nullptr},
                        {"state", state},
                        {"metadata", nullptr},
                        {"etag", etag},
                        {"created_at", created_at},
                        {"expires_at", "2026-12-07T04:30:41.074Z"},
                        {"diff_from_previous",
                         {{"added", {"first"}},
                          {"removed", nlohmann::json::array()},
                          {"changed", nlohmann::json::array()}}},
                        {"size_bytes", state.dump().size()}}
      .dump();
}

// GET /workflows/:id/resume with one checkpoint at `step`.
inline std::string resume_body(const std::string& workflow_id, std::int64_t step = 1) {
  return nlohmann::json{{"workflow_id", workflow_id},
                        {"latest_checkpoint",
                         {{"checkpoint_id", checkpoint_id_of(workflow_id, step)},
                          {"step", step},
                          {"label", nullptr},
                          {"state", nlohmann::json::object()},
                          {"metadata", nlohmann::json::object()},
                          {"created_at", "2026-11-30T04:30:41.074Z"}}},
                        {"total_checkpoints", 1},
                        {"workflow_started_at", "2026-11-30T04:30:41.074Z"},
                        {"last_activity_at", "2026-11-30T04:30:41.074Z"}}
      .dump();
}

// GET /workflows/:id/replay of a workflow with no checkpoints.
inline std::string empty_replay_body(const std::string& workflow_id) {
  return nlohmann::json{{"workflow_id", workflow_id},
                        {"checkpoints", nlohmann::json::array()},
                        {"total", 0},
                        {"has_more", false}}
      .dump();
}

}  // namespace snapstate::testing
