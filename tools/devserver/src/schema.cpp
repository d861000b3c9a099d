#include "schema.hpp"

#include <cmath>
#include <cstdlib>
#include <map>
#include <vector>

#include "js_number.hpp"
#include "router.hpp"

namespace snapstate::devserver {
namespace {

using json::Type;
using json::Value;

struct Violation {
  std::string path;  // JSON pointer below the root, e.g. "/events/0"
  std::string message;
};

using Result = std::optional<Violation>;

Result fail(const std::string& path, std::string message) {
  return Violation{path, std::move(message)};
}

// Replaces a value in place; an object member keeps its name.
void assign(Value& v, Value replacement) {
  replacement.key = std::move(v.key);
  v = std::move(replacement);
}

// Ajv with coerceTypes 'array': a one-element array is unwrapped before a scalar coercion.
void unwrap_single(Value& v) {
  if (v.type == Type::Array && v.items.size() == 1) {
    Value inner = std::move(v.items[0]);
    assign(v, std::move(inner));
  }
}

bool coerce_string(Value& v) {
  if (v.type == Type::String) return true;
  unwrap_single(v);
  switch (v.type) {
    case Type::String: return true;
    case Type::Number:
      assign(v, Value::from_string(protocol::js_number_to_string(v.number)));
      return true;
    case Type::Bool: assign(v, Value::from_string(v.boolean ? "true" : "false")); return true;
    case Type::Null: assign(v, Value::from_string("")); return true;
    default: return false;
  }
}

bool is_integer(double d) {
  return !std::isnan(d) && (std::isinf(d) || std::floor(d) == d);
}

bool coerce_integer(Value& v) {
  if (v.type == Type::Number && is_integer(v.number)) return true;
  unwrap_single(v);
  switch (v.type) {
    case Type::Number: return is_integer(v.number);
    case Type::Bool: assign(v, Value::from_number(v.boolean ? 1 : 0)); return true;
    case Type::Null: assign(v, Value::from_number(0)); return true;
    case Type::String: {
      if (v.text.empty()) return false;
      auto n = js_string_to_number(v.text);
      if (!n || !is_integer(*n)) return false;
      assign(v, Value::from_number(*n));
      return true;
    }
    default: return false;
  }
}

bool coerce_array(Value& v) {
  if (v.type == Type::Array) return true;
  if (v.type == Type::Object) return false;
  Value arr = Value::array();
  std::string key = std::move(v.key);
  v.key.clear();
  arr.push(std::move(v));
  arr.key = std::move(key);
  v = std::move(arr);
  return true;
}

Result string_rule(Value& v, const std::string& path, std::size_t max, std::size_t min = 0) {
  if (!coerce_string(v)) return fail(path, "must be string");
  const std::size_t n = json::code_point_count(v.text);
  if (n > max) return fail(path, "must NOT have more than " + std::to_string(max) + " characters");
  if (n < min) return fail(path, "must NOT have fewer than " + std::to_string(min) + " characters");
  return std::nullopt;
}

Result object_rule(const Value& v, const std::string& path) {
  return v.is_object() ? std::nullopt : fail(path, "must be object");
}

// The object-level rules, in Ajv's order: type, required, additionalProperties.
Result object_shape(const Value& body, bool present, std::initializer_list<const char*> required,
                    std::initializer_list<const char*> known) {
  if (!present || !body.is_object()) return fail("", "must be object");
  for (const char* name : required) {
    if (body.find(name) == nullptr) {
      return fail("", std::string("must have required property '") + name + "'");
    }
  }
  for (const auto& m : body.items) {
    bool ok = false;
    for (const char* name : known) ok = ok || m.key == name;
    if (!ok) return fail("", "must NOT have additional properties");
  }
  return std::nullopt;
}

std::string format(const char* root, const Violation& v) {
  return std::string(root) + v.path + " " + v.message;
}

bool uri_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~!$&'()*+,;=:@/?#[]").find(c) != std::string_view::npos;
}

// ajv-formats "uri": an RFC 3986 absolute URI (syntax only; "ftp:relative" passes).
bool is_uri(const std::string& s) {
  std::size_t colon = s.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= s.size()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(s[0])) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  auto hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  for (std::size_t i = colon + 1; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !hex(s[i + 1]) || !hex(s[i + 2])) return false;
      i += 2;
    } else if (!uri_char(s[i])) {
      return false;
    }
  }
  return true;
}

bool js_whitespace_at(std::string_view s, std::size_t i, std::size_t& len) {
  static const char* const kWide[] = {"\xC2\xA0",     "\xEF\xBB\xBF", "\xE1\x9A\x80",
                                      "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF",
                                      "\xE2\x81\x9F", "\xE3\x80\x80"};
  char c = s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') {
    len = 1;
    return true;
  }
  for (const char* w : kWide) {
    std::string_view ws(w);
    if (s.substr(i, ws.size()) == ws) {
      len = ws.size();
      return true;
    }
  }
  if (s.substr(i, 2) == "\xE2\x80" && i + 2 < s.size()) {  // U+2000..U+200A
    auto b = static_cast<unsigned char>(s[i + 2]);
    if (b >= 0x80 && b <= 0x8A) {
      len = 3;
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<double> js_string_to_number(std::string_view s) {
  std::size_t len = 0;
  while (!s.empty() && js_whitespace_at(s, 0, len)) s.remove_prefix(len);
  while (!s.empty()) {
    std::size_t i = s.size() - 1;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0U) == 0x80U) --i;
    if (!js_whitespace_at(s, i, len) || i + len != s.size()) break;
    s.remove_suffix(len);
  }
  if (s.empty()) return 0.0;
  if (s.size() > 2 && s[0] == '0') {
    int base = (s[1] == 'x' || s[1] == 'X')   ? 16
               : (s[1] == 'o' || s[1] == 'O') ? 8
               : (s[1] == 'b' || s[1] == 'B') ? 2
                                              : 0;
    if (base != 0) {
      double v = 0;
      for (char c : s.substr(2)) {
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : 99;
        if (d >= base) return std::nullopt;
        v = v * base + d;
      }
      return v;
    }
  }
  std::string_view body = s;
  bool negative = false;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "Infinity") return negative ? -HUGE_VAL : HUGE_VAL;
  // StrDecimalLiteral: digits [. digits] [e [+-] digits], with at least one digit before e.
  std::size_t i = 0;
  std::size_t digits = 0;
  while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (i != body.size()) return std::nullopt;
  return std::strtod(std::string(s).c_str(), nullptr);
}

std::optional<std::string> validate_checkpoint_body(Value& body, bool present) {
  Result r = object_shape(body, present, {"workflow_id", "step", "state"},
                          {"workflow_id", "step", "state", "label", "agent_id", "metadata"});
  // Ajv walks `properties` in schema order, not in the order the body lists them.
  static const char* const kOrder[] = {"workflow_id", "step",     "state",
                                       "label",       "agent_id", "metadata"};
  if (!r) {
    for (const char* name : kOrder) {
      Value* v = body.find(name);
      if (v == nullptr) continue;
      const std::string path = std::string("/") + name;
      std::string key(name);
      if (key == "workflow_id") {
        r = string_rule(*v, path, 128, 1);
      } else if (key == "step") {
        if (!coerce_integer(*v)) {
          r = fail(path, "must be integer");
        } else if (v->number < 0) {
          r = fail(path, "must be >= 0");
        }
      } else if (key == "state" || key == "metadata") {
        r = object_rule(*v, path);
      } else if (key == "label") {
        r = string_rule(*v, path, 256);
      } else if (key == "agent_id") {
        r = string_rule(*v, path, 255);
      }
      if (r) break;
    }
  }
  if (r) return format("body", *r);
  return std::nullopt;
}

std::optional<std::string> validate_webhook_body(Value& body, bool present) {
  Result r = object_shape(body, present, {"url", "events"}, {"url", "events", "secret"});
  if (!r) {
    if (Value* url = body.find("url")) {
      r = string_rule(*url, "/url", 2048);
      if (!r && !is_uri(url->text)) r = fail("/url", "must match format \"uri\"");
    }
  }
  if (!r) {
    if (Value* events = body.find("events")) {
      if (!coerce_array(*events)) {
        r = fail("/events", "must be array");
      } else if (events->items.empty()) {
        r = fail("/events", "must NOT have fewer than 1 items");
      } else {
        for (std::size_t i = 0; i < events->items.size() && !r; ++i) {
          Value& e = events->items[i];
          const std::string path = "/events/" + std::to_string(i);
          if (!coerce_string(e)) {
            r = fail(path, "must be string");
          } else if (e.text != "checkpoint.saved" && e.text != "workflow.resumed" &&
                     e.text != "workflow.expired") {
            r = fail(path, "must be equal to one of the allowed values");
          }
        }
      }
    }
  }
  if (!r) {
    if (Value* secret = body.find("secret")) r = string_rule(*secret, "/secret", 256);
  }
  if (r) return format("body", *r);
  return std::nullopt;
}

std::optional<std::string> validate_replay_query(const std::string& raw, ReplayQuery& out) {
  std::map<std::string, std::vector<std::string>> params;
  std::vector<std::string> order;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t amp = raw.find('&', start);
    if (amp == std::string::npos) amp = raw.size();
    std::string pair = raw.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq), true);
    std::string value = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1), true);
    if (params.find(key) == params.end()) order.push_back(key);
    params[key].push_back(std::move(value));
  }
  for (const auto& key : order) {
    if (key != "from_step" && key != "to_step" && key != "limit") {
      return std::string("querystring must NOT have additional properties");
    }
  }
  auto integer = [&](const char* name, double min, std::optional<double> max,
                     std::optional<double>& target) -> std::optional<std::string> {
    auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    const std::string prefix = std::string("querystring/") + name;
    if (it->second.size() != 1 || it->second[0].empty()) return prefix + " must be integer";
    auto n = js_string_to_number(it->second[0]);
    if (!n || !is_integer(*n)) return prefix + " must be integer";
    if (max && *n > *max) return prefix + " must be <= " + protocol::js_number_to_string(*max);
    if (*n < min) return prefix + " must be >= " + protocol::js_number_to_string(min);
    target = *n;
    return std::nullopt;
  };
  std::optional<double> limit;
  if (auto e = integer("from_step", 0, std::nullopt, out.from_step)) return e;
  if (auto e = integer("to_step", 0, std::nullopt, out.to_step)) return e;
  if (auto e = integer("limit", 1, 1000.0, limit)) return e;
  out.limit = limit.value_or(100);
  return std::nullopt;
}

}  // namespace snapstate::devserver
