// libFuzzer target: path-segment encoding and base-URL normalization. An encoded segment must
// hold only unreserved characters and %XX, and decode back to the input.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "url.hpp"

namespace {

int hex(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'A' + 10;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::string encoded = snapstate::detail::encode_path_segment(input);
  std::string decoded;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '/' || c == '?' || c == '#' || static_cast<unsigned char>(c) > 0x7E) __builtin_trap();
    if (c == '%') {
      if (i + 2 >= encoded.size()) __builtin_trap();
      decoded.push_back(static_cast<char>(hex(encoded[i + 1]) * 16 + hex(encoded[i + 2])));
      i += 2;
    } else {
      decoded.push_back(c);
    }
  }
  if (decoded != input) __builtin_trap();
  try {
    const std::string base = snapstate::detail::normalize_base_url(input);
    if (base.empty() || base.back() == '/') __builtin_trap();
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
