#include "clock.hpp"
#include "sqlite_stores.hpp"

namespace snapstate::devserver {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

// The columns read_record() reads, in its order; every query names the table `c`.
const std::string kRecord =
    "SELECT c.checkpoint_id, c.workflow_id, c.step, c.label, c.state, c.metadata, c.etag, "
    "c.created_ms, c.expires_ms, c.diff, c.size_bytes";

// The rows of a workflow's live write log, as `c`; ?1 the workflow id, ?2 now.
const std::string kWriteLog =
    " FROM checkpoints c JOIN workflows w ON w.workflow_id = c.workflow_id"
    " WHERE w.workflow_id = ?1 AND w.expires_ms > ?2 AND c.id >= w.first_write";

RecordPtr read_record(const Statement& row) {
  auto r = std::make_shared<CheckpointRecord>();
  r->checkpoint_id = row.text(0);
  r->workflow_id = row.text(1);
  r->step = row.real(2);
  r->label = row.optional_text(3);
  r->state_json = row.text(4);
  r->metadata_json = row.optional_text(5);
  r->etag = row.text(6);
  r->created_ms = row.int64(7);
  r->expires_ms = row.int64(8);
  r->diff_json = row.text(9);
  r->size_bytes = static_cast<std::size_t>(row.int64(10));
  return r;
}

}  // namespace

RecordPtr SqliteCheckpointStore::live_record(const std::string& checkpoint_id, std::int64_t now) {
  // The newest row of an id is its record; an older one was written before that one expired.
  Statement newest(*db_, kRecord +
                             " FROM checkpoints c WHERE c.checkpoint_id = ?1 ORDER BY c.id "
                             "DESC LIMIT 1");
  newest.bind(1, checkpoint_id);
  if (!newest.step()) return nullptr;
  RecordPtr record = read_record(newest);
  return record->expires_ms > now ? record : nullptr;
}

std::optional<json::Value> SqliteCheckpointStore::previous_state(const std::string& workflow_id,
                                                                 std::int64_t now) {
  Statement last(*db_, "SELECT c.state" + kWriteLog + " ORDER BY c.id DESC LIMIT 1");
  last.bind(1, workflow_id).bind(2, now);
  if (!last.step()) return std::nullopt;
  return stored_json(*db_, last.text(0));
}

void SqliteCheckpointStore::sweep(std::int64_t now) {
  if (now - last_sweep_ms_ < kSweepIntervalMs) return;
  last_sweep_ms_ = now;
  Statement(*db_, "DELETE FROM workflows WHERE expires_ms <= ?1").bind(1, now).step();
  // An expired record stays while a live write log still lists it.
  Statement(*db_,
            "DELETE FROM checkpoints WHERE expires_ms <= ?1 AND NOT EXISTS (SELECT 1 FROM "
            "workflows w WHERE w.workflow_id = checkpoints.workflow_id AND checkpoints.id >= "
            "w.first_write)")
      .bind(1, now)
      .step();
}

CheckpointStore::SaveResult SqliteCheckpointStore::save(Draft draft, const std::string* if_match) {
  // The whole save holds the file's write lock: the If-Match rules, the diff against the
  // previous write and the write itself see no other writer in between, in any process.
  Transaction tx(*db_, Transaction::Kind::write);
  const std::int64_t now = now_ms();
  sweep(now);
  if (RecordPtr stored = live_record(draft.record.checkpoint_id, now)) {
    return existing_outcome(std::move(stored), if_match);
  }
  const std::optional<json::Value> previous = previous_state(draft.record.workflow_id, now);
  draft.record.diff_json = diff_text(previous ? &*previous : nullptr, draft.state);
  auto record = std::make_shared<const CheckpointRecord>(stamped(std::move(draft), now));
  const CheckpointRecord& r = *record;
  Statement(*db_,
            "INSERT INTO checkpoints (checkpoint_id, workflow_id, step, label, state, metadata, "
            "etag, created_ms, expires_ms, diff, size_bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
            "?8, ?9, ?10, ?11)")
      .bind(1, r.checkpoint_id)
      .bind(2, r.workflow_id)
      .bind(3, r.step)
      .bind(4, r.label)
      .bind(5, r.state_json)
      .bind(6, r.metadata_json)
      .bind(7, r.etag)
      .bind(8, r.created_ms)
      .bind(9, r.expires_ms)
      .bind(10, r.diff_json)
      .bind(11, static_cast<std::int64_t>(r.size_bytes))
      .step();
  // The write log goes on while the workflow lives, and starts over at this write once expired.
  Statement(*db_,
            "INSERT INTO workflows (workflow_id, first_write, expires_ms) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (workflow_id) DO UPDATE SET first_write = CASE WHEN "
            "workflows.expires_ms > ?4 THEN workflows.first_write ELSE excluded.first_write END, "
            "expires_ms = excluded.expires_ms")
      .bind(1, r.workflow_id)
      .bind(2, db_->last_insert_id())
      .bind(3, r.expires_ms)
      .bind(4, now)
      .step();
  tx.commit();
  return SaveResult{Outcome::Created, std::move(record)};
}

RecordPtr SqliteCheckpointStore::get(const std::string& checkpoint_id) {
  Transaction tx(*db_, Transaction::Kind::read);
  return live_record(checkpoint_id, now_ms());
}

std::vector<RecordPtr> SqliteCheckpointStore::writes(const std::string& workflow_id) {
  Transaction tx(*db_, Transaction::Kind::read);
  Statement rows(*db_, kRecord + kWriteLog + " ORDER BY c.id");
  rows.bind(1, workflow_id).bind(2, now_ms());
  std::vector<RecordPtr> out;
  while (rows.step()) out.push_back(read_record(rows));
  return out;
}

}  // namespace snapstate::devserver
