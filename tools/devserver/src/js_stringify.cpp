#include "js_stringify.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace snapstate::devserver::json {

std::string js_number(double d) {
  if (!std::isfinite(d)) return "null";
  if (d == 0) return "0";  // also -0
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));  // "-1.2345e+05"
  std::string out;
  if (sci.front() == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  const std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  const int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // the decimal point sits after n digits
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

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
    case Type::Number: out += js_number(v.number); return;
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
