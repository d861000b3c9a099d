// Client-side checks: each throws ValidationError (status 0, a client code) before anything
// is sent. The state's own size is checked while it is written (codec.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace snapstate {
struct ReplayOptions;
}

namespace snapstate::detail {

// True when `value` may be sent as a header value (no CR, LF or NUL).
bool is_header_safe(std::string_view value) noexcept;

void check_workflow_id(std::string_view workflow_id);
void check_step(std::int64_t step);
void check_label(std::string_view label);
void check_agent_id(std::string_view agent_id);   // ^[A-Za-z0-9_-]{1,255}$
void check_agent_tag(std::string_view agent_id);  // agent_id on a save: <= 255 characters
void check_object(const nlohmann::json& value, const char* field, const char* code);
void check_ttl(std::int64_t ttl_seconds);
void check_if_match(std::string_view if_match);
void check_replay(const ReplayOptions& options);
void check_id(std::string_view id, const char* field, const char* code);  // non-empty UTF-8
void check_text(std::string_view text, const char* field);                // valid UTF-8
void check_webhook(std::string_view url, const std::vector<std::string>& events,
                   const std::optional<std::string>& secret);

}  // namespace snapstate::detail
