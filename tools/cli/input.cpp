#include "input.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "exit_codes.hpp"

namespace snapstate_cli {

CLI::Validator positive_seconds() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double seconds = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0' || !std::isfinite(seconds)) {
          return "must be a number of seconds, not '" + text + "'";
        }
        return seconds > 0 ? std::string() : "must be > 0 (seconds), not '" + text + "'";
      },
      "SECONDS > 0");
}

nlohmann::json parse_json_argument(const std::string& text, const std::string& what) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
    std::string message = e.what();
    if (auto end = message.find("] ");
        message.rfind("[json.exception", 0) == 0 && end != std::string::npos) {
      message.erase(0, end + 2);
    }
    throw UsageError(what + " is not valid JSON: " + message);
  }
}

std::string read_file_or_stdin(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UsageError("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

nlohmann::json read_state(const StateSource& source) {
  const int given =
      (source.inline_json ? 1 : 0) + (source.file ? 1 : 0) + (source.from_stdin ? 1 : 0);
  if (given != 1) {
    throw UsageError("give the state exactly once: --state JSON, --state-file PATH, or - (stdin)");
  }
  if (source.inline_json) return parse_json_argument(*source.inline_json, "--state");
  if (source.file && *source.file != "-") {
    return parse_json_argument(read_file_or_stdin(*source.file), "--state-file " + *source.file);
  }
  return parse_json_argument(read_file_or_stdin("-"), "the state on stdin");
}

}  // namespace snapstate_cli
