#include <simdjson.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

#include "body_buffer.hpp"
#include "codec.hpp"
#include "json_depth.hpp"
#include "json_reader.hpp"
#include "snapstate/errors.hpp"

namespace snapstate::detail {

namespace {

using nlohmann::json;
using simdjson::dom::element;
using simdjson::dom::element_type;

// Where a value sits in the response, for error messages. The path is only spelled out when
// something fails: decoding a good response builds no strings for it.
struct Where {
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);

  const Where* parent = nullptr;
  std::string_view name;         // the field of the parent object; empty at the top
  std::size_t index = kNoIndex;  // the item of that field, for arrays

  std::string path() const {
    std::string out = parent != nullptr ? parent->path() : std::string();
    if (!name.empty()) {
      if (!out.empty()) out += '.';
      out += name;
    }
    if (index != kNoIndex) out += "[" + std::to_string(index) + "]";
    return out;
  }
};

[[noreturn]] void fail(const ResponseContext& context, const Where& where, std::string_view field,
                       const char* problem) {
  std::string at = where.path();
  if (!field.empty()) {
    if (!at.empty()) at += '.';
    at += field;
  }
  if (at.empty()) at = "response body";
  throw ProtocolError("invalid response from server: " + at + " " + problem, context.status,
                      "INVALID_RESPONSE", std::string(context.request_id));
}

// The fields of one response object that a decoder reads, found in one pass over it: slot i
// holds the value named names[i], absent when missing or null. A key that occurs twice counts
// once, with its last value, as nlohmann reads it; unknown keys are ignored.
template <std::size_t N>
class Fields {
 public:
  using Names = std::array<std::string_view, N>;

  // `where` outlives the Fields: a local of the caller (where_of() of the enclosing object).
  Fields(element value, const Names& names, const ResponseContext& context, const Where& where)
      : value_(value), names_(names), context_(context), where_(where) {
    if (value.type() != element_type::OBJECT) fail(context_, where_, {}, "must be an object");
    for (const auto field : simdjson::dom::object(value)) {
      const std::string_view key = field.key;
      for (std::size_t i = 0; i < N; ++i) {
        // Length and first byte tell most names apart before any comparison call.
        const std::string_view name = names_[i];
        if (key.size() != name.size() || key[0] != name[0] || key != name) continue;
        slots_[i] = field.value;
        present_[i] = !field.value.is_null();
        break;
      }
    }
  }

  bool has(std::size_t i) const { return present_[i]; }
  element at(std::size_t i) const { return slots_[i]; }
  element self() const { return value_; }  // the whole object
  const ResponseContext& context() const { return context_; }

  // Where the value in slot i (item `index` of it, for an array) sits.
  Where where_of(std::size_t i, std::size_t index = Where::kNoIndex) const {
    return Where{&where_, names_[i], index};
  }

  element required(std::size_t i) const {
    if (!has(i)) fail_at(i, "is missing");
    return slots_[i];
  }

  [[noreturn]] void fail_at(std::size_t i, const char* problem) const {
    fail(context_, where_, names_[i], problem);
  }

  std::string_view text(std::size_t i) const {
    if (required(i).type() != element_type::STRING) fail_at(i, "must be a string");
    return slots_[i].get_string().value_unsafe();
  }

  std::string string(std::size_t i) const { return std::string(text(i)); }

  std::optional<std::string> optional_string(std::size_t i) const {
    if (!has(i)) return std::nullopt;
    return string(i);
  }

  std::int64_t integer(std::size_t i) const {
    switch (required(i).type()) {
      case element_type::INT64: return slots_[i].get_int64().value_unsafe();
      case element_type::UINT64: fail_at(i, "is out of range");  // simdjson: above INT64_MAX
      default: fail_at(i, "must be an integer");
    }
  }

  std::optional<std::int64_t> optional_integer(std::size_t i) const {
    if (!has(i)) return std::nullopt;
    return integer(i);
  }

  bool boolean(std::size_t i, bool fallback) const {
    if (!has(i)) return fallback;
    if (slots_[i].type() != element_type::BOOL) fail_at(i, "must be a boolean");
    return slots_[i].get_bool().value_unsafe();
  }

  // Sets `out` to the object field; leaves it as it is (an empty object) when absent or null.
  void object(std::size_t i, bool required, json& out) const {
    if (!has(i)) {
      if (required) fail_at(i, "is missing");
      return;
    }
    if (slots_[i].type() != element_type::OBJECT) fail_at(i, "must be an object");
    assign_json(out, slots_[i]);
  }

  std::vector<std::string> strings(std::size_t i, bool required) const {
    std::vector<std::string> out;
    if (!has(i)) {
      if (required) fail_at(i, "is missing");
      return out;
    }
    const element value = slots_[i];
    // The agents route stores what it is given: a bare string stands for a one-element list.
    if (value.type() == element_type::STRING) {
      out.emplace_back(value.get_string().value_unsafe());
      return out;
    }
    if (value.type() != element_type::ARRAY) fail_at(i, "must be an array of strings");
    const simdjson::dom::array items(value);
    out.reserve(items.size());
    for (const auto item : items) {
      if (item.type() != element_type::STRING) fail_at(i, "must be an array of strings");
      out.emplace_back(item.get_string().value_unsafe());
    }
    return out;
  }

  // The array field's items; fails unless it is an array.
  simdjson::dom::array array(std::size_t i) const {
    if (required(i).type() != element_type::ARRAY) fail_at(i, "must be an array");
    return simdjson::dom::array(slots_[i]);
  }

 private:
  element value_;
  std::array<element, N> slots_{};
  std::array<bool, N> present_{};
  const Names& names_;
  const ResponseContext& context_;
  const Where& where_;
};

// Not constexpr: a slot() that finds no such name cannot be a constant, so it does not compile.
void no_such_field() {}

// The slot of `name` among `names`, for the constants below.
template <std::size_t N>
constexpr std::size_t slot(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return i;
  }
  no_such_field();
  return N;
}

// The keys each decoder reads, and their slots.
namespace diff {
constexpr Fields<3>::Names kNames = {"added", "removed", "changed"};
constexpr std::size_t added = slot(kNames, "added"), removed = slot(kNames, "removed"),
                      changed = slot(kNames, "changed");
}  // namespace diff

namespace checkpoint {
constexpr Fields<12>::Names kNames = {"checkpoint_id", "workflow_id", "step",
                                      "label",         "state",       "metadata",
                                      "etag",          "created_at",  "diff_from_previous",
                                      "size_bytes",    "agent_id",    "expires_at"};
constexpr std::size_t checkpoint_id = slot(kNames, "checkpoint_id"),
                      workflow_id = slot(kNames, "workflow_id"), step = slot(kNames, "step"),
                      label = slot(kNames, "label"), state = slot(kNames, "state"),
                      metadata = slot(kNames, "metadata"), etag = slot(kNames, "etag"),
                      created_at = slot(kNames, "created_at"),
                      diff_from_previous = slot(kNames, "diff_from_previous"),
                      size_bytes = slot(kNames, "size_bytes"), agent_id = slot(kNames, "agent_id"),
                      expires_at = slot(kNames, "expires_at");
}  // namespace checkpoint

namespace save {
constexpr Fields<7>::Names kNames = {"checkpoint_id", "workflow_id",        "step",      "etag",
                                     "created_at",    "diff_from_previous", "size_bytes"};
constexpr std::size_t checkpoint_id = slot(kNames, "checkpoint_id"),
                      workflow_id = slot(kNames, "workflow_id"), step = slot(kNames, "step"),
                      etag = slot(kNames, "etag"), created_at = slot(kNames, "created_at"),
                      diff_from_previous = slot(kNames, "diff_from_previous"),
                      size_bytes = slot(kNames, "size_bytes");
}  // namespace save

namespace resume {
constexpr Fields<5>::Names kNames = {"workflow_id", "latest_checkpoint", "total_checkpoints",
                                     "workflow_started_at", "last_activity_at"};
constexpr std::size_t workflow_id = slot(kNames, "workflow_id"),
                      latest_checkpoint = slot(kNames, "latest_checkpoint"),
                      total_checkpoints = slot(kNames, "total_checkpoints"),
                      workflow_started_at = slot(kNames, "workflow_started_at"),
                      last_activity_at = slot(kNames, "last_activity_at");
}  // namespace resume

namespace replay {
constexpr Fields<4>::Names kNames = {"workflow_id", "checkpoints", "total", "has_more"};
constexpr std::size_t workflow_id = slot(kNames, "workflow_id"),
                      checkpoints = slot(kNames, "checkpoints"), total = slot(kNames, "total"),
                      has_more = slot(kNames, "has_more");
}  // namespace replay

namespace agent {
constexpr Fields<7>::Names kNames = {"agent_id", "name",         "description", "capabilities",
                                     "metadata", "last_seen_at", "created_at"};
constexpr std::size_t agent_id = slot(kNames, "agent_id"), name = slot(kNames, "name"),
                      description = slot(kNames, "description"),
                      capabilities = slot(kNames, "capabilities"),
                      metadata = slot(kNames, "metadata"),
                      last_seen_at = slot(kNames, "last_seen_at"),
                      created_at = slot(kNames, "created_at");
}  // namespace agent

namespace agent_list {
constexpr Fields<1>::Names kNames = {"agents"};
constexpr std::size_t agents = slot(kNames, "agents");
}  // namespace agent_list

namespace webhook {
constexpr Fields<4>::Names kNames = {"webhook_id", "url", "events", "created_at"};
constexpr std::size_t webhook_id = slot(kNames, "webhook_id"), url = slot(kNames, "url"),
                      events = slot(kNames, "events"), created_at = slot(kNames, "created_at");
}  // namespace webhook

namespace health {
constexpr Fields<1>::Names kNames = {"status"};
constexpr std::size_t status = slot(kNames, "status");
}  // namespace health

// The diff object in `parent`'s slot `field`.
template <std::size_t N>
DiffFromPrevious decode_diff(const Fields<N>& parent, std::size_t field) {
  const Where where = parent.where_of(field);
  const Fields<3> f(parent.required(field), diff::kNames, parent.context(), where);
  return DiffFromPrevious{f.strings(diff::added, true), f.strings(diff::removed, true),
                          f.strings(diff::changed, true)};
}

// Fills `cp` (default-constructed) from a checkpoint object. Resume and replay leave
// workflow_id out of nested checkpoints: it is then `enclosing`, the workflow's.
void decode_checkpoint_into(Checkpoint& cp, const Fields<12>& f, const std::string* enclosing) {
  using namespace checkpoint;
  cp.checkpoint_id = f.string(checkpoint_id);
  if (enclosing != nullptr && !f.has(workflow_id)) {
    cp.workflow_id = *enclosing;
  } else {
    cp.workflow_id = f.string(workflow_id);
  }
  cp.step = f.integer(step);
  cp.label = f.optional_string(label);
  f.object(state, true, cp.state);
  f.object(metadata, false, cp.metadata);
  cp.etag = f.optional_string(etag);
  cp.created_at = f.optional_string(created_at);
  if (f.has(diff_from_previous)) cp.diff_from_previous = decode_diff(f, diff_from_previous);
  cp.size_bytes = f.optional_integer(size_bytes);
  cp.agent_id = f.optional_string(agent_id);
  cp.expires_at = f.optional_string(expires_at);
  if (!cp.agent_id) {
    const auto it = cp.metadata.find(std::string_view("agent_id"));
    if (it != cp.metadata.end() && it->is_string()) cp.agent_id = it->get<std::string>();
  }
}

// The checkpoint object at `value` (where `where` says) into `cp`.
void decode_checkpoint_at(Checkpoint& cp, element value, const Where& where,
                          const ResponseContext& context, const std::string* enclosing) {
  decode_checkpoint_into(cp, Fields<12>(value, checkpoint::kNames, context, where), enclosing);
}

Agent decode_agent_fields(const Fields<7>& f) {
  using namespace agent;
  Agent out;
  out.agent_id = f.string(agent_id);
  // An upsert without a name stores null; the struct's name is then empty.
  if (f.has(name)) out.name = f.string(name);
  out.description = f.optional_string(description);
  out.capabilities = f.strings(capabilities, false);
  f.object(metadata, false, out.metadata);
  out.last_seen_at = f.optional_string(last_seen_at);
  out.created_at = f.optional_string(created_at);
  return out;
}

[[noreturn]] void unreadable(JsonReadStatus status, std::size_t size,
                             const ResponseContext& context) {
  if (status == JsonReadStatus::too_deep) {
    throw ProtocolError("invalid response from server: JSON nested deeper than " +
                            std::to_string(kMaxReadDepth) + " levels",
                        context.status, "INVALID_RESPONSE", std::string(context.request_id));
  }
  throw ProtocolError("invalid response from server: the body is not valid JSON (" +
                          std::to_string(size) + " bytes)",
                      context.status, "INVALID_RESPONSE", std::string(context.request_id));
}

// Reads `body`, hands `decode` the fields `names` of its top-level object and, once decoded,
// gives the buffer back to the thread.
template <std::size_t N, class Decode>
auto decode_body(std::string& body, const ResponseContext& context,
                 const typename Fields<N>::Names& names, Decode decode) {
  const JsonDocument document(body);
  if (document.status() != JsonReadStatus::ok) unreadable(document.status(), body.size(), context);
  const Where top;
  auto out = decode(Fields<N>(document.root(), names, context, top));
  recycle_body_buffer(std::move(body));
  return out;
}

}  // namespace

SaveResult decode_save_result(std::string& body, const ResponseContext& context) {
  return decode_body<7>(body, context, save::kNames, [](const Fields<7>& f) {
    using namespace save;
    SaveResult out;
    out.checkpoint_id = f.string(checkpoint_id);
    out.workflow_id = f.string(workflow_id);
    out.step = f.integer(step);
    out.etag = f.string(etag);
    out.created_at = f.string(created_at);
    out.diff_from_previous = decode_diff(f, diff_from_previous);
    out.size_bytes = f.integer(size_bytes);
    return out;
  });
}

Checkpoint decode_checkpoint(std::string& body, const ResponseContext& context) {
  return decode_body<12>(body, context, checkpoint::kNames, [](const Fields<12>& f) {
    Checkpoint out;
    decode_checkpoint_into(out, f, nullptr);
    return out;
  });
}

WorkflowResume decode_resume(std::string& body, const ResponseContext& context) {
  return decode_body<5>(body, context, resume::kNames, [](const Fields<5>& f) {
    using namespace resume;
    WorkflowResume out;
    out.workflow_id = f.string(workflow_id);
    decode_checkpoint_at(out.latest_checkpoint, f.required(latest_checkpoint),
                         f.where_of(latest_checkpoint), f.context(), &out.workflow_id);
    out.total_checkpoints = f.integer(total_checkpoints);
    out.workflow_started_at = f.optional_string(workflow_started_at);
    out.last_activity_at = f.optional_string(last_activity_at);
    return out;
  });
}

WorkflowReplay decode_replay(std::string& body, const ResponseContext& context) {
  return decode_body<4>(body, context, replay::kNames, [](const Fields<4>& f) {
    using namespace replay;
    WorkflowReplay out;
    out.workflow_id = f.string(workflow_id);
    const auto list = f.array(checkpoints);
    out.checkpoints.reserve(list.size());
    for (const auto entry : list) {
      const Where where = f.where_of(checkpoints, out.checkpoints.size());
      decode_checkpoint_at(out.checkpoints.emplace_back(), entry, where, f.context(),
                           &out.workflow_id);
    }
    out.total =
        f.optional_integer(total).value_or(static_cast<std::int64_t>(out.checkpoints.size()));
    out.has_more = f.boolean(has_more, false);
    return out;
  });
}

Agent decode_agent(std::string& body, const ResponseContext& context) {
  return decode_body<7>(body, context, agent::kNames, decode_agent_fields);
}

std::vector<Agent> decode_agent_list(std::string& body, const ResponseContext& context) {
  return decode_body<1>(body, context, agent_list::kNames, [](const Fields<1>& f) {
    const auto list = f.array(agent_list::agents);
    std::vector<Agent> out;
    out.reserve(list.size());
    for (const auto entry : list) {
      const Where where = f.where_of(agent_list::agents, out.size());
      out.push_back(decode_agent_fields(Fields<7>(entry, agent::kNames, f.context(), where)));
    }
    return out;
  });
}

Webhook decode_webhook(std::string& body, const ResponseContext& context) {
  return decode_body<4>(body, context, webhook::kNames, [](const Fields<4>& f) {
    using namespace webhook;
    Webhook out;
    out.webhook_id = f.string(webhook_id);
    out.url = f.string(url);
    out.events = f.strings(events, true);
    out.created_at = f.string(created_at);
    return out;
  });
}

Health decode_health(std::string& body, const ResponseContext& context) {
  return decode_body<1>(body, context, health::kNames, [](const Fields<1>& f) {
    if (!f.has(health::status) || f.at(health::status).type() != element_type::STRING) {
      f.fail_at(health::status, "must be a string");
    }
    Health out;
    out.status = f.string(health::status);
    assign_json(out.raw, f.self());  // the whole body
    return out;
  });
}

}  // namespace snapstate::detail
