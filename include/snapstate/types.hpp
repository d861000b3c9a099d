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
  std::vector<std::string> added;    ///< Leaf paths new in this state.
  std::vector<std::string> removed;  ///< Leaf paths gone since the previous state.
  std::vector<std::string> changed;  ///< Leaf paths whose value changed.
};

/// One saved step of a workflow.
struct Checkpoint {
  std::string checkpoint_id;         ///< `cp_<workflow_id>_<step, zero-padded to 3 digits>`.
  std::string workflow_id;           ///< Filled from the enclosing workflow in resume and replay.
  std::int64_t step = 0;             ///< The step number given to save().
  std::optional<std::string> label;  ///< Absent when none was saved.
  nlohmann::json state = nlohmann::json::object();     ///< The saved state (a JSON object).
  nlohmann::json metadata = nlohmann::json::object();  ///< {} when absent or null.
  std::optional<std::string> etag;                     ///< Quotes included; only from get().
  std::optional<std::string> created_at;               ///< ISO-8601 UTC with milliseconds.
  std::optional<DiffFromPrevious> diff_from_previous;  ///< Only from get().
  std::optional<std::int64_t> size_bytes;  ///< UTF-8 bytes of the state's JSON; only from get().
  std::optional<std::string> agent_id;     ///< Top-level field, else metadata["agent_id"].
  std::optional<std::string> expires_at;   ///< When its TTL ends (ISO-8601); only from get().

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
  std::string checkpoint_id;            ///< The stored checkpoint's id.
  std::string workflow_id;              ///< As sent.
  std::int64_t step = 0;                ///< As sent.
  std::string etag;                     ///< Quotes included, e.g. "\"cc762e8a761691ea\"".
  std::string created_at;               ///< ISO-8601; the original time for an If-Match re-save.
  DiffFromPrevious diff_from_previous;  ///< Against the workflow's previously written state.
  std::int64_t size_bytes = 0;          ///< UTF-8 bytes of the state's JSON.
};

/// The latest written checkpoint of a workflow.
struct WorkflowResume {
  std::string workflow_id;                         ///< The workflow asked for.
  Checkpoint latest_checkpoint;                    ///< The last written, not the highest step.
  std::int64_t total_checkpoints = 0;              ///< Number of writes.
  std::optional<std::string> workflow_started_at;  ///< Time of the first write.
  std::optional<std::string> last_activity_at;     ///< Time of the last write.
};

/// A workflow's checkpoints in write order.
struct WorkflowReplay {
  std::string workflow_id;              ///< The workflow asked for.
  std::vector<Checkpoint> checkpoints;  ///< In write order; empty for an unknown workflow.
  std::int64_t total = 0;               ///< The number returned.
  bool has_more = false;  ///< The server reports false in practice; do not page on it.
};

/// A registered agent identity (scoped to the API key's account).
struct Agent {
  std::string agent_id;                                ///< `^[A-Za-z0-9_-]{1,255}$`.
  std::string name;                                    ///< Empty when the server stored none.
  std::optional<std::string> description;              ///< Absent when none.
  std::vector<std::string> capabilities;               ///< Free-form capability tags.
  nlohmann::json metadata = nlohmann::json::object();  ///< {} when none.
  std::optional<std::string> last_seen_at;             ///< Set by saves tagged with this agent_id.
  std::optional<std::string> created_at;               ///< ISO-8601.
};

/// A registered webhook. The secret is never echoed back.
struct Webhook {
  std::string webhook_id;           ///< `wh_` + 24 hex digits.
  std::string url;                  ///< Where deliveries are POSTed.
  std::vector<std::string> events;  ///< The subscribed event names.
  std::string created_at;           ///< ISO-8601.
};

/// GET /health: `status` is "ok", or "degraded" when a store is down.
struct Health {
  std::string status;  ///< "ok" or "degraded".
  nlohmann::json raw;  ///< The whole response body.
};

}  // namespace snapstate
