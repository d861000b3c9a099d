// libFuzzer target: Retry-After parsing (seconds and the three HTTP-date forms) and the delay
// arithmetic built on it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "retry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'780'000'000));
  const auto seconds = snapstate::detail::parse_retry_after(value, now);
  if (seconds && *seconds < 0) __builtin_trap();
  const std::chrono::milliseconds cap(30000);
  for (int k = 0; k < 70; k += 7) {
    const auto delay = snapstate::detail::rate_limit_delay(seconds.value_or(1), k, cap);
    if (delay.count() < 0 || delay > cap) __builtin_trap();
  }
  return 0;
}
