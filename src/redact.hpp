// Keeping the API key out of everything the client reports: a server may echo it in an error
// message, a code or a request id, and none of those may carry it further.
#pragma once

#include <string>
#include <string_view>

namespace snapstate::detail {

inline constexpr std::string_view kRedacted = "[redacted]";

// `text` with every occurrence of `secret` replaced by "[redacted]". A marker already in the
// text is kept whole (redacting twice changes nothing), and the scan resumes after each
// replacement, so a secret that occurs in the marker itself cannot make it loop.
inline std::string redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, kRedacted.size(), kRedacted) == 0) {
      out += kRedacted;
      i += kRedacted.size();
    } else if (text.compare(i, secret.size(), secret) == 0) {
      out += kRedacted;
      i += secret.size();
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace snapstate::detail
