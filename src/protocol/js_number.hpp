// How JavaScript writes a number. The server builds checkpoint ids with String(step) and
// hashes and measures JSON.stringify's text, so the client and the local server must spell
// numbers exactly as V8 does. Header-only and free of any JSON library: both sides include it.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

namespace snapstate::protocol {

/// Number.MAX_SAFE_INTEGER: past it the server's numbers (a step) no longer hold every integer.
inline constexpr long long kMaxSafeInteger = 9007199254740991;

/// JSON.stringify(n): the shortest digits that read back as `n`, in JavaScript's notation
/// (Number::toString: 1.0 -> "1", 1e21 -> "1e+21", 1e-7 -> "1e-7", 0.1 -> "0.1"); -0 -> "0";
/// NaN and the infinities -> "null".
inline std::string js_number(double n) {
  if (!std::isfinite(n)) return "null";
  if (n == 0) return "0";  // -0 too
  // A whole number up to 2^53 is its own shortest digits: every integer there is a double.
  if (std::abs(n) <= static_cast<double>(kMaxSafeInteger) && n == std::trunc(n)) {
    return std::to_string(static_cast<long long>(n));
  }
  // std::to_chars without a precision gives the shortest round-trip digits, "-d.ddde-x".
  char sci[32];
  const char* const sci_end =
      std::to_chars(sci, sci + sizeof sci, n, std::chars_format::scientific).ptr;
  std::string_view rest(sci, static_cast<std::size_t>(sci_end - sci));
  std::string out;
  if (rest.front() == '-') {
    out += '-';
    rest.remove_prefix(1);
  }
  const std::size_t e = rest.find('e');
  std::string digits(rest.substr(0, e));
  if (digits.size() > 1) digits.erase(1, 1);  // the decimal point after the first digit
  std::string_view exp_text = rest.substr(e + 1);
  if (exp_text.front() == '+') exp_text.remove_prefix(1);  // from_chars takes no '+'
  int exponent = 0;
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);

  // ECMA-262 Number::toString: k digits, the decimal point after the first `point` of them.
  const int k = static_cast<int>(digits.size());
  const int point = exponent + 1;
  if (k <= point && point <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(point - k), '0');
  } else if (0 < point && point <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(point));
    out += '.';
    out.append(digits, static_cast<std::size_t>(point));
  } else if (-6 < point && point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-point), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += exponent < 0 ? "e-" : "e+";  // to_chars pads the exponent to two digits; JS does not
    out += std::to_string(std::abs(exponent));
  }
  return out;
}

/// String(n): as js_number, except "NaN", "Infinity" and "-Infinity".
inline std::string js_number_to_string(double n) {
  if (std::isnan(n)) return "NaN";
  if (std::isinf(n)) return n > 0 ? "Infinity" : "-Infinity";
  return js_number(n);
}

}  // namespace snapstate::protocol
