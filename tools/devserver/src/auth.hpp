// API-key authentication: `Authorization: Bearer <key>`; each configured key is an account.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

namespace snapstate::devserver {

class Auth {
 public:
  explicit Auth(const std::vector<std::string>& keys) : keys_(keys.begin(), keys.end()) {}

  enum class Outcome { Ok, Malformed, Invalid };
  /// `header` is the Authorization value or nullptr; on Ok, `key` is the account's key.
  Outcome check(const std::string* header, std::string& key) const;
  /// The 401 message for a failed outcome.
  static const char* message(Outcome o);

 private:
  std::unordered_set<std::string> keys_;
};

}  // namespace snapstate::devserver
