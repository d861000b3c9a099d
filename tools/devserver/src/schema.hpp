// The routes' JSON schemas as Fastify's Ajv applies them: coerceTypes 'array' (so "7" -> 7,
// null -> "" for strings, a bare string -> [string]), allErrors off (only the first violation
// is reported), messages as Fastify formats them ("body/step must be >= 0").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "json_value.hpp"

namespace snapstate::devserver {

/// POST /checkpoints. `body` is null-typed with present=false when no body was sent.
/// Coerces in place; returns the error message, or nullopt when valid.
std::optional<std::string> validate_checkpoint_body(json::Value& body, bool present);

/// POST /webhooks.
std::optional<std::string> validate_webhook_body(json::Value& body, bool present);

struct ReplayQuery {
  std::optional<double> from_step;
  std::optional<double> to_step;
  double limit = 100;
};

/// GET /workflows/:id/replay: the raw query string (after '?').
std::optional<std::string> validate_replay_query(const std::string& raw_query, ReplayQuery& out);

/// JavaScript's ToNumber on a string (Number("0x10") == 16, Number(" 7 ") == 7); nullopt for NaN.
std::optional<double> js_string_to_number(std::string_view s);

}  // namespace snapstate::devserver
