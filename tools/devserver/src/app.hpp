// The request pipeline, in the real server's order: route match (404 shape D / 400 shape E)
// -> content type and body (415, 413, 400) -> JSON schema (400) -> auth (401) -> rate limit
// (429) -> the route handler.
#pragma once

#include <cstdint>
#include <string>

#include "agent_store.hpp"
#include "auth.hpp"
#include "checkpoint_store.hpp"
#include "http_types.hpp"
#include "json_value.hpp"
#include "rate_limiter.hpp"
#include "schema.hpp"
#include "snapstate/devserver/server.hpp"
#include "webhooks.hpp"

namespace snapstate::devserver {

/// Everything the handlers share; each member is thread-safe on its own.
struct Context {
  explicit Context(const ServerOptions& o)
      : options(o), auth(o.api_keys), limiter(o.rate_limit, o.rate_window) {}
  ServerOptions options;
  Auth auth;
  RateLimiter limiter;
  CheckpointStore checkpoints;
  AgentStore agents;
  Webhooks webhooks;
  std::int64_t started_ms = 0;
};

/// One request as a handler sees it, after every check has passed.
struct Call {
  const RequestHead& head;
  std::string request_id;
  std::string api_key;
  std::string param;  ///< the route's path parameter, decoded
  bool has_body = false;
  json::Value body;  ///< schema-coerced where the route has a schema
  ReplayQuery replay;
};

Response handle_health(Context& ctx, Call& call);
Response handle_ready(Context& ctx, Call& call);
Response create_checkpoint(Context& ctx, Call& call);
Response get_checkpoint(Context& ctx, Call& call);
Response resume_workflow(Context& ctx, Call& call);
Response replay_workflow(Context& ctx, Call& call);
Response create_agent(Context& ctx, Call& call);
Response list_agents(Context& ctx, Call& call);
Response get_agent(Context& ctx, Call& call);
Response patch_agent(Context& ctx, Call& call);
Response delete_agent(Context& ctx, Call& call);
Response create_webhook(Context& ctx, Call& call);
Response delete_webhook(Context& ctx, Call& call);

class App {
 public:
  /// `options` as Server resolved them: api_keys is never empty here.
  explicit App(const ServerOptions& options);
  Response handle(const RequestHead& head, BodyReader& body);
  void stop() { ctx_.webhooks.stop(); }

 private:
  Response dispatch(const RequestHead& head, BodyReader& body);
  Context ctx_;
};

}  // namespace snapstate::devserver
