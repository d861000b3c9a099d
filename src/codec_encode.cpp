#include <nlohmann/json.hpp>

#include "body_buffer.hpp"
#include "codec.hpp"
#include "json_depth.hpp"
#include "json_writer.hpp"
#include "protocol/limits.hpp"
#include "snapstate/errors.hpp"

namespace snapstate::detail {

namespace {

// Writes `"key":` (keys are our own ASCII literals, never user text).
void key(std::string& out, const char* name) {
  out.push_back('"');
  out.append(name);
  out.append("\":");
}

void string_field(std::string& out, const char* name, std::string_view value) {
  key(out, name);
  append_json(out, nlohmann::json(value), name);
}

void strings_field(std::string& out, const char* name, const std::vector<std::string>& values) {
  key(out, name);
  append_json(out, nlohmann::json(values), name);
}

}  // namespace

void append_json(std::string& out, const nlohmann::json& value, const char* what,
                 std::size_t limit) {
  std::size_t bad_offset = 0;
  switch (write_json(out, value, bad_offset, limit)) {
    case JsonWriteStatus::ok: return;
    case JsonWriteStatus::too_deep:
      throw ValidationError(
          std::string(what) + " is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels",
          0, "JSON_TOO_DEEP");
    case JsonWriteStatus::too_large:
      throw PayloadTooLargeError(std::string(what) + "'s JSON is larger than " +
                                     std::to_string(limit) + " bytes, the most the server accepts",
                                 0, std::string("STATE_TOO_LARGE"));
    case JsonWriteStatus::invalid_utf8: break;
  }
  throw ValidationError(std::string(what) + " cannot be sent as JSON: a string in it is not " +
                            "valid UTF-8 (byte " + std::to_string(bad_offset) + ")",
                        0, "INVALID_UTF8");
}

EncodedSave encode_save(std::string_view workflow_id, std::int64_t step,
                        const nlohmann::json& state, const SaveOptions& options) {
  EncodedSave out;
  out.body = take_body_buffer();
  std::string& body = out.body;
  body.reserve(128 + workflow_id.size());
  body.push_back('{');
  string_field(body, "workflow_id", workflow_id);
  body.push_back(',');
  key(body, "step");
  body.append(std::to_string(step));
  if (options.label) {
    body.push_back(',');
    string_field(body, "label", *options.label);
  }
  body.push_back(',');
  key(body, "state");
  out.state_begin = body.size();
  append_json(body, state, "state", protocol::kMaxBodyBytes);
  out.state_size = body.size() - out.state_begin;
  if (options.metadata) {
    body.push_back(',');
    key(body, "metadata");
    append_json(body, *options.metadata, "metadata");
  }
  if (options.agent_id) {
    body.push_back(',');
    string_field(body, "agent_id", *options.agent_id);
  }
  body.push_back('}');
  return out;
}

std::string encode_register_agent(std::string_view agent_id, std::string_view name,
                                  const AgentOptions& options) {
  std::string body = "{";
  string_field(body, "agent_id", agent_id);
  body.push_back(',');
  string_field(body, "name", name);
  if (options.description) {
    body.push_back(',');
    string_field(body, "description", *options.description);
  }
  if (options.capabilities) {
    body.push_back(',');
    strings_field(body, "capabilities", *options.capabilities);
  }
  if (options.metadata) {
    body.push_back(',');
    key(body, "metadata");
    append_json(body, *options.metadata, "metadata");
  }
  body.push_back('}');
  return body;
}

std::string encode_update_agent(const AgentUpdate& update) {
  std::string body = "{";
  const auto separator = [&body] {
    if (body.size() > 1) body.push_back(',');
  };
  if (update.name) {
    separator();
    string_field(body, "name", *update.name);
  }
  if (update.description) {
    separator();
    string_field(body, "description", *update.description);
  }
  if (update.capabilities) {
    separator();
    strings_field(body, "capabilities", *update.capabilities);
  }
  if (update.metadata) {
    separator();
    key(body, "metadata");
    append_json(body, *update.metadata, "metadata");
  }
  body.push_back('}');
  return body;
}

std::string encode_register_webhook(std::string_view url, const std::vector<std::string>& events,
                                    const std::optional<std::string>& secret) {
  std::string body = "{";
  string_field(body, "url", url);
  body.push_back(',');
  strings_field(body, "events", events);
  if (secret) {
    body.push_back(',');
    string_field(body, "secret", *secret);
  }
  body.push_back('}');
  return body;
}

}  // namespace snapstate::detail
