#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "input.hpp"
#include "serialize.hpp"
#include "table.hpp"

namespace snapstate_cli {
namespace {

struct AgentArgs {
  std::string agent_id, name, description, metadata;
  std::vector<std::string> capabilities;
  CLI::Option *name_opt{}, *description_opt{}, *capability_opt{}, *metadata_opt{};
};

// The fields shared by register and update; `name_required` for register.
std::shared_ptr<AgentArgs> add_agent_fields(CLI::App* cmd, bool name_required) {
  auto args = std::make_shared<AgentArgs>();
  cmd->add_option("ID", args->agent_id, "Agent id ([A-Za-z0-9_-]{1,255})")->required();
  args->name_opt = cmd->add_option("--name", args->name, "Display name");
  if (name_required) args->name_opt->required();
  args->description_opt = cmd->add_option("--description", args->description, "Description");
  args->capability_opt = cmd->add_option("--capability", args->capabilities,
                                         "A capability; repeat the flag for several")
                             ->expected(1)
                             ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  args->metadata_opt = cmd->add_option("--metadata", args->metadata, "Metadata, a JSON object");
  return args;
}

std::optional<nlohmann::json> metadata_of(const AgentArgs& args) {
  if (args.metadata_opt->count() == 0) return std::nullopt;
  return parse_json_argument(args.metadata, "--metadata");
}

void emit_agent(const Context& context, const snapstate::Agent& agent) {
  context.emit(serialize(agent), [&](std::ostream& out) { render(out, agent); });
}

void add_list(CLI::App& agents, Context& context) {
  auto* cmd = agents.add_subcommand("list", "List the account's agents, most recently seen first");
  cmd->callback([&context] {
    context.action = [&context] {
      const auto list = context.client().list_agents();
      context.emit(serialize(list), [&](std::ostream& out) { render(out, list); });
      return kExitOk;
    };
  });
}

void add_get(CLI::App& agents, Context& context) {
  auto id = std::make_shared<std::string>();
  auto* cmd = agents.add_subcommand("get", "Show one agent");
  cmd->add_option("ID", *id, "Agent id")->required();
  cmd->callback([&context, id] {
    context.action = [&context, id] {
      emit_agent(context, context.client().get_agent(*id));
      return kExitOk;
    };
  });
}

void add_register(CLI::App& agents, Context& context) {
  auto* cmd = agents.add_subcommand(
      "register", "Register an agent, or replace its record (omitted fields are cleared)");
  auto args = add_agent_fields(cmd, true);
  cmd->callback([&context, args] {
    context.action = [&context, args] {
      snapstate::AgentOptions options;
      options.description = given(args->description_opt, args->description);
      options.capabilities = given(args->capability_opt, args->capabilities);
      options.metadata = metadata_of(*args);
      emit_agent(context, context.client().register_agent(args->agent_id, args->name, options));
      return kExitOk;
    };
  });
}

void add_update(CLI::App& agents, Context& context) {
  auto* cmd = agents.add_subcommand("update", "Change the given fields of an agent, keep the rest");
  auto args = add_agent_fields(cmd, false);
  cmd->callback([&context, args] {
    context.action = [&context, args] {
      snapstate::AgentUpdate update;
      update.name = given(args->name_opt, args->name);
      update.description = given(args->description_opt, args->description);
      update.capabilities = given(args->capability_opt, args->capabilities);
      update.metadata = metadata_of(*args);
      emit_agent(context, context.client().update_agent(args->agent_id, update));
      return kExitOk;
    };
  });
}

void add_delete(CLI::App& agents, Context& context) {
  auto id = std::make_shared<std::string>();
  auto* cmd = agents.add_subcommand("delete", "Delete an agent");
  cmd->add_option("ID", *id, "Agent id")->required();
  cmd->callback([&context, id] {
    context.action = [&context, id] {
      context.client().delete_agent(*id);
      context.emit({{"deleted", true}, {"agent_id", *id}},
                   [&](std::ostream& out) { out << "deleted agent " << *id << '\n'; });
      return kExitOk;
    };
  });
}

}  // namespace

void add_agent_commands(CLI::App& app, Context& context) {
  auto* agents =
      app.add_subcommand("agents", "Agent identities: list, get, register, update, delete");
  agents->require_subcommand(1);
  add_list(*agents, context);
  add_get(*agents, context);
  add_register(*agents, context);
  add_update(*agents, context);
  add_delete(*agents, context);
}

}  // namespace snapstate_cli
