// POST /checkpoints, GET /checkpoints/:id, GET /workflows/:id/resume and /replay.
#include <algorithm>
#include <cstdio>
#include <exception>

#include "app.hpp"
#include "checkpoint_id.hpp"
#include "clock.hpp"
#include "etag.hpp"
#include "js_stringify.hpp"
#include "limits.hpp"
#include "request_body.hpp"
#include "responses.hpp"

namespace snapstate::devserver {
namespace {

using json::Value;

constexpr std::int64_t kMaxTtlSeconds = 100LL * 366 * 24 * 3600;  // keeps expires_at printable

// parseInt(header, 10): leading whitespace, a sign, then as many digits as there are.
std::int64_t ttl_seconds(const std::string* header, std::int64_t fallback) {
  if (header == nullptr) return fallback;
  std::size_t i = header->find_first_not_of(" \t");
  if (i == std::string::npos) return fallback;
  bool negative = false;
  if ((*header)[i] == '+' || (*header)[i] == '-') negative = (*header)[i++] == '-';
  std::int64_t v = 0;
  bool any = false;
  for (; i < header->size() && (*header)[i] >= '0' && (*header)[i] <= '9'; ++i) {
    any = true;
    v = std::min<std::int64_t>(v * 10 + ((*header)[i] - '0'), kMaxTtlSeconds);
  }
  return (!any || negative || v <= 0) ? fallback : v;
}

Value created_body(const CheckpointRecord& r) {
  Value v = Value::object();
  v.set("checkpoint_id", Value::from_string(r.checkpoint_id));
  v.set("workflow_id", Value::from_string(r.workflow_id));
  v.set("step", Value::from_number(r.step));
  v.set("etag", Value::from_string(r.etag));
  v.set("created_at", Value::from_string(iso8601(r.created_ms)));
  v.set("diff_from_previous", Value::raw(r.diff_json));
  v.set("size_bytes", Value::from_number(static_cast<double>(r.size_bytes)));
  return v;
}

// The checkpoint inside resume and replay: no workflow_id, etag, size, expiry or diff;
// an empty label reads as null and missing metadata as {}.
Value nested(const CheckpointRecord& r) {
  Value v = Value::object();
  v.set("checkpoint_id", Value::from_string(r.checkpoint_id));
  v.set("step", Value::from_number(r.step));
  v.set("label", r.label && !r.label->empty() ? Value::from_string(*r.label) : Value::null());
  v.set("state", Value::raw(r.state_json));
  v.set("metadata", Value::raw(r.metadata_json.value_or("{}")));
  v.set("created_at", Value::from_string(iso8601(r.created_ms)));
  return v;
}

std::string text_field(const Value& body, const char* name) {
  const Value* v = body.find(name);
  return v != nullptr && v->is_string() ? v->text : std::string();
}

}  // namespace

Response create_checkpoint(Context& ctx, Call& call) {
  Value& body = call.body;  // validated: workflow_id string, step integer, state object
  CheckpointStore::Draft draft;
  CheckpointRecord& r = draft.record;
  r.workflow_id = text_field(body, "workflow_id");
  r.step = body.find("step")->number;
  r.checkpoint_id = protocol::checkpoint_id(r.workflow_id, r.step);
  if (const Value* label = body.find("label")) r.label = label->text;
  draft.state = std::move(*body.find("state"));
  draft.state.key.clear();
  r.state_json = json::stringify(draft.state);
  r.size_bytes = r.state_json.size();
  if (r.size_bytes > protocol::kMaxBodyBytes) {
    return app_error(413, "PAYLOAD_TOO_LARGE", "State payload exceeds 1MB limit", call.request_id);
  }
  r.etag = protocol::etag_of_stringified(r.state_json);
  const std::string agent_id = text_field(body, "agent_id");
  const Value* metadata = body.find("metadata");
  if (metadata != nullptr || !agent_id.empty()) {
    Value merged = metadata != nullptr ? *metadata : Value::object();  // {...metadata, agent_id}
    merged.key.clear();
    if (!agent_id.empty()) merged.set("agent_id", Value::from_string(agent_id));
    r.metadata_json = json::stringify(merged);
  }
  draft.ttl_seconds =
      ttl_seconds(call.head.header("x-checkpoint-ttl"), ctx.options.default_ttl_seconds);

  const auto saved = ctx.storage.checkpoints->save(std::move(draft), call.head.header("if-match"));
  const CheckpointRecord& rec = *saved.record;
  switch (saved.outcome) {
    case CheckpointStore::Outcome::Exists: {
      Value existing = Value::object();
      existing.set("checkpoint_id", Value::from_string(rec.checkpoint_id));
      existing.set("etag", Value::from_string(rec.etag));
      Value extra = Value::object();
      extra.set("existing", std::move(existing));
      return app_error(409, "CONFLICT", "Checkpoint " + rec.checkpoint_id + " already exists",
                       call.request_id, std::move(extra));
    }
    case CheckpointStore::Outcome::EtagMismatch:
      return app_error(409, "CONFLICT", "ETag mismatch \xE2\x80\x94 checkpoint was modified",
                       call.request_id);
    case CheckpointStore::Outcome::Created:
    case CheckpointStore::Outcome::Resaved:  // the stored record; the webhook fires again
      break;
  }
  // The save is stored: what follows (the agent seen, the webhooks) cannot turn it into a 500.
  try {
    if (saved.outcome == CheckpointStore::Outcome::Created && !agent_id.empty()) {
      ctx.storage.agents->touch(call.api_key, agent_id);
    }
    ctx.deliveries.checkpoint_saved(
        ctx.storage.webhooks->subscribed(call.api_key, "checkpoint.saved"), rec.workflow_id,
        rec.checkpoint_id, rec.step);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "snapstate-devserver: after saving %s: %s\n", rec.checkpoint_id.c_str(),
                 e.what());
  }
  return json_response(201, created_body(rec), call.request_id);
}

Response get_checkpoint(Context& ctx, Call& call) {
  RecordPtr rec = ctx.storage.checkpoints->get(call.param);
  if (!rec) {
    return app_error(404, "NOT_FOUND", "Checkpoint " + call.param + " not found", call.request_id);
  }
  const CheckpointRecord& r = *rec;
  Value v = Value::object();
  v.set("checkpoint_id", Value::from_string(r.checkpoint_id));
  v.set("workflow_id", Value::from_string(r.workflow_id));
  v.set("step", Value::from_number(r.step));
  v.set("label", r.label ? Value::from_string(*r.label) : Value::null());
  v.set("state", Value::raw(r.state_json));
  v.set("metadata", r.metadata_json ? Value::raw(*r.metadata_json) : Value::null());
  v.set("etag", Value::from_string(r.etag));
  v.set("created_at", Value::from_string(iso8601(r.created_ms)));
  v.set("expires_at", Value::from_string(iso8601(r.expires_ms)));
  v.set("diff_from_previous", Value::raw(r.diff_json));
  v.set("size_bytes", Value::from_number(static_cast<double>(r.size_bytes)));
  return json_response(200, v, call.request_id);
}

Response resume_workflow(Context& ctx, Call& call) {
  const auto writes = ctx.storage.checkpoints->writes(call.param);
  if (writes.empty()) {
    return app_error(404, "NOT_FOUND", "No checkpoints found for workflow " + call.param,
                     call.request_id);
  }
  Value v = Value::object();
  v.set("workflow_id", Value::from_string(call.param));
  v.set("latest_checkpoint", nested(*writes.back()));  // the last written, not the highest step
  v.set("total_checkpoints", Value::from_number(static_cast<double>(writes.size())));
  v.set("workflow_started_at", Value::from_string(iso8601(writes.front()->created_ms)));
  v.set("last_activity_at", Value::from_string(iso8601(writes.back()->created_ms)));
  return json_response(200, v, call.request_id);
}

Response replay_workflow(Context& ctx, Call& call) {
  const auto writes = ctx.storage.checkpoints->writes(call.param);
  const ReplayQuery& q = call.replay;
  // Upstream quirk: the first `limit` writes are taken, then filtered by step.
  const std::size_t take = std::min(writes.size(), static_cast<std::size_t>(q.limit));
  Value list = Value::array();
  for (std::size_t i = 0; i < take; ++i) {
    const double step = writes[i]->step;
    if (q.from_step && step < *q.from_step) continue;
    if (q.to_step && step > *q.to_step) continue;
    list.push(nested(*writes[i]));
  }
  const double total = static_cast<double>(list.items.size());
  Value v = Value::object();
  v.set("workflow_id", Value::from_string(call.param));
  v.set("checkpoints", std::move(list));
  v.set("total", Value::from_number(total));
  v.set("has_more", Value::from_bool(total > q.limit));  // never true, as upstream
  return json_response(200, v, call.request_id);
}

}  // namespace snapstate::devserver
