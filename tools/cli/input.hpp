// Reading the user's input: JSON arguments, state files, stdin.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace snapstate_cli {

/// A CLI11 check for a finite number of seconds > 0 (CLI::PositiveNumber lets "nan" through
/// and words its refusal of 0 with DBL_MAX).
CLI::Validator positive_seconds();

/// Parses `text` as JSON; throws UsageError naming `what` (e.g. "--state") when it is not.
/// Whether it is an object is left to the client library (a ValidationError).
nlohmann::json parse_json_argument(const std::string& text, const std::string& what);

/// Reads a whole file, or stdin when `path` is "-"; throws UsageError when it cannot.
std::string read_file_or_stdin(const std::string& path);

/// Where a save's state comes from: exactly one of --state, --state-file, or "-" (stdin).
struct StateSource {
  std::optional<std::string> inline_json;
  std::optional<std::string> file;
  bool from_stdin = false;
};
nlohmann::json read_state(const StateSource& source);

}  // namespace snapstate_cli
