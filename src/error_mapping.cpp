#include "error_mapping.hpp"

#include <nlohmann/json.hpp>

#include "json_reader.hpp"
#include "redact.hpp"
#include "snapstate/errors.hpp"

namespace snapstate::detail {

namespace {

std::string string_field(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::string> optional_string(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// The code when the body carried none (shapes C and D, or a non-JSON body).
std::string code_for_status(int status) {
  switch (status) {
    case 400: return "BAD_REQUEST";
    case 401: return "UNAUTHORIZED";
    case 403: return "FORBIDDEN";
    case 404: return "NOT_FOUND";
    case 409: return "CONFLICT";
    case 413: return "PAYLOAD_TOO_LARGE";
    case 415: return "UNSUPPORTED_MEDIA_TYPE";
    case 429: return "RATE_LIMITED";
    case 500: return "INTERNAL_SERVER_ERROR";
    case 502: return "BAD_GATEWAY";
    case 503: return "SERVICE_UNAVAILABLE";
    case 504: return "GATEWAY_TIMEOUT";
    default: return "HTTP_" + std::to_string(status);
  }
}

// Why the loop stopped, when that is more than the error itself says.
std::string with_reason(std::string message, const Outcome* outcome) {
  if (outcome == nullptr) return message;
  const std::string n = std::to_string(outcome->attempts);
  if (outcome->reason == StopReason::deadline) {
    return message + " (stopped by total_timeout " +
           std::to_string(outcome->total_timeout.count()) + " ms after " + n +
           (outcome->attempts == 1 ? " attempt)" : " attempts)");
  }
  if (outcome->attempts <= 1) return message;
  if (outcome->reason == StopReason::exhausted) {
    return message + " (gave up after " + n + " attempts)";
  }
  return message + " (attempt " + n + ")";
}

[[noreturn]] void throw_status(const HttpResponse& response, const Outcome* outcome,
                               std::string_view secret) {
  auto body = parse_error_body(response.body);
  const int status = response.status;
  std::string code =
      body.code.empty() ? code_for_status(status) : redact(std::move(body.code), secret);
  std::string message = body.message.empty()
                            ? "HTTP " + std::to_string(status) + " with no readable error message"
                            : redact(std::move(body.message), secret);
  message = with_reason(std::move(message), outcome);
  const std::string& id = response.request_id;  // redacted as it arrived (the transport)
  const auto redacted = [secret](std::optional<std::string> value) {
    if (value) value = redact(std::move(*value), secret);
    return value;
  };
  switch (status) {
    case 400: throw ValidationError(message, status, code, id);
    case 401: throw AuthError(message, status, code, id);
    case 403: throw ForbiddenError(message, status, code, id);
    case 404: throw NotFoundError(message, status, code, id);
    case 409:
      throw ConflictError(message, status, code, id,
                          redacted(std::move(body.existing_checkpoint_id)),
                          redacted(std::move(body.existing_etag)));
    case 413: throw PayloadTooLargeError(message, status, code, id);
    case 429:
      throw RateLimitError(message, status, code, id,
                           outcome != nullptr ? outcome->retry_after_seconds : 1);
    default:
      if (status >= 500 && status <= 599) throw ServerError(message, status, code, id);
      throw SnapStateError(message, status, code, id);
  }
}

[[noreturn]] void throw_failure(const TransportFailure& failure, const Outcome& outcome) {
  const std::string message = with_reason(failure.message, &outcome);
  const char* code = failure_code(failure);
  switch (failure.kind) {
    case FailureKind::timeout: throw TimeoutError(message, 0, code);
    case FailureKind::connect:
      if (failure.timed_out) throw TimeoutError(message, 0, code);
      throw NetworkError(message, 0, code);
    case FailureKind::too_large:
    case FailureKind::mismatched: throw ProtocolError(message, failure.status, code);
    case FailureKind::aborted: throw SnapStateError(message, 0, code);
    case FailureKind::dropped:
    case FailureKind::tls:
    case FailureKind::other: break;
  }
  throw NetworkError(message, 0, code);
}

}  // namespace

const char* failure_code(const TransportFailure& failure) noexcept {
  switch (failure.kind) {
    case FailureKind::timeout: return "TIMEOUT";
    case FailureKind::connect: return failure.timed_out ? "CONNECT_TIMEOUT" : "CONNECTION_FAILED";
    case FailureKind::dropped: return "CONNECTION_DROPPED";
    case FailureKind::mismatched: return "MISMATCHED_RESPONSE";
    case FailureKind::tls: return "TLS_ERROR";
    case FailureKind::too_large: return "RESPONSE_TOO_LARGE";
    case FailureKind::aborted: return "CLIENT_CLOSED";
    case FailureKind::other: break;
  }
  return "NETWORK_ERROR";
}

ErrorBody parse_error_body(std::string_view body) noexcept {
  ErrorBody out;
  try {
    // The same reader, depth limit and size bound as any other body.
    std::string text(body);
    nlohmann::json json;
    if (read_json(text, json) != JsonReadStatus::ok || !json.is_object()) return out;
    const auto error = json.find("error");
    if (error != json.end() && error->is_object()) {
      // Shape A: the application's own {"error":{"code","message"}}, maybe with "existing".
      out.code = string_field(*error, "code");
      out.message = string_field(*error, "message");
      const auto existing = json.find("existing");
      if (existing != json.end() && existing->is_object()) {
        out.existing_checkpoint_id = optional_string(*existing, "checkpoint_id");
        out.existing_etag = optional_string(*existing, "etag");
      }
    } else {
      // Shapes B-E: Fastify's flat bodies; "error" is the reason phrase, "code" may be absent.
      out.code = string_field(json, "code");
      out.message = string_field(json, "message");
      if (out.message.empty()) out.message = string_field(json, "error");
    }
  } catch (...) {
    // A body we cannot read (or memory exhaustion) leaves the fields empty: the status decides.
    out = ErrorBody{};
  }
  return out;
}

void throw_outcome(const Outcome& outcome, std::string_view secret) {
  if (outcome.reason == StopReason::closed) {
    throw SnapStateError("the client was closed", 0, "CLIENT_CLOSED");
  }
  if (const auto* failure = std::get_if<TransportFailure>(&outcome.last)) {
    throw_failure(*failure, outcome);
  }
  throw_status(std::get<HttpResponse>(outcome.last), &outcome, secret);
}

void throw_http_error(const HttpResponse& response, std::string_view secret) {
  throw_status(response, nullptr, secret);
}

}  // namespace snapstate::detail
