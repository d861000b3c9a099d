// How JavaScript quotes a string (JSON.stringify's QuoteJSONString). The server hashes and
// measures JSON.stringify's text, so the client (for its own etag) and the local server must
// quote exactly as V8 does. Header-only and free of any JSON library: both sides include it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace snapstate::protocol {

/// Appends `text` (UTF-8, or WTF-8 with lone surrogates) quoted: `"` and `\` escaped, the
/// short escapes (\b \f \n \r \t), other control characters as \u00xx, a lone surrogate as
/// \udxxx, everything else as it is.
inline void append_js_quoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t clean = 0;  // start of the pending run copied as it is
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const char* escape = nullptr;
    switch (c) {
      case '"': escape = "\\\""; break;
      case '\\': escape = "\\\\"; break;
      case '\b': escape = "\\b"; break;
      case '\f': escape = "\\f"; break;
      case '\n': escape = "\\n"; break;
      case '\r': escape = "\\r"; break;
      case '\t': escape = "\\t"; break;
      default: break;
    }
    const bool control = c < 0x20 && escape == nullptr;
    // A lone surrogate (WTF-8: ED A0..BF xx) cannot be written as UTF-8: it is escaped.
    const bool surrogate =
        c == 0xED && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0xA0;
    if (escape == nullptr && !control && !surrogate) continue;
    out.append(text.substr(clean, i - clean));
    if (escape != nullptr) {
      out += escape;
    } else if (control) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      const unsigned cp = ((c & 0x0FU) << 12) |
                          ((static_cast<unsigned char>(text[i + 1]) & 0x3FU) << 6) |
                          (static_cast<unsigned char>(text[i + 2]) & 0x3FU);
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xFU];
      i += 2;
    }
    clean = i + 1;
  }
  out.append(text.substr(clean));
  out += '"';
}

}  // namespace snapstate::protocol
