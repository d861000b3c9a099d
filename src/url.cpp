#include "url.hpp"

#include <cctype>
#include <stdexcept>

namespace snapstate::detail {

namespace {

// ASCII by hand: std::isalnum is a locale-aware library call per byte.
bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string encode_path_segment(std::string_view segment) {
  std::string out;
  append_path_segment(out, segment);
  return out;
}

void append_path_segment(std::string& out, std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // "." and ".." would be dot segments that URL normalization (in libcurl, proxies or the
  // server) resolves into another route; encoded they are plain names.
  const bool dots_only = segment.find_first_not_of('.') == std::string_view::npos;
  out.reserve(out.size() + segment.size() * 3);
  for (const char ch : segment) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) && !(dots_only && c == '.')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
}

bool has_http_scheme(std::string_view url) noexcept {
  return starts_with_ci(url, "http://") || starts_with_ci(url, "https://");
}

std::string normalize_base_url(std::string_view base_url) {
  std::size_t scheme_len = 0;
  if (starts_with_ci(base_url, "http://")) {
    scheme_len = 7;
  } else if (starts_with_ci(base_url, "https://")) {
    scheme_len = 8;
  } else {
    throw std::invalid_argument("base_url must start with http:// or https://");
  }
  while (base_url.size() > scheme_len && base_url.back() == '/') base_url.remove_suffix(1);
  if (base_url.size() == scheme_len) throw std::invalid_argument("base_url has no host");
  for (const char c : base_url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '?' || c == '#') {
      throw std::invalid_argument("base_url contains a space, control character, '?' or '#'");
    }
  }
  return std::string(base_url);
}

}  // namespace snapstate::detail
