#include "client_impl.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "codec.hpp"
#include "curl_transport.hpp"
#include "error_mapping.hpp"
#include "snapstate/version.hpp"
#include "url.hpp"
#include "validation.hpp"

namespace snapstate::detail {

namespace {

ClientOptions checked(ClientOptions options) {
  if (options.api_key.empty()) throw std::invalid_argument("api_key must not be empty");
  if (!is_header_safe(options.api_key)) {
    throw std::invalid_argument("api_key must not contain CR, LF or NUL");
  }
  if (options.user_agent.empty()) {
    options.user_agent = std::string("snapstate-cpp/") + SNAPSTATE_VERSION_STRING;
  } else if (!is_header_safe(options.user_agent)) {
    throw std::invalid_argument("user_agent must not contain CR, LF or NUL");
  }
  if (options.timeout.count() < 0 || options.connect_timeout.count() < 0 ||
      options.max_retry_wait.count() < 0) {
    throw std::invalid_argument("timeouts and max_retry_wait must not be negative");
  }
  options.base_url = normalize_base_url(options.base_url);
  return options;
}

CurlSettings curl_settings(const ClientOptions& options) {
  CurlSettings settings;
  settings.api_key = options.api_key;
  settings.user_agent = options.user_agent;
  settings.timeout = options.timeout;
  settings.connect_timeout = options.connect_timeout;
  settings.verify_tls = options.verify_tls;
  settings.ca_bundle = options.ca_bundle;
  settings.proxy = options.proxy;
  settings.max_response_bytes = options.max_response_bytes;
  return settings;
}

RetryPolicy retry_policy(const ClientOptions& options) {
  RetryPolicy policy;
  policy.max_attempts = options.max_retries < 1 ? 1 : options.max_retries;
  policy.max_wait = options.max_retry_wait;
  policy.retry_transient = options.retry_transient_errors;
  return policy;
}

HttpRequest json_request(Method method, std::string url, std::string body) {
  HttpRequest request;
  request.method = method;
  request.url = std::move(url);
  request.has_body = true;
  request.body = std::move(body);
  return request;
}

HttpRequest bodyless_request(Method method, std::string url) {
  HttpRequest request;
  request.method = method;
  request.url = std::move(url);
  return request;
}

template <class T, class Decode>
T decode(Outcome& outcome, Decode decoder) {
  const ResponseContext context{outcome.response.status, outcome.response.request_id};
  auto doc = parse_body(outcome.response.body, context);
  return decoder(doc, context);
}

}  // namespace

ClientImpl::ClientImpl(ClientOptions options)
    : ClientImpl(std::move(options), nullptr, RetryHooks::real()) {
  // A back-off sleep ends early when the client is closed, and no attempt follows it.
  hooks_.sleep = [this](std::chrono::milliseconds delay) {
    {
      std::unique_lock<std::mutex> lock(sleep_mutex_);
      wake_.wait_for(lock, delay, [this] { return closed_.load(); });
    }
    ensure_open();
  };
}

ClientImpl::ClientImpl(ClientOptions options, std::shared_ptr<Transport> transport,
                       RetryHooks hooks)
    : options_(checked(std::move(options))),
      policy_(retry_policy(options_)),
      hooks_(std::move(hooks)),
      transport_(transport ? std::move(transport)
                           : std::make_shared<CurlTransport>(curl_settings(options_))),
      pool_(options_.async_threads) {}

ClientImpl::~ClientImpl() {
  close();
}

std::exception_ptr ClientImpl::closed_error() {
  return std::make_exception_ptr(SnapStateError("the client is closed", 0, "CLIENT_CLOSED"));
}

void ClientImpl::ensure_open() const {
  if (closed_.load()) std::rethrow_exception(closed_error());
}

void ClientImpl::close() {
  if (closed_.exchange(true)) return;
  transport_->close();  // first: no new request can start, calls in flight end CLIENT_CLOSED
  {
    std::lock_guard<std::mutex> lock(sleep_mutex_);  // no sleeper misses the wake-up
  }
  wake_.notify_all();  // calls sleeping out a back-off end CLIENT_CLOSED
  pool_.shutdown();    // queued async calls run, see the closed flag and fail fast
}

std::string ClientImpl::endpoint(std::string_view route) const {
  return options_.base_url + std::string(route);
}

std::string ClientImpl::endpoint(std::string_view prefix, std::string_view id,
                                 std::string_view suffix) const {
  return options_.base_url + std::string(prefix) + encode_path_segment(id) + std::string(suffix);
}

// Every endpoint starts with ensure_open(): a closed client answers CLIENT_CLOSED before it
// judges the input. send() checks again, for a close() that races with the call.
Outcome ClientImpl::send(const HttpRequest& request, bool idempotent,
                         std::initializer_list<int> final) {
  ensure_open();
  auto outcome = send_with_retries(*transport_, request, policy_, hooks_, idempotent, final);
  const int status = outcome.response.status;
  const bool accepted = (status >= 200 && status <= 299) ||
                        std::find(final.begin(), final.end(), status) != final.end();
  if (!accepted) throw_http_error(outcome.response, outcome.attempts, outcome.retry_after_seconds);
  return outcome;
}

SaveResult ClientImpl::save(const std::string& workflow_id, std::int64_t step,
                            const nlohmann::json& state, const SaveOptions& options) {
  ensure_open();
  check_workflow_id(workflow_id);
  check_step(step);
  check_object(state, "state", "INVALID_STATE");
  if (options.label) check_label(*options.label);
  if (options.metadata) check_object(*options.metadata, "metadata", "INVALID_METADATA");
  if (options.agent_id) check_agent_tag(*options.agent_id);
  if (options.ttl_seconds) check_ttl(*options.ttl_seconds);
  if (options.if_match) check_if_match(*options.if_match);

  // The body is written into this thread's previous save buffer: a large state then goes out
  // without growing (and page-faulting) a fresh buffer on every call.
  thread_local std::string spare;
  auto encoded = encode_save(workflow_id, step, state, options, std::move(spare));
  check_state_size(encoded.state_bytes);
  // The server refuses any body over 1 MiB and closes the connection mid-upload; refusing it
  // here gives the same answer without a race against the connection reset.
  check_body_size(encoded.body.size());
  auto request = json_request(Method::post, endpoint("/checkpoints"), std::move(encoded.body));
  if (options.ttl_seconds) {
    request.headers.push_back("X-Checkpoint-TTL: " + std::to_string(*options.ttl_seconds));
  }
  if (options.if_match) request.headers.push_back("If-Match: " + *options.if_match);
  // Never replayed blindly after a dropped connection: the server may have stored it.
  auto outcome = send(request, /*idempotent=*/false);
  constexpr std::size_t kKeepAtMost = 2 * kMaxBodyBytes;  // bodies over 1 MiB are refused anyway
  if (request.body.capacity() <= kKeepAtMost) spare = std::move(request.body);
  return decode<SaveResult>(outcome, decode_save_result);
}

Checkpoint ClientImpl::get(const std::string& checkpoint_id) {
  ensure_open();
  check_id(checkpoint_id, "checkpoint_id", "INVALID_CHECKPOINT_ID");
  auto outcome =
      send(bodyless_request(Method::get, endpoint("/checkpoints/", checkpoint_id)), true);
  return decode<Checkpoint>(outcome, decode_checkpoint);
}

WorkflowResume ClientImpl::resume(const std::string& workflow_id) {
  ensure_open();
  check_workflow_id(workflow_id);
  auto outcome =
      send(bodyless_request(Method::get, endpoint("/workflows/", workflow_id, "/resume")), true);
  return decode<WorkflowResume>(outcome, decode_resume);
}

WorkflowReplay ClientImpl::replay(const std::string& workflow_id, const ReplayOptions& options) {
  ensure_open();
  check_workflow_id(workflow_id);
  check_replay(options);
  std::string target = endpoint("/workflows/", workflow_id, "/replay");
  char separator = '?';
  const auto param = [&](const char* name, const std::optional<std::int64_t>& value) {
    if (!value) return;
    target += separator;
    target += name;
    target += '=';
    target += std::to_string(*value);
    separator = '&';
  };
  param("from_step", options.from_step);
  param("to_step", options.to_step);
  param("limit", options.limit);
  auto outcome = send(bodyless_request(Method::get, std::move(target)), true);
  return decode<WorkflowReplay>(outcome, decode_replay);
}

Agent ClientImpl::register_agent(const std::string& agent_id, const std::string& name,
                                 const AgentOptions& options) {
  ensure_open();
  check_agent_id(agent_id);
  check_text(name, "name");
  if (options.description) check_text(*options.description, "description");
  if (options.metadata) check_object(*options.metadata, "metadata", "INVALID_METADATA");
  auto outcome = send(json_request(Method::post, endpoint("/agents"),
                                   encode_register_agent(agent_id, name, options)),
                      false);
  return decode<Agent>(outcome, decode_agent);
}

std::vector<Agent> ClientImpl::list_agents() {
  auto outcome = send(bodyless_request(Method::get, endpoint("/agents")), true);
  return decode<std::vector<Agent>>(outcome, decode_agent_list);
}

Agent ClientImpl::get_agent(const std::string& agent_id) {
  ensure_open();
  check_agent_id(agent_id);
  auto outcome = send(bodyless_request(Method::get, endpoint("/agents/", agent_id)), true);
  return decode<Agent>(outcome, decode_agent);
}

Agent ClientImpl::update_agent(const std::string& agent_id, const AgentUpdate& update) {
  ensure_open();
  check_agent_id(agent_id);
  if (!update.name && !update.description && !update.capabilities && !update.metadata) {
    throw ValidationError("update_agent needs at least one field to change", 0, "NO_UPDATE_FIELDS");
  }
  if (update.name) check_text(*update.name, "name");
  if (update.description) check_text(*update.description, "description");
  if (update.metadata) check_object(*update.metadata, "metadata", "INVALID_METADATA");
  auto outcome =
      send(json_request(Method::patch, endpoint("/agents/", agent_id), encode_update_agent(update)),
           false);
  return decode<Agent>(outcome, decode_agent);
}

void ClientImpl::delete_agent(const std::string& agent_id) {
  ensure_open();
  check_agent_id(agent_id);
  send(bodyless_request(Method::del, endpoint("/agents/", agent_id)), false);
}

Webhook ClientImpl::register_webhook(const std::string& url, const std::vector<std::string>& events,
                                     const std::optional<std::string>& secret) {
  ensure_open();
  check_webhook(url, events, secret);
  auto outcome = send(json_request(Method::post, endpoint("/webhooks"),
                                   encode_register_webhook(url, events, secret)),
                      false);
  return decode<Webhook>(outcome, decode_webhook);
}

void ClientImpl::delete_webhook(const std::string& webhook_id) {
  ensure_open();
  check_id(webhook_id, "webhook_id", "INVALID_WEBHOOK_ID");
  send(bodyless_request(Method::del, endpoint("/webhooks/", webhook_id)), false);
}

Health ClientImpl::health() {
  // A degraded server answers 503 with a health body: that is an answer, not a failure.
  auto outcome = send(bodyless_request(Method::get, endpoint("/health")), true, {503});
  if (outcome.response.status == 503) {
    try {
      return decode<Health>(outcome, decode_health);
    } catch (const ProtocolError&) {
      throw_http_error(outcome.response, outcome.attempts, outcome.retry_after_seconds);
    }
  }
  return decode<Health>(outcome, decode_health);
}

}  // namespace snapstate::detail
