// Each group of subcommands registers itself on the app; its callback stores the work to do
// in Context::action, which main runs after parsing.
#pragma once

#include <optional>

#include <CLI/CLI.hpp>

#include "context.hpp"

namespace snapstate_cli {

void add_checkpoint_commands(CLI::App& app, Context& context);  // save, get, resume, replay
void add_agent_commands(CLI::App& app, Context& context);       // agents ...
void add_webhook_commands(CLI::App& app, Context& context);     // webhooks ...
void add_health_command(CLI::App& app, Context& context);       // health

/// The option's value when it was given on the command line.
template <class T>
std::optional<T> given(const CLI::Option* option, const T& value) {
  return option->count() > 0 ? std::optional<T>(value) : std::nullopt;
}

}  // namespace snapstate_cli
