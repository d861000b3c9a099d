/// @file errors.hpp
/// @brief The exception hierarchy thrown by every SnapStateClient call.
///
/// Every exception derives from SnapStateError, which derives from std::runtime_error.
/// Copying an exception never throws. what() is the server's message or a clear client-side
/// one and never contains the API key.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "snapstate/export.hpp"

namespace snapstate {

/// Base of every error the library reports.
///
/// - status_code(): the HTTP status, or 0 when no response was involved (the client refused
///   the input, the network failed, the client is closed).
/// - code(): the server's machine-readable code (`NOT_FOUND`, `FST_ERR_VALIDATION`, ...) or the
///   client's own (`INVALID_WORKFLOW_ID`, `CLIENT_CLOSED`, `INVALID_RESPONSE`, `TIMEOUT`, ...).
/// - request_id(): the response's X-Request-Id, empty when there was none.
class SNAPSTATE_EXPORT SnapStateError : public std::runtime_error {
 public:
  /// @param message     what() text; must not contain secrets.
  /// @param status_code HTTP status, 0 when there was no response.
  /// @param code        machine-readable code.
  /// @param request_id  the response's X-Request-Id, or empty.
  SnapStateError(const std::string& message, int status_code, std::string code,
                 std::string request_id = {});

  /// HTTP status of the response, or 0 when there was none.
  int status_code() const noexcept;
  /// Machine-readable error code; never empty.
  const std::string& code() const noexcept;
  /// The response's X-Request-Id, or empty.
  const std::string& request_id() const noexcept;

 protected:
  /// @cond INTERNAL
  struct Details;
  SnapStateError(const std::string& message, std::shared_ptr<const Details> details);
  const Details& details() const noexcept;
  /// @endcond

 private:
  std::shared_ptr<const Details> details_;
};

/// 400, or status 0 when the client refused the input before sending anything.
class SNAPSTATE_EXPORT ValidationError : public SnapStateError {
 public:
  using SnapStateError::SnapStateError;
};

/// 401: missing, malformed, unknown, revoked or expired API key.
class SNAPSTATE_EXPORT AuthError : public SnapStateError {
 public:
  using SnapStateError::SnapStateError;
};

/// 403: the account is not active.
class SNAPSTATE_EXPORT ForbiddenError : public SnapStateError {
 public:
  using SnapStateError::SnapStateError;
};

/// 404: no such checkpoint, workflow, agent, webhook or route.
class SNAPSTATE_EXPORT NotFoundError : public SnapStateError {
 public:
  using SnapStateError::SnapStateError;
};

/// 409: the (workflow_id, step) checkpoint exists already, or If-Match did not match.
class SNAPSTATE_EXPORT ConflictError : public SnapStateError {
 public:
  /// As SnapStateError, plus the stored checkpoint the server reported, when it did.
  ConflictError(const std::string& message, int status_code, std::string code,
                std::string request_id, std::optional<std::string> existing_checkpoint_id,
                std::optional<std::string> existing_etag);

  /// The stored checkpoint's id, when the server reported it (a plain re-save).
  const std::optional<std::string>& existing_checkpoint_id() const noexcept;
  /// The stored checkpoint's etag (quotes included), usable as SaveOptions::if_match.
  const std::optional<std::string>& existing_etag() const noexcept;
};

/// 413, or status 0 when the client measured the state as larger than 1 MiB first.
class SNAPSTATE_EXPORT PayloadTooLargeError : public SnapStateError {
 public:
  using SnapStateError::SnapStateError;
};

/// 429 on the last allowed attempt.
class SNAPSTATE_EXPORT RateLimitError : public SnapStateError {
 public:
  /// As SnapStateError, plus the server's Retry-After in seconds.
  RateLimitError(const std::string& message, int status_code, std::string code,
                 std::string request_id, int retry_after);

  /// Seconds the server asked to wait (Retry-After), 1 when it gave none.
  int retry_after() const noexcept;
};

/// 5xx.
class SNAPSTATE_EXPORT ServerError : public SnapStateError {
 public:
  using SnapStateError::SnapStateError;
};

/// The response could not be understood: bad JSON, wrong types, missing required fields, or
/// a body over ClientOptions::max_response_bytes. status_code() is the HTTP status.
class SNAPSTATE_EXPORT ProtocolError : public SnapStateError {
 public:
  using SnapStateError::SnapStateError;
};

/// No HTTP response: connection refused, DNS failure, TLS failure, connection reset.
class SNAPSTATE_EXPORT NetworkError : public SnapStateError {
 public:
  using SnapStateError::SnapStateError;
};

/// ClientOptions::timeout or ClientOptions::connect_timeout elapsed (or what
/// ClientOptions::total_timeout left of them).
class SNAPSTATE_EXPORT TimeoutError : public NetworkError {
 public:
  using NetworkError::NetworkError;
};

/// Deprecated alias kept for parity with the seed SDKs.
using CheckpointError [[deprecated("use SnapStateError")]] = SnapStateError;

}  // namespace snapstate
