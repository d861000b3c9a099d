// The one UTF-8 decoder: the validation of ids and labels and the JSON writer both use it.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace snapstate::detail {

// Length of the valid UTF-8 sequence starting at s[i] (a byte >= 0x80), or 0 when invalid: no
// overlong forms, no surrogates, nothing above U+10FFFF (the rules of nlohmann's decoder and
// of JavaScript's TextDecoder alike).
inline std::size_t utf8_sequence_length(const unsigned char* s, std::size_t i,
                                        std::size_t n) noexcept {
  const unsigned char c = s[i];
  const auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i + k < n && s[i + k] >= lo && s[i + k] <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// Number of Unicode code points in `text`, or nullopt when it is not valid UTF-8.
inline std::optional<std::size_t> utf8_length(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++count) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(s, i, n);
    if (length == 0) return std::nullopt;
    i += length;
  }
  return count;
}

}  // namespace snapstate::detail
