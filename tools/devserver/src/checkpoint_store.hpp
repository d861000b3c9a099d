// Where checkpoints live, modelled on the real server's Redis layout: one record per
// checkpoint id (GET /checkpoints/:id) with its own expiry, and one write log per workflow
// (resume, replay, the previous state for diffs) whose expiry is reset by every write.
// Checkpoints belong to no account: any valid key reads any workflow, as upstream [63].
// Two implementations answer alike: in memory, and in the --data SQLite file (one difference:
// two steps of one workflow saved at the same moment may both be diffed against the state
// before them in memory, as upstream's read-then-write does; SQLite diffs under its lock).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
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
    json::Value state;  ///< the parsed state, diffed against the workflow's previous one
    std::int64_t ttl_seconds = 0;
  };

  enum class Outcome { Created, Resaved, Exists, EtagMismatch };
  struct SaveResult {
    Outcome outcome;
    RecordPtr record;  ///< the new record, or the stored one for Resaved/Exists
  };

  virtual ~CheckpointStore() = default;

  /// Writes a new checkpoint, or applies the If-Match rules when its id is already stored.
  /// A Created record is stored before this returns.
  virtual SaveResult save(Draft draft, const std::string* if_match) = 0;
  /// The live record of this id, or nullptr.
  virtual RecordPtr get(const std::string& checkpoint_id) = 0;
  /// The workflow's writes in write order; empty when unknown or expired.
  virtual std::vector<RecordPtr> writes(const std::string& workflow_id) = 0;

 protected:
  /// How often expired entries are deleted (reads skip them in between).
  static constexpr std::int64_t kSweepIntervalMs = 60000;

  /// The If-Match rules for an id whose live record is `stored`.
  static SaveResult existing_outcome(RecordPtr stored, const std::string* if_match);
  /// diff_from_previous of `next` against the workflow's previous state (nullptr: none).
  static std::string diff_text(const json::Value* previous, const json::Value& next);
  /// The draft's record, written at `now_ms`.
  static CheckpointRecord stamped(Draft&& draft, std::int64_t now_ms);
};

}  // namespace snapstate::devserver
