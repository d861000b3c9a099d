#include "commands.hpp"
#include "exit_codes.hpp"
#include "serialize.hpp"
#include "table.hpp"

namespace snapstate_cli {

void add_health_command(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand(
      "health", "Check the server (no API key needed); exit code 8 when it reports degraded");
  cmd->callback([&context] {
    context.action = [&context] {
      const auto health = context.client(/*key_required=*/false).health();
      context.emit(serialize(health), [&](std::ostream& out) { render(out, health); });
      return health.status == "ok" ? kExitOk : kExitServer;
    };
  });
}

}  // namespace snapstate_cli
