// The one place a call's outcome becomes the documented exception.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/transport.hpp"
#include "retry.hpp"

namespace snapstate::detail {

// What the five error body shapes of the server have in common.
struct ErrorBody {
  std::string code;     // empty when the shape has none
  std::string message;  // empty when the body had none
  std::optional<std::string> existing_checkpoint_id;
  std::optional<std::string> existing_etag;
};

// The code an exception for `failure` carries (TIMEOUT, CONNECTION_DROPPED, ...).
const char* failure_code(const TransportFailure& failure) noexcept;

// Never throws on malformed input: fields it cannot find stay empty. Read with the same reader
// and depth limit as every other body.
ErrorBody parse_error_body(std::string_view body) noexcept;

// Throws the exception for an outcome the call cannot return: an error status, a failure, a
// closed client. The message ends by saying why the loop stopped when it tried more than once.
// `secret` (the API key) is redacted from everything the server supplied.
[[noreturn]] void throw_outcome(const Outcome& outcome, std::string_view secret);

// The exception for an error `response` on its own (a health 503 whose body is unreadable).
[[noreturn]] void throw_http_error(const HttpResponse& response, std::string_view secret);

}  // namespace snapstate::detail
