// Keeping the API key out of everything the client reports: a server may echo it in an error
// message, a code or a request id, and none of those may carry it further.
#pragma once

#include <string>
#include <string_view>

namespace snapstate::detail {

inline constexpr std::string_view kRedacted = "[redacted]";

// `text` with every occurrence of `secret` replaced by "[redacted]". The scan resumes after each
// replacement, so a secret that occurs in the marker itself cannot make it loop.
inline std::string redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + kRedacted.size())) {
    text.replace(at, secret.size(), kRedacted);
  }
  return text;
}

}  // namespace snapstate::detail
