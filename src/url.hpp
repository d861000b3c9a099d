// URL building: base URL normalization and per-segment percent-encoding.
#pragma once

#include <string>
#include <string_view>

namespace snapstate::detail {

// Encodes `segment` as one path segment: every byte but A-Z a-z 0-9 - . _ ~ becomes %XX, so
// '/', '?', '#', '%' and non-ASCII can never escape into another route; a segment of dots
// only ("." or "..") is encoded whole, so it is never taken for a dot segment.
std::string encode_path_segment(std::string_view segment);

// The same, appended to `out` (a request URL being built) without a string of its own.
void append_path_segment(std::string& out, std::string_view segment);

// True when `url` starts with http:// or https://, the scheme in any case.
bool has_http_scheme(std::string_view url) noexcept;

// Checks that `base_url` is http:// or https:// (scheme case-insensitive) with a host, and
// drops trailing slashes. Throws std::invalid_argument otherwise.
std::string normalize_base_url(std::string_view base_url);

}  // namespace snapstate::detail
