#include "app.hpp"

#include <chrono>
#include <cstdio>

#include "clock.hpp"
#include "crypto.hpp"
#include "request_body.hpp"
#include "responses.hpp"
#include "router.hpp"

namespace snapstate::devserver {
namespace {

bool rate_limited_route(RouteId id) {
  switch (id) {
    case RouteId::CreateCheckpoint:
    case RouteId::GetCheckpoint:
    case RouteId::Resume:
    case RouteId::Replay:
    case RouteId::CreateWebhook:
    case RouteId::DeleteWebhook: return true;
    default: return false;  // agents and health have no limiter upstream
  }
}

Response run_handler(RouteId id, Context& ctx, Call& call) {
  switch (id) {
    case RouteId::Health: return handle_health(ctx, call);
    case RouteId::Ready: return handle_ready(ctx, call);
    case RouteId::CreateCheckpoint: return create_checkpoint(ctx, call);
    case RouteId::GetCheckpoint: return get_checkpoint(ctx, call);
    case RouteId::Resume: return resume_workflow(ctx, call);
    case RouteId::Replay: return replay_workflow(ctx, call);
    case RouteId::CreateAgent: return create_agent(ctx, call);
    case RouteId::ListAgents: return list_agents(ctx, call);
    case RouteId::GetAgent: return get_agent(ctx, call);
    case RouteId::PatchAgent: return patch_agent(ctx, call);
    case RouteId::DeleteAgent: return delete_agent(ctx, call);
    case RouteId::CreateWebhook: return create_webhook(ctx, call);
    case RouteId::DeleteWebhook: return delete_webhook(ctx, call);
  }
  return plain_error(500, "unknown route", call.request_id);
}

}  // namespace

App::App(const ServerOptions& options, Storage storage) : ctx_(options, std::move(storage)) {
  ctx_.started_ms = now_ms();
}

Response App::handle(const RequestHead& head, BodyReader& body) {
  const auto start = std::chrono::steady_clock::now();
  Response res = dispatch(head, body);
  if (!ctx_.options.quiet) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::fprintf(stderr, "%s %s -> %d (%.1f ms)\n", head.method.c_str(), head.target.c_str(),
                 res.status, static_cast<double>(us) / 1000.0);
  }
  return res;
}

Response App::dispatch(const RequestHead& head, BodyReader& body) {
  const ParsedUrl url = parse_url(head.target);
  if (url.bad) return bad_url(head.target);
  // Fastify's requestIdHeader is "request-id"; X-Request-Id is not looked at.
  const std::string* incoming_id = head.header("request-id");
  Call call{head,         incoming_id && !incoming_id->empty() ? *incoming_id : uuid_v4(),
            {},           {},
            false,        json::Value{},
            ReplayQuery{}};
  const auto route = match_route(head.method, url.path);
  if (!route) return route_not_found(head.method, head.target, call.request_id);
  call.param = route->param;
  try {
    RequestBody request_body;
    if (auto refused = read_request_body(head, body, call.request_id, request_body))
      return *refused;
    call.has_body = request_body.present;
    call.body = std::move(request_body.value);

    std::optional<std::string> invalid;
    if (route->id == RouteId::CreateCheckpoint) {
      invalid = validate_checkpoint_body(call.body, call.has_body);
    } else if (route->id == RouteId::CreateWebhook) {
      invalid = validate_webhook_body(call.body, call.has_body);
    } else if (route->id == RouteId::Replay) {
      invalid = validate_replay_query(url.query, call.replay);
    }
    if (invalid) return fastify_error(400, "FST_ERR_VALIDATION", *invalid, call.request_id);

    if (route->id != RouteId::Health && route->id != RouteId::Ready) {
      const auto outcome = ctx_.auth.check(head.header("authorization"), call.api_key);
      if (outcome != Auth::Outcome::Ok) {
        return app_error(401, "UNAUTHORIZED", Auth::message(outcome), call.request_id);
      }
      if (rate_limited_route(route->id) && !ctx_.limiter.admit(call.api_key)) {
        return rate_limited(ctx_.limiter.retry_after_seconds(), call.request_id);
      }
    }
    return run_handler(route->id, ctx_, call);
  } catch (const std::exception& e) {
    return plain_error(500, e.what(), call.request_id);
  }
}

// The real server's body [01, 66b], about this server's own storage: "redis" stands for the
// checkpoint store and "postgres" for the agent and webhook store (with --data both are the
// one file); there is no blob store, so "r2" is disconnected, as upstream's is.
Response handle_health(Context& ctx, Call& call) {
  const std::int64_t now = now_ms();
  const bool available = ctx.storage.available();
  const auto store = json::Value::from_string(available ? "connected" : "disconnected");
  json::Value body = json::Value::object();
  body.set("status", json::Value::from_string(available ? "ok" : "degraded"));
  body.set("version", json::Value::from_string(kProtocolVersion));
  body.set("uptime_seconds",
           json::Value::from_number(static_cast<double>((now - ctx.started_ms) / 1000)));
  body.set("redis", store);
  body.set("postgres", store);
  body.set("r2", json::Value::from_string("disconnected"));
  body.set("timestamp", json::Value::from_string(iso8601(now)));
  return json_response(available ? 200 : 503, body, call.request_id);
}

Response handle_ready(Context&, Call& call) {
  json::Value body = json::Value::object();
  body.set("status", json::Value::from_string("ready"));
  return json_response(200, body, call.request_id);
}

}  // namespace snapstate::devserver
