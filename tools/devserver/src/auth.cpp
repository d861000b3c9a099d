#include "auth.hpp"

namespace snapstate::devserver {

Auth::Outcome Auth::check(const std::string* header, std::string& key) const {
  static const std::string kScheme = "Bearer ";
  if (header == nullptr || header->compare(0, kScheme.size(), kScheme) != 0 ||
      header->size() == kScheme.size()) {
    return Outcome::Malformed;  // missing, "bearer x", "Basic x", "Bearer " with no token
  }
  std::string token = header->substr(kScheme.size());
  if (keys_.count(token) == 0) return Outcome::Invalid;
  key = std::move(token);
  return Outcome::Ok;
}

const char* Auth::message(Outcome o) {
  return o == Outcome::Invalid ? "Invalid API key" : "Missing or malformed Authorization header";
}

}  // namespace snapstate::devserver
