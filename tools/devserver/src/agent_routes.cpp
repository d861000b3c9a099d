// /agents: per account, no JSON schema and no rate limit upstream.
#include "app.hpp"
#include "js_number.hpp"
#include "responses.hpp"

namespace snapstate::devserver {
namespace {

using json::Type;
using json::Value;

Response not_found(const Call& call) {
  return app_error(404, "AGENT_NOT_FOUND", "Agent '" + call.param + "' not found", call.request_id);
}

Response validation_error(const Call& call, const std::string& message) {
  return app_error(400, "VALIDATION_ERROR", message, call.request_id);
}

bool js_truthy(const Value& v) {
  switch (v.type) {
    case Type::Null: return false;
    case Type::Bool: return v.boolean;
    case Type::Number: return v.number != 0 && v.number == v.number;
    case Type::String: return !v.text.empty();
    default: return true;
  }
}

}  // namespace

Response create_agent(Context& ctx, Call& call) {
  const Value* id = call.body.is_object() ? call.body.find("agent_id") : nullptr;
  if (id == nullptr || !js_truthy(*id)) return validation_error(call, "agent_id is required");
  // The regex test sees String(agent_id); objects and arrays never match it here.
  std::string agent_id;
  if (id->type == Type::String) agent_id = id->text;
  if (id->type == Type::Number) agent_id = protocol::js_number_to_string(id->number);
  if (id->type == Type::Bool) agent_id = "true";
  if (!valid_agent_id(agent_id)) {
    return validation_error(call,
                            "agent_id must be 1\xE2\x80\x93"
                            "255 alphanumeric characters, underscores, or hyphens");
  }
  auto agent = ctx.storage.agents->upsert(call.api_key, agent_id, agent_fields(call.body));
  if (!agent) {
    return app_error(400, "MAX_AGENTS_REACHED",
                     "Maximum of " + std::to_string(AgentStore::kMaxAgents) + " agents reached",
                     call.request_id);
  }
  return json_response(201, to_json(*agent), call.request_id);
}

Response list_agents(Context& ctx, Call& call) {
  Value list = Value::array();
  for (const auto& a : ctx.storage.agents->list(call.api_key)) list.push(to_json(a));
  Value body = Value::object();
  body.set("agents", std::move(list));
  return json_response(200, body, call.request_id);
}

Response get_agent(Context& ctx, Call& call) {
  auto agent = ctx.storage.agents->get(call.api_key, call.param);
  return agent ? json_response(200, to_json(*agent), call.request_id) : not_found(call);
}

Response patch_agent(Context& ctx, Call& call) {
  const AgentFields fields = agent_fields(call.body);
  if (fields.empty()) return validation_error(call, "No updatable fields provided");
  auto agent = ctx.storage.agents->patch(call.api_key, call.param, fields);
  return agent ? json_response(200, to_json(*agent), call.request_id) : not_found(call);
}

Response delete_agent(Context& ctx, Call& call) {
  return ctx.storage.agents->remove(call.api_key, call.param) ? no_content(call.request_id)
                                                              : not_found(call);
}

}  // namespace snapstate::devserver
