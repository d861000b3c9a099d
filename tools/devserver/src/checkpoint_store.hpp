// Checkpoints in memory, modelled on the real server's Redis layout: one record per
// checkpoint id (GET /checkpoints/:id) with its own expiry, and one write log per workflow
// (resume, replay, the previous state for diffs) whose expiry is reset by every write.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "json_value.hpp"

namespace snapstate::devserver {

struct CheckpointRecord {
  std::string checkpoint_id;
  std::string workflow_id;
  double step = 0;
  std::optional<std::string> label;          ///< nullopt: not sent (null on the wire)
  std::string state_json;                    ///< JSON.stringify(state)
  std::optional<std::string> metadata_json;  ///< nullopt: not sent
  std::string etag;                          ///< with its quotes
  std::int64_t created_ms = 0;
  std::int64_t expires_ms = 0;
  std::string diff_json;
  std::size_t size_bytes = 0;
};

using RecordPtr = std::shared_ptr<const CheckpointRecord>;

class CheckpointStore {
 public:
  /// The new record minus what the store fills in (diff, times).
  struct Draft {
    CheckpointRecord record;
    json::Value state;  ///< parsed state, kept as the workflow's previous state for the next diff
    std::int64_t ttl_seconds = 0;
  };

  enum class Outcome { Created, Resaved, Exists, EtagMismatch };
  struct SaveResult {
    Outcome outcome;
    RecordPtr record;  ///< the new record, or the stored one for Resaved/Exists
  };

  /// Writes a new checkpoint, or applies the If-Match rules when its id already exists.
  SaveResult save(Draft draft, const std::string* if_match);
  RecordPtr get(const std::string& checkpoint_id);
  /// The workflow's writes in write order; empty when unknown or expired.
  std::vector<RecordPtr> writes(const std::string& workflow_id);

 private:
  struct Workflow {
    std::vector<RecordPtr> writes;
    std::shared_ptr<const json::Value> last_state;
    std::int64_t expires_ms = 0;
  };

  std::optional<SaveResult> existing_locked(const std::string& id, const std::string* if_match,
                                            std::int64_t now);
  Workflow* workflow_locked(const std::string& id, std::int64_t now);
  void sweep_locked(std::int64_t now);

  std::mutex mutex_;
  std::unordered_map<std::string, RecordPtr> records_;
  std::unordered_map<std::string, Workflow> workflows_;
  std::int64_t last_sweep_ms_ = 0;
};

}  // namespace snapstate::devserver
