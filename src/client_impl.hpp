// The client behind SnapStateClient's pimpl: endpoint by endpoint, validate the input, build
// the request, send it through the retry loop, decode the result. Tests construct it with a
// scripted Transport and recording retry hooks.
#pragma once

#include <atomic>
#include <condition_variable>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "retry.hpp"
#include "snapstate/client.hpp"
#include "transport.hpp"
#include "worker_pool.hpp"

namespace snapstate::detail {

class ClientImpl {
 public:
  // Validates `options` (std::invalid_argument) and talks to the server through libcurl.
  explicit ClientImpl(ClientOptions options);
  // The seam for unit tests: any transport, any sleeper.
  ClientImpl(ClientOptions options, std::shared_ptr<Transport> transport, RetryHooks hooks);
  ~ClientImpl();
  ClientImpl(const ClientImpl&) = delete;
  ClientImpl& operator=(const ClientImpl&) = delete;

  SaveResult save(const std::string& workflow_id, std::int64_t step, const nlohmann::json& state,
                  const SaveOptions& options);
  Checkpoint get(const std::string& checkpoint_id);
  WorkflowResume resume(const std::string& workflow_id);
  WorkflowReplay replay(const std::string& workflow_id, const ReplayOptions& options);
  Agent register_agent(const std::string& agent_id, const std::string& name,
                       const AgentOptions& options);
  std::vector<Agent> list_agents();
  Agent get_agent(const std::string& agent_id);
  Agent update_agent(const std::string& agent_id, const AgentUpdate& update);
  void delete_agent(const std::string& agent_id);
  Webhook register_webhook(const std::string& url, const std::vector<std::string>& events,
                           const std::optional<std::string>& secret);
  void delete_webhook(const std::string& webhook_id);
  Health health();
  void close();

  // Runs `task` on the worker pool; CLIENT_CLOSED through the future once closed.
  template <class F>
  auto submit(F task) {
    return pool_.submit(std::move(task), [] { return closed_error(); });
  }

 private:
  static std::exception_ptr closed_error();
  // The base URL plus a fixed route ("/agents"), or plus prefix, one encoded id, suffix
  // ("/workflows/", id, "/resume").
  std::string endpoint(std::string_view route) const;
  std::string endpoint(std::string_view prefix, std::string_view id,
                       std::string_view suffix = {}) const;
  void ensure_open() const;
  Outcome send(const HttpRequest& request, bool idempotent, std::initializer_list<int> final = {});

  const ClientOptions options_;
  const RetryPolicy policy_;
  RetryHooks hooks_;
  std::shared_ptr<Transport> transport_;
  std::atomic<bool> closed_{false};
  std::mutex sleep_mutex_;  // with wake_: back-off sleeps that close() cuts short
  std::condition_variable wake_;
  WorkerPool pool_;
};

}  // namespace snapstate::detail
