// snapstate: look at and repair SnapState workflow state from a shell.
// Wiring only: global flags, the subcommands, parse, run, map errors to exit codes.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <snapstate/version.hpp>

#include "commands.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "input.hpp"
#include "safe_text.hpp"

namespace {

// Values that must never reach stderr: the key from the environment or the command line,
// and webhook secrets. Read from argv directly, so even a failed parse knows them.
std::vector<std::string> collect_secrets(int argc, char** argv) {
  std::vector<std::string> secrets;
  if (const char* key = std::getenv("SNAPSTATE_API_KEY")) secrets.emplace_back(key);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    for (const std::string flag : {"--api-key", "--secret"}) {
      if (arg == flag && i + 1 < argc) secrets.emplace_back(argv[i + 1]);
      if (arg.rfind(flag + "=", 0) == 0) secrets.push_back(arg.substr(flag.size() + 1));
    }
  }
  return secrets;
}

// CLI11 calls an unknown command "A subcommand is required" or an unexpected argument; when
// the first word left over stands where a command was expected, it is named instead.
std::string usage_message(const CLI::App& app, const CLI::ParseError& e) {
  const CLI::App* at = &app;
  std::string path;
  while (!at->get_subcommands().empty()) {
    at = at->get_subcommands().front();
    path += at->get_name() + " ";
  }
  const auto left = app.remaining(true);  // a subcommand's leftovers fall through to here
  if (at->get_require_subcommand_min() > 0 && !left.empty() && !left.front().empty() &&
      left.front()[0] != '-') {
    return "unknown command '" + path + left.front() + "'";
  }
  return e.what();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace snapstate_cli;
  const std::vector<std::string> secrets = collect_secrets(argc, argv);

  CLI::App app{
      "snapstate: look at and repair SnapState workflow state.\n"
      "Prints one JSON document on stdout (or a table with --format table); errors go "
      "to stderr as one line.",
      "snapstate"};
  // Set before adding subcommands, which inherit them: global flags work after the
  // subcommand too, and every --help ends with the exit codes.
  app.fallthrough();
  app.footer(exit_code_help());
  app.require_subcommand(1);
  app.set_version_flag("--version", SNAPSTATE_VERSION_STRING);

  Context context;
  std::string api_key, base_url;
  double timeout = 0;
  int retries = 0;
  // No default is shown for --api-key: the key's value must not appear in --help.
  auto* key_opt = app.add_option("--api-key", api_key, "API key (default: $SNAPSTATE_API_KEY)");
  auto* url_opt = app.add_option("--base-url", base_url,
                                 "Server URL (default: $SNAPSTATE_BASE_URL, else "
                                 "http://localhost:3000)");
  auto* timeout_opt = app.add_option("--timeout", timeout, "Seconds per request (default 30)")
                          ->check(positive_seconds());
  auto* retries_opt =
      app.add_option("--retries", retries, "Attempts on 429 and failed connects (default 3)")
          ->check(CLI::Range(1, 10));
  app.add_flag("--verbose,-v", context.globals.verbose,
               "One line per attempt on stderr: method, path, status or error, time, and the "
               "wait before the next");
  app.add_option("--format", context.globals.format, "Output: json (default) or table")
      ->check(CLI::IsMember({"json", "table"}));

  add_checkpoint_commands(app, context);
  add_agent_commands(app, context);
  add_webhook_commands(app, context);
  add_health_command(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << "error: usage: " << printable(usage_message(app, e), secrets) << " (see --help)\n";
    return kExitUsage;
  }

  context.globals.api_key = given(key_opt, api_key);
  context.globals.base_url = given(url_opt, base_url);
  context.globals.timeout_seconds = given(timeout_opt, timeout);
  context.globals.retries = given(retries_opt, retries);
  try {
    return context.action ? context.action() : kExitUsage;
  } catch (...) {
    const ErrorReport report = describe_error(std::current_exception(), secrets);
    std::cerr << report.line << '\n';
    return report.exit_code;
  }
}
