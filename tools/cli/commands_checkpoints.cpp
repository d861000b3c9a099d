#include <cstdint>
#include <memory>
#include <string>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "input.hpp"
#include "serialize.hpp"
#include "table.hpp"

namespace snapstate_cli {
namespace {

struct SaveArgs {
  std::string workflow_id;
  std::int64_t step = 0;
  std::string stdin_marker, state, state_file, label, agent_id, metadata, if_match;
  std::int64_t ttl = 0;
  CLI::Option *stdin_opt{}, *state_opt{}, *state_file_opt{}, *label_opt{}, *agent_id_opt{},
      *metadata_opt{}, *ttl_opt{}, *if_match_opt{};
};

int run_save(const Context& context, const SaveArgs& args) {
  if (args.stdin_opt->count() > 0 && args.stdin_marker != "-") {
    throw UsageError("unexpected argument '" + args.stdin_marker + "' (use - to read stdin)");
  }
  StateSource source{given(args.state_opt, args.state), given(args.state_file_opt, args.state_file),
                     args.stdin_opt->count() > 0};
  const nlohmann::json state = read_state(source);
  snapstate::SaveOptions options;
  options.label = given(args.label_opt, args.label);
  options.agent_id = given(args.agent_id_opt, args.agent_id);
  if (args.metadata_opt->count() > 0) {
    options.metadata = parse_json_argument(args.metadata, "--metadata");
  }
  options.ttl_seconds = given(args.ttl_opt, args.ttl);
  options.if_match = given(args.if_match_opt, args.if_match);

  const auto result = context.client().save(args.workflow_id, args.step, state, options);
  context.emit(serialize(result), [&](std::ostream& out) { render(out, result); });
  return kExitOk;
}

void add_save(CLI::App& app, Context& context) {
  auto args = std::make_shared<SaveArgs>();
  auto* cmd = app.add_subcommand("save", "Save a state as step STEP of workflow WF");
  cmd->add_option("WF", args->workflow_id, "Workflow id")->required();
  cmd->add_option("STEP", args->step, "Step number (>= 0)")->required();
  args->stdin_opt = cmd->add_option("STDIN", args->stdin_marker, "'-': read the state from stdin");
  args->state_opt = cmd->add_option("--state", args->state, "The state, a JSON object");
  args->state_file_opt =
      cmd->add_option("--state-file", args->state_file, "Read the state from a file ('-': stdin)");
  args->label_opt = cmd->add_option("--label", args->label, "Label of the step");
  args->agent_id_opt =
      cmd->add_option("--agent-id", args->agent_id, "Tag the checkpoint with an agent");
  args->metadata_opt = cmd->add_option("--metadata", args->metadata, "Metadata, a JSON object");
  args->ttl_opt = cmd->add_option("--ttl", args->ttl, "Expire after SECONDS (> 0)");
  args->if_match_opt = cmd->add_option("--if-match", args->if_match,
                                       "Etag (quotes included) of the stored step: reads it back");
  cmd->callback(
      [&context, args] { context.action = [&context, args] { return run_save(context, *args); }; });
}

void add_get(CLI::App& app, Context& context) {
  auto id = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("get", "Show one checkpoint by id (e.g. cp_wf-42_001)");
  cmd->add_option("CP", *id, "Checkpoint id")->required();
  cmd->callback([&context, id] {
    context.action = [&context, id] {
      const auto checkpoint = context.client().get(*id);
      context.emit(serialize(checkpoint), [&](std::ostream& out) { render(out, checkpoint); });
      return kExitOk;
    };
  });
}

void add_resume(CLI::App& app, Context& context) {
  auto id = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("resume", "Show the workflow's last written checkpoint");
  cmd->add_option("WF", *id, "Workflow id")->required();
  cmd->callback([&context, id] {
    context.action = [&context, id] {
      const auto resume = context.client().resume(*id);
      context.emit(serialize(resume), [&](std::ostream& out) { render(out, resume); });
      return kExitOk;
    };
  });
}

struct ReplayArgs {
  std::string workflow_id;
  std::int64_t from = 0, to = 0, limit = 0;
  CLI::Option *from_opt{}, *to_opt{}, *limit_opt{};
};

void add_replay(CLI::App& app, Context& context) {
  auto args = std::make_shared<ReplayArgs>();
  auto* cmd = app.add_subcommand(
      "replay", "Show the workflow's checkpoints in write order (a timeline with --format table)");
  cmd->add_option("WF", args->workflow_id, "Workflow id")->required();
  args->from_opt = cmd->add_option("--from", args->from, "Only steps >= N");
  args->to_opt = cmd->add_option("--to", args->to, "Only steps <= N");
  args->limit_opt = cmd->add_option(
      "--limit", args->limit, "The first N writes, before the step filters (1-1000; default 100)");
  cmd->callback([&context, args] {
    context.action = [&context, args] {
      snapstate::ReplayOptions options;
      options.from_step = given(args->from_opt, args->from);
      options.to_step = given(args->to_opt, args->to);
      options.limit = given(args->limit_opt, args->limit);
      const auto replay = context.client().replay(args->workflow_id, options);
      // Without step filters the list starts at the workflow's first write (the server
      // limits writes before filtering), so the first row's diff is "everything added".
      const bool from_first_write = !options.from_step && !options.to_step;
      context.emit(serialize(replay),
                   [&](std::ostream& out) { render_timeline(out, replay, from_first_write); });
      return kExitOk;
    };
  });
}

}  // namespace

void add_checkpoint_commands(CLI::App& app, Context& context) {
  add_save(app, context);
  add_get(app, context);
  add_resume(app, context);
  add_replay(app, context);
}

}  // namespace snapstate_cli
