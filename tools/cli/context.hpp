// What every command shares: the global flags, the client built from them, and output.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <snapstate/client.hpp>

namespace snapstate_cli {

/// The global flags; unset ones fall back to the environment (ClientOptions::from_env()).
struct GlobalOptions {
  std::optional<std::string> api_key;
  std::optional<std::string> base_url;
  std::optional<double> timeout_seconds;
  std::optional<int> retries;
  std::string format = "json";  // "json" or "table"
  bool verbose = false;         // one stderr line per attempt
};

class Context {
 public:
  GlobalOptions globals;
  /// The chosen command, set by its CLI11 callback; main runs it after parsing.
  std::function<int()> action;

  /// The client options: the environment, then the flags on top.
  snapstate::ClientOptions client_options() const;
  /// A client; throws UsageError when there is no API key and `key_required`.
  snapstate::SnapStateClient client(bool key_required = true) const;

  bool table() const { return globals.format == "table"; }
  /// Writes `json` (default) or the table rendering to stdout.
  void emit(const nlohmann::ordered_json& json,
            const std::function<void(std::ostream&)>& table) const;
};

}  // namespace snapstate_cli
