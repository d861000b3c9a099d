// The seam between the client and the wire: a request in, a response or a failure out.
// HTTP error statuses are responses; only the absence of a usable response is a failure.
// Nothing here knows JSON or the SnapState routes.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace snapstate::detail {

enum class Method { get, post, patch, del };

// "GET", "POST", "PATCH", "DELETE".
const char* method_name(Method method) noexcept;

struct HttpRequest {
  Method method = Method::get;
  std::string url;               // absolute: the base URL, then the target
  std::size_t target_begin = 0;  // where the target (path and query) starts in `url`
  bool has_body = false;         // the body and the transport's body header lines go out only then
  std::string body;
  std::vector<std::string> headers;  // extra "Name: value" lines (If-Match, X-Checkpoint-TTL)

  // The path as sent (percent-encoded), without the query.
  std::string_view path() const noexcept;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string request_id;   // x-request-id
  std::string retry_after;  // raw Retry-After value
};

enum class FailureKind {
  connect,     // no connection could be made (refused, DNS, connect timeout): nothing was sent
  timeout,     // the request timed out after the connection was made: the server may have acted
  dropped,     // the connection broke after the request went out: the server may have acted
  mismatched,  // the answer belongs to another request: the server may have acted on this one
  tls,         // certificate or handshake failure
  too_large,   // the response exceeded max_response_bytes
  aborted,     // close() interrupted the call
  other,
};

struct TransportFailure {
  FailureKind kind = FailureKind::other;
  bool timed_out = false;  // with kind connect: the connect timeout elapsed
  int status = 0;          // with too_large: the status of the oversized response
  std::string message;
};

using TransportResult = std::variant<HttpResponse, TransportFailure>;

// How long one attempt may take: the client's timeouts (RetryPolicy::from fills them in), cut
// to what the call's total_timeout leaves of it.
struct AttemptLimits {
  std::chrono::milliseconds timeout{};
  std::chrono::milliseconds connect_timeout{};
};

// A transport sends each request at most once per send(): it never repeats a request other
// than a GET on its own, and never hands back an answer that belongs to another request.
class Transport {
 public:
  virtual ~Transport() = default;
  // Thread-safe: called concurrently by every thread sharing a client.
  virtual TransportResult send(const HttpRequest& request, const AttemptLimits& limits) = 0;
  // Interrupts calls in flight and frees connections; later sends fail with kind aborted.
  virtual void close() = 0;
};

}  // namespace snapstate::detail
