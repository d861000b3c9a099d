#include "safe_text.hpp"

#include <cstdint>

namespace snapstate_cli {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// The code point of the UTF-8 sequence at `i` and its length; length 0 when it is not UTF-8
// (truncated, overlong, a surrogate, past U+10FFFF).
struct Decoded {
  std::uint32_t code_point = 0;
  std::size_t length = 0;
};

Decoded decode(std::string_view s, std::size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  const std::size_t n = lead < 0x80    ? 1
                        : lead >= 0xF0 ? 4
                        : lead >= 0xE0 ? 3
                        : lead >= 0xC2 ? 2
                                       : 0;
  if (n == 0 || lead > 0xF4 || i + n > s.size()) return {};
  std::uint32_t cp = n == 1 ? lead : lead & (0xFFU >> (n + 1));
  for (std::size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0U) != 0x80U) return {};
    cp = (cp << 6) | (c & 0x3FU);
  }
  const std::uint32_t min = n == 1 ? 0 : n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, n};
}

// Past a CSI's parameter and intermediate bytes and its final byte, from `i` (just after the
// introducer).
std::size_t skip_csi(std::string_view s, std::size_t i) {
  while (i < s.size() && s[i] >= 0x20 && s[i] <= 0x3F) ++i;
  return i < s.size() && s[i] >= 0x40 && s[i] <= 0x7E ? i + 1 : i;
}

// Past a control string (OSC, DCS, ...) and its terminator: BEL, ESC \ or U+009C.
std::size_t skip_string(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    if (s[i] == '\a') return i + 1;
    if (s[i] == '\x1B' && i + 1 < s.size() && s[i + 1] == '\\') return i + 2;
    if (s.substr(i, 2) == "\xC2\x9C") return i + 2;
    ++i;
  }
  return i;
}

// Past the escape sequence that starts with ESC at `i`.
std::size_t skip_escape(std::string_view s, std::size_t i) {
  ++i;
  if (i >= s.size()) return i;
  const char c = s[i];
  if (c == '[') return skip_csi(s, i + 1);
  if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') return skip_string(s, i + 1);
  while (i < s.size() && s[i] >= 0x20 && s[i] <= 0x2F) ++i;  // intermediates, as in ESC ( B
  return i < s.size() && s[i] >= 0x30 && s[i] <= 0x7E ? i + 1 : i;
}

}  // namespace

std::string terminal_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0x1B) {
      i = skip_escape(s, i);
    } else if (c < 0x20 || c == 0x7F) {
      if (c == '\n' || c == '\r' || c == '\t') out += ' ';
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else if (const Decoded d = decode(s, i); d.length == 0) {
      out += kReplacement;
      ++i;
    } else if (d.code_point <= 0x9F) {  // C1
      i += d.length;
      if (d.code_point == 0x9B) i = skip_csi(s, i);
      if (d.code_point == 0x90 || d.code_point == 0x9D || d.code_point == 0x98 ||
          d.code_point == 0x9E || d.code_point == 0x9F) {
        i = skip_string(s, i);
      }
    } else {
      out.append(s, i, d.length);
      i += d.length;
    }
  }
  return out;
}

std::string redact(std::string_view text, const std::vector<std::string>& secrets) {
  static constexpr std::string_view kMarker = "[redacted]";
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    // A marker already there (the client library redacts the key too) is kept whole.
    if (text.substr(i, kMarker.size()) == kMarker) {
      out += kMarker;
      i += kMarker.size();
      continue;
    }
    std::size_t longest = 0;
    for (const auto& secret : secrets) {
      if (secret.size() > longest && text.substr(i, secret.size()) == secret) {
        longest = secret.size();
      }
    }
    if (longest > 0) {
      out += kMarker;
      i += longest;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string printable(std::string_view text, const std::vector<std::string>& secrets) {
  return redact(terminal_safe(text), secrets);
}

std::string escape_c1(std::string_view json_text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(json_text.size());
  for (std::size_t i = 0; i < json_text.size(); ++i) {
    const auto c = static_cast<unsigned char>(json_text[i]);
    const bool c1 = c == 0xC2 && i + 1 < json_text.size() &&
                    static_cast<unsigned char>(json_text[i + 1]) <= 0x9F &&
                    static_cast<unsigned char>(json_text[i + 1]) >= 0x80;
    if (c == 0x7F || c1) {
      const unsigned value = c1 ? static_cast<unsigned char>(json_text[++i]) : c;
      out += "\\u00";
      out += kHex[value >> 4];
      out += kHex[value & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace snapstate_cli
