// HTTP-date (RFC 9110 §5.6.7) as seconds since the epoch, read by libcurl's curl_getdate.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace snapstate::detail {

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT")
// or asctime ("Sun Nov  6 08:49:37 1994"); nullopt for anything else.
std::optional<std::int64_t> parse_http_date(std::string_view text);

}  // namespace snapstate::detail
