// Fastify's content-type handling: which requests get their body parsed, 415 for a type with
// no parser, the 1 MiB body limit (413, connection closed), empty and malformed JSON (400).
#pragma once

#include <optional>
#include <string>

#include "http_types.hpp"
#include "json_value.hpp"

namespace snapstate::devserver {

struct RequestBody {
  bool present = false;  ///< false: the route sees `undefined`
  json::Value value;     ///< parsed JSON, or a String for text/plain
};

/// Reads and parses the body as Fastify would; returns the error response when it refuses.
std::optional<Response> read_request_body(const RequestHead& head, BodyReader& reader,
                                          const std::string& request_id, RequestBody& out);

}  // namespace snapstate::devserver
