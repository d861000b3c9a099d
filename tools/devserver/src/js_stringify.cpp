#include "js_stringify.hpp"

#include "js_number.hpp"
#include "js_quote.hpp"

namespace snapstate::devserver::json {

void stringify_to(const Value& v, std::string& out) {
  switch (v.type) {
    case Type::Null: out += "null"; return;
    case Type::Bool: out += v.boolean ? "true" : "false"; return;
    case Type::Number: out += protocol::js_number(v.number); return;
    case Type::String: protocol::append_js_quoted(out, v.text); return;
    case Type::Raw: out += v.text; return;
    case Type::Array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.items) {
        if (!first) out += ',';
        first = false;
        stringify_to(item, out);
      }
      out += ']';
      return;
    }
    case Type::Object: {
      out += '{';
      bool first = true;
      for (const auto& m : v.items) {
        if (!first) out += ',';
        first = false;
        protocol::append_js_quoted(out, m.key);
        out += ':';
        stringify_to(m, out);
      }
      out += '}';
      return;
    }
  }
}

std::string stringify(const Value& v) {
  std::string out;
  stringify_to(v, out);
  return out;
}

}  // namespace snapstate::devserver::json
