#include "js_stringify.hpp"

#include "js_number.hpp"

namespace snapstate::devserver::json {

void append_quoted(std::string& out, std::string_view s) {
  static const char* const kHex = "0123456789abcdef";
  out += '"';
  std::size_t clean = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    const char* esc = nullptr;
    switch (c) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      default: break;
    }
    const bool control = c < 0x20 && esc == nullptr;
    // A lone surrogate (WTF-8: ED A0..BF xx) cannot be written as UTF-8: JSON.stringify escapes it.
    const bool surrogate =
        c == 0xED && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0xA0;
    if (esc == nullptr && !control && !surrogate) continue;
    out.append(s.substr(clean, i - clean));
    if (esc != nullptr) {
      out += esc;
    } else if (control) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      unsigned cp = ((c & 0x0FU) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3FU) << 6) |
                    (static_cast<unsigned char>(s[i + 2]) & 0x3FU);
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xFU];
      i += 2;
    }
    clean = i + 1;
  }
  out.append(s.substr(clean));
  out += '"';
}

void stringify_to(const Value& v, std::string& out) {
  switch (v.type) {
    case Type::Null: out += "null"; return;
    case Type::Bool: out += v.boolean ? "true" : "false"; return;
    case Type::Number: out += protocol::js_number(v.number); return;
    case Type::String: append_quoted(out, v.text); return;
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
        append_quoted(out, m.key);
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
