#include "responses.hpp"

#include "js_stringify.hpp"

namespace snapstate::devserver {
namespace {

constexpr const char* kJsonType = "application/json; charset=utf-8";

using json::Value;

// Fastify's own replies put content-length before x-request-id; route handlers' replies after.
Response framework_json(int status, const Value& body, const std::string& request_id) {
  Response r;
  r.status = status;
  r.body = json::stringify(body);
  r.headers = {{"content-type", kJsonType},
               {"content-length", std::to_string(r.body.size())},
               {"x-request-id", request_id}};
  return r;
}

}  // namespace

Response json_response(int status, const Value& body, const std::string& request_id) {
  Response r;
  r.status = status;
  r.body = json::stringify(body);
  r.headers = {{"content-type", kJsonType},
               {"x-request-id", request_id},
               {"content-length", std::to_string(r.body.size())}};
  return r;
}

Response no_content(const std::string& request_id) {
  Response r;
  r.status = 204;
  r.headers = {{"x-request-id", request_id}};
  return r;
}

Response app_error(int status, const std::string& code, const std::string& message,
                   const std::string& request_id, Value extra) {
  Value err = Value::object();
  err.set("code", Value::from_string(code));
  err.set("message", Value::from_string(message));
  Value body = Value::object();
  body.set("error", std::move(err));
  for (auto& m : extra.items) {
    std::string key = m.key;
    body.set(std::move(key), std::move(m));
  }
  return json_response(status, body, request_id);
}

Response fastify_error(int status, const std::string& code, const std::string& message,
                       const std::string& request_id) {
  Value body = Value::object();
  body.set("statusCode", Value::from_number(status));
  body.set("code", Value::from_string(code));
  body.set("error", Value::from_string(reason_phrase(status)));
  body.set("message", Value::from_string(message));
  return framework_json(status, body, request_id);
}

Response plain_error(int status, const std::string& message, const std::string& request_id) {
  Value body = Value::object();
  body.set("statusCode", Value::from_number(status));
  body.set("error", Value::from_string(reason_phrase(status)));
  body.set("message", Value::from_string(message));
  return framework_json(status, body, request_id);
}

Response route_not_found(const std::string& method, const std::string& url,
                         const std::string& request_id) {
  Value body = Value::object();
  body.set("message", Value::from_string("Route " + method + ":" + url + " not found"));
  body.set("error", Value::from_string("Not Found"));
  body.set("statusCode", Value::from_number(404));
  return json_response(404, body, request_id);
}

Response bad_url(const std::string& url) {
  // Fastify builds this body with a template string; the URL is not JSON-escaped there either.
  Response r;
  r.status = 400;
  r.body = "{\"error\":\"Bad Request\",\"code\":\"FST_ERR_BAD_URL\",\"message\":\"'" + url +
           "' is not a valid url component\",\"statusCode\":400}";
  r.headers = {{"Content-Type", "application/json"},
               {"Content-Length", std::to_string(r.body.size())}};
  return r;
}

Response body_too_large(const std::string& request_id) {
  Response r =
      fastify_error(413, "FST_ERR_CTP_BODY_TOO_LARGE", "Request body is too large", request_id);
  r.headers.insert(r.headers.begin(), {"connection", "close"});
  r.close = true;
  return r;
}

Response rate_limited(long retry_after_seconds, const std::string& request_id) {
  Response r = app_error(429, "RATE_LIMITED", "Rate limit exceeded", request_id);
  r.headers.insert(r.headers.begin(), {"retry-after", std::to_string(retry_after_seconds)});
  return r;
}

}  // namespace snapstate::devserver
