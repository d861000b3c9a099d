// The request pipeline, in the real server's order: route match (404 shape D / 400 shape E)
// -> content type and body (415, 413, 400) -> JSON schema (400) -> auth (401) -> rate limit
// (429) -> the route handler.
#pragma once

#include <cstdint>
#include <string>

#include "auth.hpp"
#include "http_types.hpp"
#include "json_value.hpp"
#include "rate_limiter.hpp"
#include "schema.hpp"
#include "snapstate/devserver/server.hpp"
#include "storage.hpp"
#include "webhook_sender.hpp"

namespace snapstate::devserver {

/// Everything the handlers share; each member is thread-safe on its own.
struct Context {
  Context(const ServerOptions& o, Storage s)
      : options(o), auth(o.api_keys), limiter(o.rate_limit, o.rate_window), storage(std::move(s)) {}
  ServerOptions options;
  Auth auth;
  RateLimiter limiter;
  Storage storage;
  WebhookSender deliveries;
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
  App(const ServerOptions& options, Storage storage);
  Response handle(const RequestHead& head, BodyReader& body);
  void stop() { ctx_.deliveries.stop(); }

 private:
  Response dispatch(const RequestHead& head, BodyReader& body);
  Context ctx_;
};

}  // namespace snapstate::devserver
