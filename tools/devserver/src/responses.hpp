// Every response the server writes, with the header names, order and body shape the real
// server uses for it (PROTOCOL.md "Error bodies — five shapes").
#pragma once

#include <string>

#include "http_types.hpp"
#include "json_value.hpp"

namespace snapstate::devserver {

/// 2xx JSON from a route handler: content-type, x-request-id, content-length.
Response json_response(int status, const json::Value& body, const std::string& request_id);
/// 204: x-request-id only.
Response no_content(const std::string& request_id);

/// Shape A, the application's own errors: {"error":{"code","message"}} (+ extra members).
Response app_error(int status, const std::string& code, const std::string& message,
                   const std::string& request_id, json::Value extra = json::Value::object());
/// Shape B, a Fastify error with a code: {"statusCode","code","error","message"}.
Response fastify_error(int status, const std::string& code, const std::string& message,
                       const std::string& request_id);
/// Shape C, a Fastify error without a code: {"statusCode","error","message"}.
Response plain_error(int status, const std::string& message, const std::string& request_id);
/// Shape D, unknown route or method: {"message","error","statusCode"}.
Response route_not_found(const std::string& method, const std::string& url,
                         const std::string& request_id);
/// Shape E, a bad %-escape: written raw, Content-Type without charset, no x-request-id.
Response bad_url(const std::string& url);
/// 413 from the body limit: shape B, `connection: close`, and the connection is closed.
Response body_too_large(const std::string& request_id);
/// 429: shape A with retry-after first.
Response rate_limited(long retry_after_seconds, const std::string& request_id);

}  // namespace snapstate::devserver
