// The JSON codec: request bodies out, typed results in. Decoding failures become
// ProtocolError naming the field; no nlohmann exception leaves this layer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "snapstate/client.hpp"
#include "snapstate/types.hpp"

namespace snapstate::detail {

// Where a body came from, for error messages.
struct ResponseContext {
  int status = 0;
  std::string request_id;
};

// Appends the compact JSON of `value` to `out` without an intermediate string.
// Throws ValidationError (status 0, code INVALID_UTF8) for strings that are not UTF-8.
void append_json(std::string& out, const nlohmann::json& value, const char* what);

struct EncodedSave {
  std::string body;
  std::size_t state_bytes = 0;  // the compact JSON size of the state alone
};
// `buffer`'s capacity is reused for the body (its content is discarded).
EncodedSave encode_save(std::string_view workflow_id, std::int64_t step,
                        const nlohmann::json& state, const SaveOptions& options,
                        std::string buffer = {});
std::string encode_register_agent(std::string_view agent_id, std::string_view name,
                                  const AgentOptions& options);
std::string encode_update_agent(const AgentUpdate& update);
std::string encode_register_webhook(std::string_view url, const std::vector<std::string>& events,
                                    const std::optional<std::string>& secret);

// Parses a response body once, in place; throws ProtocolError when it is not JSON.
nlohmann::json parse_body(std::string& body, const ResponseContext& context);

// Each consumes (moves from) `doc`.
SaveResult decode_save_result(nlohmann::json& doc, const ResponseContext& context);
Checkpoint decode_checkpoint(nlohmann::json& doc, const ResponseContext& context);
WorkflowResume decode_resume(nlohmann::json& doc, const ResponseContext& context);
WorkflowReplay decode_replay(nlohmann::json& doc, const ResponseContext& context);
Agent decode_agent(nlohmann::json& doc, const ResponseContext& context);
std::vector<Agent> decode_agent_list(nlohmann::json& doc, const ResponseContext& context);
Webhook decode_webhook(nlohmann::json& doc, const ResponseContext& context);
Health decode_health(nlohmann::json& doc, const ResponseContext& context);

}  // namespace snapstate::detail
