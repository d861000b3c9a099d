#include "checkpoint_store.hpp"

#include "diff.hpp"
#include "js_stringify.hpp"

namespace snapstate::devserver {

CheckpointStore::SaveResult CheckpointStore::existing_outcome(RecordPtr stored,
                                                              const std::string* if_match) {
  if (if_match == nullptr) return SaveResult{Outcome::Exists, std::move(stored)};
  const bool same = *if_match == stored->etag;
  return SaveResult{same ? Outcome::Resaved : Outcome::EtagMismatch, std::move(stored)};
}

std::string CheckpointStore::diff_text(const json::Value* previous, const json::Value& next) {
  return json::stringify(to_json(diff_states(previous, next)));
}

CheckpointRecord CheckpointStore::stamped(Draft&& draft, std::int64_t now_ms) {
  CheckpointRecord record = std::move(draft.record);
  record.created_ms = now_ms;
  record.expires_ms = now_ms + draft.ttl_seconds * 1000;
  return record;
}

}  // namespace snapstate::devserver
