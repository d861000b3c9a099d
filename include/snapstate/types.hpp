/// @file types.hpp
/// @brief Result types returned by SnapStateClient, named as the wire JSON.
///
/// Plain structs. A field the server may leave out is std::optional; unknown response fields
/// are ignored. Timestamps stay the ISO-8601 strings the server sent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "snapstate/errors.hpp"

namespace snapstate {

/// Leaf paths (`a.b`, `items[2]`) that changed against the workflow's previous checkpoint.
struct DiffFromPrevious {
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::vector<std::string> changed;
};

/// One saved step of a workflow.
struct Checkpoint {
  std::string checkpoint_id;
  std::string workflow_id;  ///< Filled from the enclosing workflow in resume and replay.
  std::int64_t step = 0;
  std::optional<std::string> label;
  nlohmann::json state = nlohmann::json::object();
  nlohmann::json metadata = nlohmann::json::object();  ///< {} when absent or null.
  std::optional<std::string> etag;
  std::optional<std::string> created_at;
  std::optional<DiffFromPrevious> diff_from_previous;
  std::optional<std::int64_t> size_bytes;
  std::optional<std::string> agent_id;  ///< Top-level field, else metadata["agent_id"].

  /// Converts the state to any type with an nlohmann `from_json`.
  /// @throws ProtocolError (code `STATE_TYPE_MISMATCH`) when the state does not fit T.
  template <class T>
  T state_as() const {
    try {
      return state.get<T>();
    } catch (const nlohmann::json::exception& e) {
      throw ProtocolError(
          std::string("checkpoint state does not match the requested type: ") + e.what(), 0,
          "STATE_TYPE_MISMATCH");
    }
  }
};

/// What POST /checkpoints answers.
struct SaveResult {
  std::string checkpoint_id;
  std::string workflow_id;
  std::int64_t step = 0;
  std::string etag;  ///< Quotes included, e.g. "\"cc762e8a761691ea\"".
  std::string created_at;
  DiffFromPrevious diff_from_previous;
  std::int64_t size_bytes = 0;
};

/// The latest written checkpoint of a workflow.
struct WorkflowResume {
  std::string workflow_id;
  Checkpoint latest_checkpoint;
  std::int64_t total_checkpoints = 0;
  std::optional<std::string> workflow_started_at;
  std::optional<std::string> last_activity_at;
};

/// A workflow's checkpoints in write order.
struct WorkflowReplay {
  std::string workflow_id;
  std::vector<Checkpoint> checkpoints;
  std::int64_t total = 0;
  bool has_more = false;  ///< The server reports false in practice; do not page on it.
};

/// A registered agent identity (scoped to the API key's account).
struct Agent {
  std::string agent_id;
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> capabilities;
  nlohmann::json metadata = nlohmann::json::object();
  std::optional<std::string> last_seen_at;
  std::optional<std::string> created_at;
};

/// A registered webhook. The secret is never echoed back.
struct Webhook {
  std::string webhook_id;
  std::string url;
  std::vector<std::string> events;
  std::string created_at;
};

/// GET /health: `status` is "ok", or "degraded" when a store is down.
struct Health {
  std::string status;
  nlohmann::json raw;  ///< The whole response body.
};

}  // namespace snapstate
