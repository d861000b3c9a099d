#include "checkpoint_store.hpp"

#include <cmath>

#include "clock.hpp"
#include "diff.hpp"
#include "js_stringify.hpp"

namespace snapstate::devserver {
namespace {

// A state read back from storage has been through JSON text: Infinity came back as null.
void nonfinite_to_null(json::Value& v) {
  if (v.type == json::Type::Number && !std::isfinite(v.number)) {
    std::string key = std::move(v.key);
    v = json::Value::null();
    v.key = std::move(key);
  }
  for (auto& child : v.items) nonfinite_to_null(child);
}

}  // namespace

std::optional<CheckpointStore::SaveResult> CheckpointStore::existing_locked(
    const std::string& id, const std::string* if_match, std::int64_t now) {
  auto it = records_.find(id);
  if (it == records_.end()) return std::nullopt;
  if (it->second->expires_ms <= now) {
    records_.erase(it);
    return std::nullopt;
  }
  if (if_match == nullptr) return SaveResult{Outcome::Exists, it->second};
  if (*if_match == it->second->etag) return SaveResult{Outcome::Resaved, it->second};
  return SaveResult{Outcome::EtagMismatch, it->second};
}

CheckpointStore::Workflow* CheckpointStore::workflow_locked(const std::string& id,
                                                            std::int64_t now) {
  auto it = workflows_.find(id);
  if (it == workflows_.end()) return nullptr;
  if (it->second.expires_ms <= now) {
    workflows_.erase(it);
    return nullptr;
  }
  return &it->second;
}

void CheckpointStore::sweep_locked(std::int64_t now) {
  if (now - last_sweep_ms_ < 60000) return;
  last_sweep_ms_ = now;
  for (auto it = records_.begin(); it != records_.end();) {
    it = it->second->expires_ms <= now ? records_.erase(it) : std::next(it);
  }
  for (auto it = workflows_.begin(); it != workflows_.end();) {
    it = it->second.expires_ms <= now ? workflows_.erase(it) : std::next(it);
  }
}

CheckpointStore::SaveResult CheckpointStore::save(Draft draft, const std::string* if_match) {
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
  draft.record.diff_json = json::stringify(to_json(diff_states(previous.get(), draft.state)));
  nonfinite_to_null(draft.state);
  auto state = std::make_shared<const json::Value>(std::move(draft.state));

  std::lock_guard<std::mutex> lock(mutex_);
  const std::int64_t now = now_ms();
  if (auto existing = existing_locked(id, if_match, now)) return *existing;  // lost a race
  draft.record.created_ms = now;
  draft.record.expires_ms = now + draft.ttl_seconds * 1000;
  auto record = std::make_shared<const CheckpointRecord>(std::move(draft.record));
  records_[id] = record;
  Workflow* wf = workflow_locked(record->workflow_id, now);
  if (wf == nullptr) wf = &workflows_[record->workflow_id];
  wf->writes.push_back(record);
  wf->last_state = std::move(state);
  wf->expires_ms = record->expires_ms;
  return SaveResult{Outcome::Created, record};
}

RecordPtr CheckpointStore::get(const std::string& checkpoint_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = records_.find(checkpoint_id);
  if (it == records_.end()) return nullptr;
  if (it->second->expires_ms <= now_ms()) {
    records_.erase(it);
    return nullptr;
  }
  return it->second;
}

std::vector<RecordPtr> CheckpointStore::writes(const std::string& workflow_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Workflow* wf = workflow_locked(workflow_id, now_ms());
  return wf == nullptr ? std::vector<RecordPtr>{} : wf->writes;
}

}  // namespace snapstate::devserver
