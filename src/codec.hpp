// The JSON codec: request bodies out, typed results in. Decoding failures become
// ProtocolError naming the field; no nlohmann exception leaves this layer.
#pragma once

#include <cstddef>
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
  std::string_view request_id;  // the response's, which outlives the decoding
};

// Appends the compact JSON of `value` to `out` without an intermediate string.
// Throws ValidationError (status 0, code INVALID_UTF8 or JSON_TOO_DEEP) for what cannot be
// sent, and PayloadTooLargeError (status 0, STATE_TOO_LARGE) once the text passes `limit`.
void append_json(std::string& out, const nlohmann::json& value, const char* what,
                 std::size_t limit = SIZE_MAX);

struct EncodedSave {
  std::string body;             // in this thread's recycled body buffer (see body_buffer.hpp)
  std::size_t state_begin = 0;  // where the state's compact JSON sits in `body`
  std::size_t state_size = 0;
};
// The state is refused (PayloadTooLargeError, status 0) as soon as its JSON passes 1 MiB.
EncodedSave encode_save(std::string_view workflow_id, std::int64_t step,
                        const nlohmann::json& state, const SaveOptions& options);
std::string encode_register_agent(std::string_view agent_id, std::string_view name,
                                  const AgentOptions& options);
std::string encode_update_agent(const AgentUpdate& update);
std::string encode_register_webhook(std::string_view url, const std::vector<std::string>& events,
                                    const std::optional<std::string>& secret);

// Each decodes a response body straight into its result: the body is read once, in place
// (simdjson), and only the values that are JSON in the API (state, metadata, Health::raw) become
// nlohmann::json. A body that is not JSON, or does not fit, throws ProtocolError (naming the
// field's path, e.g. "checkpoints[1].state must be an object") with the context's status and
// request id; the body is then left as it was. Once decoded, the body's buffer is handed to this
// thread's body buffer (body_buffer.hpp), where the next response is received, and `body` is
// left empty.
SaveResult decode_save_result(std::string& body, const ResponseContext& context);
Checkpoint decode_checkpoint(std::string& body, const ResponseContext& context);
WorkflowResume decode_resume(std::string& body, const ResponseContext& context);
WorkflowReplay decode_replay(std::string& body, const ResponseContext& context);
Agent decode_agent(std::string& body, const ResponseContext& context);
std::vector<Agent> decode_agent_list(std::string& body, const ResponseContext& context);
Webhook decode_webhook(std::string& body, const ResponseContext& context);
Health decode_health(std::string& body, const ResponseContext& context);

}  // namespace snapstate::detail
