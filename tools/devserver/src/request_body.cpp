#include "request_body.hpp"

#include "json_parse.hpp"
#include "limits.hpp"
#include "responses.hpp"

namespace snapstate::devserver {
namespace {

std::string media_type(const std::string& content_type) {
  std::string t = content_type.substr(0, content_type.find(';'));
  std::size_t b = t.find_first_not_of(" \t");
  std::size_t e = t.find_last_not_of(" \t");
  t = b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
  for (char& c : t) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return t;
}

std::optional<Response> parse(const std::string& content_type, BodyReader& reader,
                              const std::string& request_id, RequestBody& out) {
  const std::string type = media_type(content_type);
  const bool is_json = type == "application/json";
  if (!is_json && type != "text/plain") {
    return fastify_error(415, "FST_ERR_CTP_INVALID_MEDIA_TYPE",
                         "Unsupported Media Type: " + content_type, request_id);
  }
  std::string raw;
  switch (reader.read_all(protocol::kMaxBodyBytes, raw)) {
    case BodyReader::Result::Ok: break;
    case BodyReader::Result::TooLarge: return body_too_large(request_id);
    case BodyReader::Result::Failed: {
      Response r = fastify_error(400, "FST_ERR_CTP_INVALID_CONTENT_LENGTH",
                                 "Request body size did not match Content-Length", request_id);
      r.headers.insert(r.headers.begin(), {"connection", "close"});
      r.close = true;
      return r;
    }
  }
  std::string text = json::sanitize_utf8(raw);
  out.present = true;
  if (!is_json) {
    out.value = json::Value::from_string(std::move(text));
    return std::nullopt;
  }
  if (text.empty()) {
    return fastify_error(400, "FST_ERR_CTP_EMPTY_JSON_BODY",
                         "Body cannot be empty when content-type is set to 'application/json'",
                         request_id);
  }
  json::ParseResult parsed = json::parse(text);
  if (!parsed.ok) return plain_error(400, parsed.error, request_id);
  out.value = std::move(parsed.value);
  return std::nullopt;
}

}  // namespace

std::optional<Response> read_request_body(const RequestHead& head, BodyReader& reader,
                                          const std::string& request_id, RequestBody& out) {
  const std::string* content_type = head.header("content-type");
  const std::string* length = head.header("content-length");
  const bool chunked = head.header("transfer-encoding") != nullptr;
  const std::string& m = head.method;
  if (m == "POST" || m == "PUT" || m == "PATCH") {
    if (content_type != nullptr) return parse(*content_type, reader, request_id, out);
    if (!chunked && (length == nullptr || *length == "0")) return std::nullopt;
    return fastify_error(415, "FST_ERR_CTP_INVALID_MEDIA_TYPE", "Unsupported Media Type: undefined",
                         request_id);
  }
  if ((m == "DELETE" || m == "OPTIONS") && content_type != nullptr &&
      (chunked || length != nullptr)) {
    return parse(*content_type, reader, request_id, out);
  }
  return std::nullopt;  // GET/HEAD bodies, and DELETE bodies without a type, are ignored
}

}  // namespace snapstate::devserver
