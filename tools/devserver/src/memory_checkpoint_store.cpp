#include <cmath>

#include "clock.hpp"
#include "memory_stores.hpp"

namespace snapstate::devserver {
namespace {

// What a Redis round trip does to a state: JSON text in between turns Infinity into null.
void nonfinite_to_null(json::Value& v) {
  if (v.type == json::Type::Number && !std::isfinite(v.number)) {
    std::string key = std::move(v.key);
    v = json::Value::null();
    v.key = std::move(key);
  }
  for (auto& child : v.items) nonfinite_to_null(child);
}

}  // namespace

std::optional<CheckpointStore::SaveResult> MemoryCheckpointStore::existing_locked(
    const std::string& id, const std::string* if_match, std::int64_t now) {
  auto it = records_.find(id);
  if (it == records_.end()) return std::nullopt;
  if (it->second->expires_ms <= now) {
    records_.erase(it);
    return std::nullopt;
  }
  return existing_outcome(it->second, if_match);
}

MemoryCheckpointStore::Workflow* MemoryCheckpointStore::workflow_locked(const std::string& id,
                                                                        std::int64_t now) {
  auto it = workflows_.find(id);
  if (it == workflows_.end()) return nullptr;
  if (it->second.expires_ms <= now) {
    workflows_.erase(it);
    return nullptr;
  }
  return &it->second;
}

void MemoryCheckpointStore::sweep_locked(std::int64_t now) {
  if (now - last_sweep_ms_ < kSweepIntervalMs) return;
  last_sweep_ms_ = now;
  for (auto it = records_.begin(); it != records_.end();) {
    it = it->second->expires_ms <= now ? records_.erase(it) : std::next(it);
  }
  for (auto it = workflows_.begin(); it != workflows_.end();) {
    it = it->second.expires_ms <= now ? workflows_.erase(it) : std::next(it);
  }
}

CheckpointStore::SaveResult MemoryCheckpointStore::save(Draft draft, const std::string* if_match) {
  const std::string id = draft.record.checkpoint_id;
  std::shared_ptr<const json::Value> previous;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::int64_t now = now_ms();
    sweep_locked(now);
    if (auto existing = existing_locked(id, if_match, now)) return *existing;
    if (Workflow* wf = workflow_locked(draft.record.workflow_id, now)) previous = wf->last_state;
  }
  // The diff of a large state is the expensive part: compute it without the lock.
  draft.record.diff_json = diff_text(previous.get(), draft.state);
  nonfinite_to_null(draft.state);
  auto state = std::make_shared<const json::Value>(std::move(draft.state));

  std::lock_guard<std::mutex> lock(mutex_);
  const std::int64_t now = now_ms();
  if (auto existing = existing_locked(id, if_match, now)) return *existing;  // lost a race
  auto record = std::make_shared<const CheckpointRecord>(stamped(std::move(draft), now));
  records_[id] = record;
  Workflow* wf = workflow_locked(record->workflow_id, now);
  if (wf == nullptr) wf = &workflows_[record->workflow_id];
  wf->writes.push_back(record);
  wf->last_state = std::move(state);
  wf->expires_ms = record->expires_ms;
  return SaveResult{Outcome::Created, record};
}

RecordPtr MemoryCheckpointStore::get(const std::string& checkpoint_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = records_.find(checkpoint_id);
  if (it == records_.end()) return nullptr;
  if (it->second->expires_ms <= now_ms()) {
    records_.erase(it);
    return nullptr;
  }
  return it->second;
}

std::vector<RecordPtr> MemoryCheckpointStore::writes(const std::string& workflow_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Workflow* wf = workflow_locked(workflow_id, now_ms());
  return wf == nullptr ? std::vector<RecordPtr>{} : wf->writes;
}

}  // namespace snapstate::devserver
