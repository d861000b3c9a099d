#include "http_date.hpp"

#include <curl/curl.h>

#include <cctype>
#include <string>

namespace snapstate::detail {

namespace {

// HTTP-dates are GMT by definition: IMF-fixdate and RFC 850 end in " GMT", asctime in its
// four-digit year. curl_getdate reads more than that (any zone, trailing words, no zone at
// all as GMT); a value outside the three forms is refused rather than guessed at.
bool has_http_date_ending(std::string_view text) {
  constexpr std::string_view kGmt = " GMT";
  if (text.size() >= kGmt.size() && text.substr(text.size() - kGmt.size()) == kGmt) return true;
  if (text.size() < 5 || text[text.size() - 5] != ' ') return false;
  for (std::size_t i = text.size() - 4; i < text.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) return false;
  }
  return text.find(':') != std::string_view::npos;  // a time, so not just "... 1994"
}

}  // namespace

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  if (!has_http_date_ending(text)) return std::nullopt;
  const std::string terminated(text);  // curl_getdate wants a C string
  const time_t seconds = curl_getdate(terminated.c_str(), nullptr);
  if (seconds == -1) return std::nullopt;
  return static_cast<std::int64_t>(seconds);
}

}  // namespace snapstate::detail
