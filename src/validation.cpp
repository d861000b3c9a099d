#include "validation.hpp"

#include "protocol/js_number.hpp"
#include "snapstate/client.hpp"
#include "snapstate/errors.hpp"
#include "url.hpp"
#include "utf8.hpp"

namespace snapstate::detail {

namespace {

[[noreturn]] void refuse(const std::string& message, const char* code) {
  throw ValidationError(message, 0, code);
}

std::size_t checked_length(std::string_view text, const char* field, const char* code) {
  const auto length = utf8_length(text);
  if (!length) refuse(std::string(field) + " is not valid UTF-8", code);
  return *length;
}

}  // namespace

bool is_header_safe(std::string_view value) noexcept {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void check_workflow_id(std::string_view workflow_id) {
  const auto length = checked_length(workflow_id, "workflow_id", "INVALID_WORKFLOW_ID");
  if (length < 1 || length > 128) {
    refuse("workflow_id must be 1 to 128 characters (got " + std::to_string(length) + ")",
           "INVALID_WORKFLOW_ID");
  }
}

void check_step(std::int64_t step) {
  if (step < 0) refuse("step must be >= 0 (got " + std::to_string(step) + ")", "INVALID_STEP");
  // The server reads a step as a JavaScript number: a larger one would be stored as another.
  if (step > protocol::kMaxSafeInteger) {
    refuse("step must be at most " + std::to_string(protocol::kMaxSafeInteger) +
               ", the largest the server stores exactly (got " + std::to_string(step) + ")",
           "INVALID_STEP");
  }
}

void check_label(std::string_view label) {
  if (checked_length(label, "label", "INVALID_LABEL") > 256) {
    refuse("label must be at most 256 characters", "INVALID_LABEL");
  }
}

void check_agent_id(std::string_view agent_id) {
  const bool ok = !agent_id.empty() && agent_id.size() <= 255 &&
                  agent_id.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") ==
                      std::string_view::npos;
  if (!ok) {
    refuse("agent_id must be 1 to 255 letters, digits, underscores or hyphens", "INVALID_AGENT_ID");
  }
}

void check_agent_tag(std::string_view agent_id) {
  if (checked_length(agent_id, "agent_id", "INVALID_AGENT_ID") > 255) {
    refuse("agent_id must be at most 255 characters", "INVALID_AGENT_ID");
  }
}

void check_object(const nlohmann::json& value, const char* field, const char* code) {
  if (!value.is_object()) {
    refuse(std::string(field) + " must be a JSON object (got " + value.type_name() + ")", code);
  }
}

void check_ttl(std::int64_t ttl_seconds) {
  if (ttl_seconds <= 0) refuse("ttl_seconds must be > 0", "INVALID_TTL");
}

void check_if_match(std::string_view if_match) {
  checked_length(if_match, "if_match", "INVALID_IF_MATCH");
  if (!is_header_safe(if_match)) {
    refuse("if_match must not contain CR, LF or NUL", "INVALID_IF_MATCH");
  }
}

void check_replay(const ReplayOptions& options) {
  if (options.from_step && *options.from_step < 0) {
    refuse("from_step must be >= 0", "INVALID_REPLAY_OPTIONS");
  }
  if (options.to_step && *options.to_step < 0) {
    refuse("to_step must be >= 0", "INVALID_REPLAY_OPTIONS");
  }
  if (options.limit && (*options.limit < 1 || *options.limit > 1000)) {
    refuse("limit must be between 1 and 1000", "INVALID_REPLAY_OPTIONS");
  }
}

void check_id(std::string_view id, const char* field, const char* code) {
  if (checked_length(id, field, code) == 0) refuse(std::string(field) + " must not be empty", code);
}

void check_text(std::string_view text, const char* field) {
  checked_length(text, field, "INVALID_UTF8");
}

void check_webhook(std::string_view url, const std::vector<std::string>& events,
                   const std::optional<std::string>& secret) {
  const auto url_length = checked_length(url, "url", "INVALID_URL");
  if (!has_http_scheme(url) || url_length > 2048) {
    refuse("webhook url must be an http:// or https:// URL of at most 2048 characters",
           "INVALID_URL");
  }
  if (events.empty()) refuse("events must name at least one event", "INVALID_EVENTS");
  for (const auto& event : events) {
    if (event != "checkpoint.saved" && event != "workflow.resumed" && event != "workflow.expired") {
      refuse("unknown event '" + event +
                 "' (expected checkpoint.saved, workflow.resumed or workflow.expired)",
             "INVALID_EVENTS");
    }
  }
  if (secret && checked_length(*secret, "secret", "INVALID_SECRET") > 256) {
    refuse("secret must be at most 256 characters", "INVALID_SECRET");
  }
}

}  // namespace snapstate::detail
