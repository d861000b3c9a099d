#include "snapstate/client.hpp"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <tuple>
#include <utility>

#include "client_impl.hpp"

namespace snapstate {

namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at setup only
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

ClientOptions python_shaped(std::string api_key, std::string base_url, double timeout_seconds,
                            int max_retries) {
  ClientOptions options;
  options.api_key = std::move(api_key);
  options.base_url = std::move(base_url);
  if (!(timeout_seconds > 0.0) || timeout_seconds > 1e9) {
    throw std::invalid_argument("timeout_seconds must be a number of seconds > 0");
  }
  // Rounded up, so a sub-millisecond timeout is 1 ms, never 0 (which libcurl reads as none).
  options.timeout =
      std::chrono::milliseconds(static_cast<long long>(std::ceil(timeout_seconds * 1000.0)));
  options.max_retries = max_retries;
  return options;
}

// The async twins copy their arguments into the task: the caller's may be gone by the time a
// worker runs it. The pool is joined by close(), before the implementation can be destroyed.
template <class Method, class... Args>
auto run_async(detail::ClientImpl& impl, Method method, Args... args) {
  detail::ClientImpl* self = &impl;
  return self->submit([self, method, arguments = std::make_tuple(std::move(args)...)]() mutable {
    return std::apply([self, method](auto&... a) { return (self->*method)(a...); }, arguments);
  });
}

}  // namespace

ClientOptions ClientOptions::from_env() {
  ClientOptions options;
  if (auto key = env("SNAPSTATE_API_KEY")) options.api_key = std::move(*key);
  if (auto url = env("SNAPSTATE_BASE_URL")) {
    options.base_url = std::move(*url);
  } else if (auto legacy = env("SNAPSTATE_API_URL")) {
    options.base_url = std::move(*legacy);
  }
  return options;
}

SnapStateClient::SnapStateClient(ClientOptions options)
    : impl_(std::make_shared<detail::ClientImpl>(std::move(options))) {}

SnapStateClient::SnapStateClient(std::string api_key, std::string base_url, double timeout_seconds,
                                 int max_retries)
    : SnapStateClient(
          python_shaped(std::move(api_key), std::move(base_url), timeout_seconds, max_retries)) {}

SnapStateClient::~SnapStateClient() {
  if (impl_) impl_->close();
}

SnapStateClient::SnapStateClient(SnapStateClient&& other) noexcept = default;

SnapStateClient& SnapStateClient::operator=(SnapStateClient&& other) noexcept {
  if (this != &other) {
    if (impl_) impl_->close();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

detail::ClientImpl& SnapStateClient::impl() {
  if (!impl_) throw SnapStateError("the client was moved from", 0, "CLIENT_CLOSED");
  return *impl_;
}

SaveResult SnapStateClient::save(const std::string& workflow_id, std::int64_t step,
                                 const nlohmann::json& state, const SaveOptions& options) {
  return impl().save(workflow_id, step, state, options);
}
Checkpoint SnapStateClient::get(const std::string& checkpoint_id) {
  return impl().get(checkpoint_id);
}
WorkflowResume SnapStateClient::resume(const std::string& workflow_id) {
  return impl().resume(workflow_id);
}
WorkflowReplay SnapStateClient::replay(const std::string& workflow_id,
                                       const ReplayOptions& options) {
  return impl().replay(workflow_id, options);
}
Agent SnapStateClient::register_agent(const std::string& agent_id, const std::string& name,
                                      const AgentOptions& options) {
  return impl().register_agent(agent_id, name, options);
}
std::vector<Agent> SnapStateClient::list_agents() {
  return impl().list_agents();
}
Agent SnapStateClient::get_agent(const std::string& agent_id) {
  return impl().get_agent(agent_id);
}
Agent SnapStateClient::update_agent(const std::string& agent_id, const AgentUpdate& update) {
  return impl().update_agent(agent_id, update);
}
void SnapStateClient::delete_agent(const std::string& agent_id) {
  impl().delete_agent(agent_id);
}
Webhook SnapStateClient::register_webhook(
    const std::string& url, const std::vector<std::string>& events,
    std::optional<std::string> secret) {  // NOLINT: by value per API.md
  return impl().register_webhook(url, events, secret);
}
void SnapStateClient::delete_webhook(const std::string& webhook_id) {
  impl().delete_webhook(webhook_id);
}
Health SnapStateClient::health() {
  return impl().health();
}

void SnapStateClient::close() {
  if (impl_) impl_->close();
}

std::future<SaveResult> SnapStateClient::async_save(const std::string& workflow_id,
                                                    std::int64_t step, const nlohmann::json& state,
                                                    const SaveOptions& options) {
  detail::ClientImpl* self = &impl();
  // Validated and serialized here, on the caller's thread: the state is never copied, and the
  // caller may change it as soon as this returns.
  std::optional<detail::PreparedSave> prepared;
  try {
    prepared = self->prepare_save(workflow_id, step, state, options);
  } catch (...) {
    std::promise<SaveResult> refused;
    refused.set_exception(std::current_exception());
    return refused.get_future();
  }
  return self->submit(
      [self, save = std::move(*prepared)]() mutable { return self->send_save(save); });
}
std::future<Checkpoint> SnapStateClient::async_get(const std::string& checkpoint_id) {
  return run_async(impl(), &detail::ClientImpl::get, checkpoint_id);
}
std::future<WorkflowResume> SnapStateClient::async_resume(const std::string& workflow_id) {
  return run_async(impl(), &detail::ClientImpl::resume, workflow_id);
}
std::future<WorkflowReplay> SnapStateClient::async_replay(const std::string& workflow_id,
                                                          const ReplayOptions& options) {
  return run_async(impl(), &detail::ClientImpl::replay, workflow_id, options);
}
std::future<Agent> SnapStateClient::async_register_agent(const std::string& agent_id,
                                                         const std::string& name,
                                                         const AgentOptions& options) {
  return run_async(impl(), &detail::ClientImpl::register_agent, agent_id, name, options);
}
std::future<std::vector<Agent>> SnapStateClient::async_list_agents() {
  return run_async(impl(), &detail::ClientImpl::list_agents);
}
std::future<Agent> SnapStateClient::async_get_agent(const std::string& agent_id) {
  return run_async(impl(), &detail::ClientImpl::get_agent, agent_id);
}
std::future<Agent> SnapStateClient::async_update_agent(const std::string& agent_id,
                                                       const AgentUpdate& update) {
  return run_async(impl(), &detail::ClientImpl::update_agent, agent_id, update);
}
std::future<void> SnapStateClient::async_delete_agent(const std::string& agent_id) {
  return run_async(impl(), &detail::ClientImpl::delete_agent, agent_id);
}
std::future<Webhook> SnapStateClient::async_register_webhook(const std::string& url,
                                                             const std::vector<std::string>& events,
                                                             std::optional<std::string> secret) {
  return run_async(impl(), &detail::ClientImpl::register_webhook, url, events, std::move(secret));
}
std::future<void> SnapStateClient::async_delete_webhook(const std::string& webhook_id) {
  return run_async(impl(), &detail::ClientImpl::delete_webhook, webhook_id);
}

std::future<void> SnapStateClient::async_close() {
  // Its own thread, holding a reference: close() joins the pool, which a worker cannot do.
  auto keep = impl_;
  return std::async(std::launch::async, [keep] {
    if (keep) keep->close();
  });
}

}  // namespace snapstate
