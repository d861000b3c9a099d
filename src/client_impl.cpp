#include "client_impl.hpp"

#include <stdexcept>
#include <utility>

#include "answer.hpp"
#include "body_buffer.hpp"
#include "codec.hpp"
#include "error_mapping.hpp"
#include "http/curl_transport.hpp"
#include "json_reader.hpp"
#include "protocol/checkpoint_id.hpp"
#include "snapstate/version.hpp"
#include "url.hpp"
#include "validation.hpp"

namespace snapstate::detail {

namespace {

constexpr std::chrono::milliseconds kLongestRetryWait = std::chrono::hours(24);

ClientOptions checked(ClientOptions options) {
  if (options.api_key.empty()) {
    throw std::invalid_argument(
        "api_key must not be empty: set ClientOptions::api_key, or SNAPSTATE_API_KEY for "
        "ClientOptions::from_env()");
  }
  if (!is_header_safe(options.api_key)) {
    throw std::invalid_argument("api_key must not contain CR, LF or NUL");
  }
  if (options.user_agent.empty()) {
    options.user_agent = std::string("snapstate-cpp/") + SNAPSTATE_VERSION_STRING;
  } else if (!is_header_safe(options.user_agent)) {
    throw std::invalid_argument("user_agent must not contain CR, LF or NUL");
  }
  // libcurl reads a timeout of 0 as "wait forever": every wait here has a bound.
  const auto positive = [](std::chrono::milliseconds value, const char* name) {
    if (value.count() <= 0) {
      throw std::invalid_argument(std::string(name) + " must be > 0 (got " +
                                  std::to_string(value.count()) + " ms)");
    }
  };
  positive(options.timeout, "timeout");
  positive(options.connect_timeout, "connect_timeout");
  if (options.total_timeout) positive(*options.total_timeout, "total_timeout");
  if (options.max_retry_wait.count() < 0) {
    throw std::invalid_argument("max_retry_wait must not be negative");
  }
  // A cap past a day means no cap: held to a day, every deadline sum stays in range.
  options.max_retry_wait = std::min(options.max_retry_wait, kLongestRetryWait);
  options.base_url = normalize_base_url(options.base_url);
  return options;
}

// The header lines of the SnapState API; the wire itself adds none but User-Agent.
WireSettings wire_settings(const ClientOptions& options) {
  WireSettings wire;
  wire.header_lines = {"Authorization: Bearer " + options.api_key, "Accept: application/json"};
  wire.body_header_lines = {"Content-Type: application/json"};
  wire.receive_padding = kJsonPadding;  // the reader then parses the body in place
  return wire;
}

constexpr CallKind kRepeatable{true, 0};
constexpr std::size_t kMaxTargetBytes = 8192;  // path and query of one request
constexpr CallKind kWrite{false, 0};

}  // namespace

ClientImpl::ClientImpl(ClientOptions options)
    : options_(checked(std::move(options))),
      policy_(RetryPolicy::from(options_)),
      hooks_(RetryHooks::real(wakeup_)),
      transport_(std::make_shared<CurlTransport>(options_, wire_settings(options_))),
      pool_(options_.async_threads) {}

ClientImpl::ClientImpl(ClientOptions options, std::shared_ptr<Transport> transport,
                       RetryHooks hooks)
    : options_(checked(std::move(options))),
      policy_(RetryPolicy::from(options_)),
      hooks_(std::move(hooks)),
      transport_(std::move(transport)),
      pool_(options_.async_threads) {}

ClientImpl::~ClientImpl() {
  close();
}

std::exception_ptr ClientImpl::closed_error() {
  return std::make_exception_ptr(SnapStateError("the client is closed", 0, "CLIENT_CLOSED"));
}

namespace {

// The calls this thread is inside, innermost last: close() from inside a call (an observer, a
// task on the worker pool) cannot wait for that call to end.
std::vector<const ClientImpl*>& calls_on_this_thread() {
  thread_local std::vector<const ClientImpl*> calls;
  return calls;
}

}  // namespace

ClientImpl::CallScope::CallScope(ClientImpl& impl) : impl_(impl) {
  std::lock_guard<std::mutex> lock(impl_.calls_mutex_);
  impl_.ensure_open();
  calls_on_this_thread().push_back(&impl_);  // first: it may throw, and nothing is counted yet
  ++impl_.calls_in_flight_;
}

ClientImpl::CallScope::~CallScope() {
  calls_on_this_thread().pop_back();
  std::lock_guard<std::mutex> lock(impl_.calls_mutex_);
  if (--impl_.calls_in_flight_ == 0) impl_.calls_ended_.notify_all();
}

void ClientImpl::ensure_open() const {
  if (closed_.load()) std::rethrow_exception(closed_error());
}

void ClientImpl::close() {
  {
    std::lock_guard<std::mutex> lock(calls_mutex_);
    closed_.store(true);  // no call starts from now on
  }
  transport_->close();  // transfers in flight end at once, no new request starts
  wakeup_.interrupt();  // calls sleeping out a back-off end CLIENT_CLOSED
  pool_.shutdown();     // queued async calls run, see the closed flag and fail fast
  const auto& mine = calls_on_this_thread();
  const auto own = static_cast<int>(std::count(mine.begin(), mine.end(), this));
  std::unique_lock<std::mutex> lock(calls_mutex_);
  calls_ended_.wait(lock, [&] { return calls_in_flight_ <= own; });
}

HttpRequest ClientImpl::request(Method method, std::string_view route) const {
  return request(method, route, {}, {});
}

HttpRequest ClientImpl::request(Method method, std::string_view prefix, std::string_view id,
                                std::string_view suffix) const {
  HttpRequest out;
  out.method = method;
  out.url.reserve(options_.base_url.size() + prefix.size() + 3 * id.size() + suffix.size());
  out.url = options_.base_url;
  out.target_begin = out.url.size();
  out.url += prefix;
  append_path_segment(out.url, id);
  out.url += suffix;
  // A request line longer than a server reads (Node's whole header block is 16 KiB) would
  // fail as a network error and be retried; it is bad input, refused before sending.
  if (out.url.size() - out.target_begin > kMaxTargetBytes) {
    throw ValidationError(
        "the id makes the request URL " + std::to_string(out.url.size() - out.target_begin) +
            " bytes long; at most " + std::to_string(kMaxTargetBytes) + " are sent",
        0, "ID_TOO_LONG");
  }
  return out;
}

Outcome ClientImpl::run(Exchange& exchange) {
  return send_with_retries(*transport_, exchange, policy_, hooks_, options_.on_attempt);
}

HttpResponse ClientImpl::send(const HttpRequest& request, CallKind kind) {
  PlainExchange exchange(request, kind);
  auto outcome = run(exchange);
  if (outcome.reason != StopReason::answered) throw_outcome(outcome, options_.api_key);
  return std::move(outcome.response());
}

PreparedSave ClientImpl::prepare_save(const std::string& workflow_id, std::int64_t step,
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

  // Only the state is measured here; a body that its label or metadata push over the server's
  // limit goes out, and the server's own 413 is the answer.
  auto encoded = encode_save(workflow_id, step, state, options);
  PreparedSave save;
  save.request = request(Method::post, "/checkpoints");
  save.request.has_body = true;
  save.request.body = std::move(encoded.body);
  if (options.ttl_seconds) {
    save.request.headers.push_back("X-Checkpoint-TTL: " + std::to_string(*options.ttl_seconds));
  }
  if (options.if_match) save.request.headers.push_back("If-Match: " + *options.if_match);
  save.workflow_id = workflow_id;
  save.step = step;
  save.checkpoint_id = protocol::checkpoint_id(workflow_id, static_cast<double>(step));
  save.lookup = request(Method::get, "/checkpoints/", save.checkpoint_id);
  save.state_begin = encoded.state_begin;
  save.state_size = encoded.state_size;
  save.if_match = options.if_match;
  return save;
}

SaveResult ClientImpl::send_save(PreparedSave& save) {
  const CallScope scope(*this);
  SaveExchange exchange(save, options_.api_key);
  const auto outcome = run(exchange);
  recycle_body_buffer(std::move(save.request.body));
  if (auto& result = exchange.result()) return std::move(*result);
  if (exchange.error()) std::rethrow_exception(exchange.error());
  throw_outcome(outcome, options_.api_key);
}

SaveResult ClientImpl::save(const std::string& workflow_id, std::int64_t step,
                            const nlohmann::json& state, const SaveOptions& options) {
  auto prepared = prepare_save(workflow_id, step, state, options);
  return send_save(prepared);
}

Checkpoint ClientImpl::get(const std::string& checkpoint_id) {
  const CallScope scope(*this);
  check_id(checkpoint_id, "checkpoint_id", "INVALID_CHECKPOINT_ID");
  auto response = send(request(Method::get, "/checkpoints/", checkpoint_id), kRepeatable);
  auto checkpoint = decode<Checkpoint>(response, decode_checkpoint);
  expect_same(checkpoint.checkpoint_id, checkpoint_id, "checkpoint", response);
  return checkpoint;
}

WorkflowResume ClientImpl::resume(const std::string& workflow_id) {
  const CallScope scope(*this);
  check_workflow_id(workflow_id);
  auto response = send(request(Method::get, "/workflows/", workflow_id, "/resume"), kRepeatable);
  auto resumed = decode<WorkflowResume>(response, decode_resume);
  expect_same(resumed.workflow_id, workflow_id, "workflow", response);
  return resumed;
}

WorkflowReplay ClientImpl::replay(const std::string& workflow_id, const ReplayOptions& options) {
  const CallScope scope(*this);
  check_workflow_id(workflow_id);
  check_replay(options);
  auto replay = request(Method::get, "/workflows/", workflow_id, "/replay");
  char separator = '?';
  const auto param = [&](const char* name, const std::optional<std::int64_t>& value) {
    if (!value) return;
    replay.url += separator;
    replay.url += name;
    replay.url += '=';
    replay.url += std::to_string(*value);
    separator = '&';
  };
  param("from_step", options.from_step);
  param("to_step", options.to_step);
  param("limit", options.limit);
  auto response = send(replay, kRepeatable);
  auto replayed = decode<WorkflowReplay>(response, decode_replay);
  expect_same(replayed.workflow_id, workflow_id, "workflow", response);
  return replayed;
}

Agent ClientImpl::register_agent(const std::string& agent_id, const std::string& name,
                                 const AgentOptions& options) {
  const CallScope scope(*this);
  check_agent_id(agent_id);
  check_text(name, "name");
  if (options.description) check_text(*options.description, "description");
  if (options.metadata) check_object(*options.metadata, "metadata", "INVALID_METADATA");
  auto post = request(Method::post, "/agents");
  post.has_body = true;
  post.body = encode_register_agent(agent_id, name, options);
  auto response = send(post, kWrite);
  auto agent = decode<Agent>(response, decode_agent);
  expect_same(agent.agent_id, agent_id, "agent", response);
  return agent;
}

std::vector<Agent> ClientImpl::list_agents() {
  const CallScope scope(*this);
  auto response = send(request(Method::get, "/agents"), kRepeatable);
  return decode<std::vector<Agent>>(response, decode_agent_list);
}

Agent ClientImpl::get_agent(const std::string& agent_id) {
  const CallScope scope(*this);
  check_agent_id(agent_id);
  auto response = send(request(Method::get, "/agents/", agent_id), kRepeatable);
  auto agent = decode<Agent>(response, decode_agent);
  expect_same(agent.agent_id, agent_id, "agent", response);
  return agent;
}

Agent ClientImpl::update_agent(const std::string& agent_id, const AgentUpdate& update) {
  const CallScope scope(*this);
  check_agent_id(agent_id);
  if (!update.name && !update.description && !update.capabilities && !update.metadata) {
    throw ValidationError("update_agent needs at least one field to change", 0, "NO_UPDATE_FIELDS");
  }
  if (update.name) check_text(*update.name, "name");
  if (update.description) check_text(*update.description, "description");
  if (update.metadata) check_object(*update.metadata, "metadata", "INVALID_METADATA");
  auto patch = request(Method::patch, "/agents/", agent_id);
  patch.has_body = true;
  patch.body = encode_update_agent(update);
  auto response = send(patch, kWrite);
  auto agent = decode<Agent>(response, decode_agent);
  expect_same(agent.agent_id, agent_id, "agent", response);
  return agent;
}

void ClientImpl::delete_agent(const std::string& agent_id) {
  const CallScope scope(*this);
  check_agent_id(agent_id);
  send(request(Method::del, "/agents/", agent_id), kWrite);
}

Webhook ClientImpl::register_webhook(const std::string& url, const std::vector<std::string>& events,
                                     const std::optional<std::string>& secret) {
  const CallScope scope(*this);
  check_webhook(url, events, secret);
  auto post = request(Method::post, "/webhooks");
  post.has_body = true;
  post.body = encode_register_webhook(url, events, secret);
  auto response = send(post, kWrite);
  return decode<Webhook>(response, decode_webhook);
}

void ClientImpl::delete_webhook(const std::string& webhook_id) {
  const CallScope scope(*this);
  check_id(webhook_id, "webhook_id", "INVALID_WEBHOOK_ID");
  send(request(Method::del, "/webhooks/", webhook_id), kWrite);
}

Health ClientImpl::health() {
  const CallScope scope(*this);
  // A degraded server answers 503 with a health body: that is an answer, not a failure.
  auto response = send(request(Method::get, "/health"), CallKind{true, 503});
  try {
    return decode<Health>(response, decode_health);
  } catch (const ProtocolError&) {
    if (response.status == 503)
      throw_http_error(response, options_.api_key);  // a 503 that is no health body
    throw;
  }
}

}  // namespace snapstate::detail
