#include <limits>
#include <utility>

#include "codec.hpp"
#include "json_reader.hpp"
#include "snapstate/errors.hpp"

namespace snapstate::detail {

namespace {

using nlohmann::json;

// Typed access to one JSON object of a response; every failure names the field's path. The
// path is only spelled out when something fails: decoding a good response builds no strings.
class Fields {
 public:
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);

  // The top-level object, or `name` (item `index` of it, for arrays) inside `parent`.
  Fields(json& object, const ResponseContext& context, const Fields* parent = nullptr,
         const char* name = nullptr, std::size_t index = kNoIndex)
      : object_(object), context_(context), parent_(parent), name_(name), index_(index) {
    if (!object_.is_object()) fail("", "must be an object");
  }

  std::string path() const {
    std::string out = parent_ != nullptr ? parent_->path() : std::string();
    if (name_ != nullptr) out += (out.empty() ? "" : ".") + std::string(name_);
    if (index_ != kNoIndex) out += "[" + std::to_string(index_) + "]";
    return out;
  }

  [[noreturn]] void fail(const std::string& field, const char* problem) const {
    std::string where = path();
    if (!field.empty()) where += (where.empty() ? "" : ".") + field;
    if (where.empty()) where = "response body";
    throw ProtocolError("invalid response from server: " + where + " " + problem, context_.status,
                        "INVALID_RESPONSE", context_.request_id);
  }

  json* find(const char* field) const {
    const auto it = object_.find(field);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  std::string string(const char* field) const {
    auto* value = find(field);
    if (value == nullptr) fail(field, "is missing");
    if (!value->is_string()) fail(field, "must be a string");
    return std::move(value->get_ref<std::string&>());
  }

  std::optional<std::string> optional_string(const char* field) const {
    if (find(field) == nullptr) return std::nullopt;
    return string(field);
  }

  std::int64_t integer(const char* field) const {
    auto* value = find(field);
    if (value == nullptr) fail(field, "is missing");
    if (value->is_number_unsigned()) {
      if (value->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        fail(field, "is out of range");
      }
      return static_cast<std::int64_t>(value->get<std::uint64_t>());
    }
    if (!value->is_number_integer()) fail(field, "must be an integer");
    return value->get<std::int64_t>();
  }

  std::optional<std::int64_t> optional_integer(const char* field) const {
    if (find(field) == nullptr) return std::nullopt;
    return integer(field);
  }

  bool boolean(const char* field, bool fallback) const {
    auto* value = find(field);
    if (value == nullptr) return fallback;
    if (!value->is_boolean()) fail(field, "must be a boolean");
    return value->get<bool>();
  }

  // An object moved out of the document; {} when absent or null.
  json object(const char* field, bool required) const {
    auto* value = find(field);
    if (value == nullptr) {
      if (required) fail(field, "is missing");
      return json::object();
    }
    if (!value->is_object()) fail(field, "must be an object");
    return std::move(*value);
  }

  std::vector<std::string> strings(const char* field, bool required) const {
    auto* value = find(field);
    std::vector<std::string> out;
    if (value == nullptr) {
      if (required) fail(field, "is missing");
      return out;
    }
    // The agents route stores what it is given: a bare string stands for a one-element list.
    if (value->is_string()) {
      out.push_back(std::move(value->get_ref<std::string&>()));
      return out;
    }
    if (!value->is_array()) fail(field, "must be an array of strings");
    out.reserve(value->size());
    for (auto& item : *value) {
      if (!item.is_string()) fail(field, "must be an array of strings");
      out.push_back(std::move(item.get_ref<std::string&>()));
    }
    return out;
  }

  Fields nested(const char* field) const {
    auto* value = find(field);
    if (value == nullptr) fail(field, "is missing");
    return Fields(*value, context_, this, field);
  }

  // Item `index` of the array field `field`.
  Fields item(json& value, const char* field, std::size_t index) const {
    return Fields(value, context_, this, field, index);
  }

 private:
  json& object_;
  const ResponseContext& context_;
  const Fields* parent_;
  const char* name_;
  std::size_t index_;
};

DiffFromPrevious decode_diff(const Fields& diff) {
  return DiffFromPrevious{diff.strings("added", true), diff.strings("removed", true),
                          diff.strings("changed", true)};
}

Checkpoint decode_checkpoint_fields(const Fields& f, const std::string* workflow_id) {
  Checkpoint cp;
  cp.checkpoint_id = f.string("checkpoint_id");
  if (workflow_id != nullptr && f.find("workflow_id") == nullptr) {
    cp.workflow_id = *workflow_id;  // resume and replay leave it out of nested checkpoints
  } else {
    cp.workflow_id = f.string("workflow_id");
  }
  cp.step = f.integer("step");
  cp.label = f.optional_string("label");
  cp.state = f.object("state", true);
  cp.metadata = f.object("metadata", false);
  cp.etag = f.optional_string("etag");
  cp.created_at = f.optional_string("created_at");
  if (f.find("diff_from_previous") != nullptr) {
    cp.diff_from_previous = decode_diff(f.nested("diff_from_previous"));
  }
  cp.size_bytes = f.optional_integer("size_bytes");
  cp.agent_id = f.optional_string("agent_id");
  cp.expires_at = f.optional_string("expires_at");
  if (!cp.agent_id) {
    const auto it = cp.metadata.find("agent_id");
    if (it != cp.metadata.end() && it->is_string()) cp.agent_id = it->get<std::string>();
  }
  return cp;
}

Agent decode_agent_fields(const Fields& f) {
  Agent agent;
  agent.agent_id = f.string("agent_id");
  // An upsert without a name stores null; the struct's name is then empty.
  agent.name = f.optional_string("name").value_or(std::string());
  agent.description = f.optional_string("description");
  agent.capabilities = f.strings("capabilities", false);
  agent.metadata = f.object("metadata", false);
  agent.last_seen_at = f.optional_string("last_seen_at");
  agent.created_at = f.optional_string("created_at");
  return agent;
}

}  // namespace

json parse_body(std::string& body, const ResponseContext& context) {
  json doc;
  switch (read_json(body, doc)) {
    case JsonReadStatus::ok: return doc;
    case JsonReadStatus::too_deep:
      throw ProtocolError("invalid response from server: JSON nested deeper than 1024 levels",
                          context.status, "INVALID_RESPONSE", context.request_id);
    case JsonReadStatus::invalid: break;
  }
  throw ProtocolError("invalid response from server: the body is not valid JSON (" +
                          std::to_string(body.size()) + " bytes)",
                      context.status, "INVALID_RESPONSE", context.request_id);
}

SaveResult decode_save_result(json& doc, const ResponseContext& context) {
  const Fields f(doc, context);
  SaveResult out;
  out.checkpoint_id = f.string("checkpoint_id");
  out.workflow_id = f.string("workflow_id");
  out.step = f.integer("step");
  out.etag = f.string("etag");
  out.created_at = f.string("created_at");
  out.diff_from_previous = decode_diff(f.nested("diff_from_previous"));
  out.size_bytes = f.integer("size_bytes");
  return out;
}

Checkpoint decode_checkpoint(json& doc, const ResponseContext& context) {
  return decode_checkpoint_fields(Fields(doc, context), nullptr);
}

WorkflowResume decode_resume(json& doc, const ResponseContext& context) {
  const Fields f(doc, context);
  WorkflowResume out;
  out.workflow_id = f.string("workflow_id");
  out.latest_checkpoint = decode_checkpoint_fields(f.nested("latest_checkpoint"), &out.workflow_id);
  out.total_checkpoints = f.integer("total_checkpoints");
  out.workflow_started_at = f.optional_string("workflow_started_at");
  out.last_activity_at = f.optional_string("last_activity_at");
  return out;
}

WorkflowReplay decode_replay(json& doc, const ResponseContext& context) {
  const Fields f(doc, context);
  WorkflowReplay out;
  out.workflow_id = f.string("workflow_id");
  json* list = f.find("checkpoints");
  if (list == nullptr) f.fail("checkpoints", "is missing");
  if (!list->is_array()) f.fail("checkpoints", "must be an array");
  out.checkpoints.reserve(list->size());
  std::size_t index = 0;
  for (auto& entry : *list) {
    out.checkpoints.push_back(
        decode_checkpoint_fields(f.item(entry, "checkpoints", index++), &out.workflow_id));
  }
  out.total =
      f.optional_integer("total").value_or(static_cast<std::int64_t>(out.checkpoints.size()));
  out.has_more = f.boolean("has_more", false);
  return out;
}

Agent decode_agent(json& doc, const ResponseContext& context) {
  return decode_agent_fields(Fields(doc, context));
}

std::vector<Agent> decode_agent_list(json& doc, const ResponseContext& context) {
  const Fields f(doc, context);
  json* list = f.find("agents");
  if (list == nullptr) f.fail("agents", "is missing");
  if (!list->is_array()) f.fail("agents", "must be an array");
  std::vector<Agent> out;
  out.reserve(list->size());
  std::size_t index = 0;
  for (auto& entry : *list) out.push_back(decode_agent_fields(f.item(entry, "agents", index++)));
  return out;
}

Webhook decode_webhook(json& doc, const ResponseContext& context) {
  const Fields f(doc, context);
  Webhook out;
  out.webhook_id = f.string("webhook_id");
  out.url = f.string("url");
  out.events = f.strings("events", true);
  out.created_at = f.string("created_at");
  return out;
}

Health decode_health(json& doc, const ResponseContext& context) {
  const Fields f(doc, context);
  const json* status = f.find("status");
  if (status == nullptr || !status->is_string()) f.fail("status", "must be a string");
  Health out;
  out.status = status->get<std::string>();  // copied: raw keeps the whole body
  out.raw = std::move(doc);
  return out;
}

}  // namespace snapstate::detail
