#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "serialize.hpp"
#include "table.hpp"

namespace snapstate_cli {
namespace {

struct WebhookArgs {
  std::string url, secret;
  std::vector<std::string> events;
  CLI::Option* secret_opt{};
};

void add_register(CLI::App& webhooks, Context& context) {
  auto args = std::make_shared<WebhookArgs>();
  auto* cmd = webhooks.add_subcommand("register", "Register a webhook for one or more events");
  cmd->add_option("URL", args->url, "http(s) URL that receives the deliveries")->required();
  cmd->add_option("--event", args->events,
                  "checkpoint.saved, workflow.resumed or workflow.expired; repeat for several")
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  args->secret_opt = cmd->add_option("--secret", args->secret,
                                     "Sign deliveries with HMAC-SHA256 (X-Checkpoint-Signature)");
  cmd->callback([&context, args] {
    context.action = [&context, args] {
      const auto webhook = context.client().register_webhook(args->url, args->events,
                                                             given(args->secret_opt, args->secret));
      context.emit(serialize(webhook), [&](std::ostream& out) { render(out, webhook); });
      return kExitOk;
    };
  });
}

void add_delete(CLI::App& webhooks, Context& context) {
  auto id = std::make_shared<std::string>();
  auto* cmd = webhooks.add_subcommand("delete", "Delete a webhook");
  cmd->add_option("ID", *id, "Webhook id (wh_...)")->required();
  cmd->callback([&context, id] {
    context.action = [&context, id] {
      context.client().delete_webhook(*id);
      context.emit({{"deleted", true}, {"webhook_id", *id}},
                   [&](std::ostream& out) { out << "deleted webhook " << *id << '\n'; });
      return kExitOk;
    };
  });
}

}  // namespace

void add_webhook_commands(CLI::App& app, Context& context) {
  auto* webhooks =
      app.add_subcommand("webhooks", "Webhooks: register, delete (the server has no list route)");
  webhooks->require_subcommand(1);
  add_register(*webhooks, context);
  add_delete(*webhooks, context);
}

}  // namespace snapstate_cli
