// Reads the recorded real exchanges in tests/fixtures/ (copied from shared/fixtures/real).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scripted_server.hpp"

namespace snapstate::testing {

struct Fixture {
  std::string request_line;  // "POST /checkpoints HTTP/1.1"
  std::string request_body;  // empty when none was sent
  int status = 0;
  std::vector<std::pair<std::string, std::string>> response_headers;  // names lower-cased
  std::string response_body;
};

// `name` without directory or extension, e.g. "02-post-checkpoint-step1".
Fixture load_fixture(const std::string& name);

// The whole fixture file, unparsed (for files that are not one exchange, like 56).
std::string fixture_text(const std::string& name);

// The fixture's final response (after any 100 Continue) as a scripted response.
ScriptedResponse fixture_response(const std::string& name);

}  // namespace snapstate::testing
