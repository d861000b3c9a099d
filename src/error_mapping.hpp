// Turning a non-2xx response (or a transport failure) into the documented exception.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "transport.hpp"

namespace snapstate::detail {

// What the five error body shapes of the server have in common.
struct ErrorBody {
  std::string code;     // empty when the shape has none
  std::string message;  // empty when the body had none
  std::optional<std::string> existing_checkpoint_id;
  std::optional<std::string> existing_etag;
};

// Never throws on malformed input: fields it cannot find stay empty.
ErrorBody parse_error_body(std::string_view body) noexcept;

// Throws the exception for a non-2xx `response`. `attempts` > 1 is mentioned in the message.
[[noreturn]] void throw_http_error(const HttpResponse& response, int attempts,
                                   int retry_after_seconds);

// Throws NetworkError, TimeoutError, ProtocolError (too large) or SnapStateError (closed).
[[noreturn]] void throw_transport_failure(const TransportFailure& failure, int attempts);

}  // namespace snapstate::detail
