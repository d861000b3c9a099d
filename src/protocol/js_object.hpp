// The order in which JavaScript enumerates an object's own keys (ECMA-262
// OrdinaryOwnPropertyKeys), which JSON.stringify follows: array indices first, ascending, then
// every other key in the order it was first added.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace snapstate::protocol {

// The index when `key` is an array index: the canonical decimal spelling ("0", "17", no
// leading zero, no sign) of an integer from 0 to 2^32 - 2.
inline std::optional<std::uint32_t> array_index(std::string_view key) noexcept {
  if (key.empty() || key.size() > 10 || (key.size() > 1 && key.front() == '0')) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : key) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > 4294967294ULL) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

}  // namespace snapstate::protocol
