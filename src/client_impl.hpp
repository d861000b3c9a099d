// The client behind SnapStateClient's pimpl: endpoint by endpoint, validate the input, build
// the request, run it through the retry loop, decode the answer or throw what the outcome
// maps to. Tests construct it with a scripted Transport and recording retry hooks.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "http/transport.hpp"
#include "retry.hpp"
#include "save_exchange.hpp"
#include "snapstate/client.hpp"
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
  PreparedSave prepare_save(const std::string& workflow_id, std::int64_t step,
                            const nlohmann::json& state, const SaveOptions& options);
  SaveResult send_save(PreparedSave& save);
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

  // Every endpoint holds one for its whole duration: a closed client answers CLIENT_CLOSED
  // before it judges the input, and close() returns only once the last scope has ended.
  class CallScope {
   public:
    explicit CallScope(ClientImpl& impl);  // throws CLIENT_CLOSED
    ~CallScope();
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;

   private:
    ClientImpl& impl_;
  };
  void ensure_open() const;
  // A request to the base URL plus a fixed route ("/agents"), or plus prefix, one encoded
  // id and suffix ("/workflows/", id, "/resume").
  HttpRequest request(Method method, std::string_view route) const;
  HttpRequest request(Method method, std::string_view prefix, std::string_view id,
                      std::string_view suffix = {}) const;
  // Runs the retry loop; returns the answer, or throws what the outcome maps to.
  HttpResponse send(const HttpRequest& request, CallKind kind);
  Outcome run(Exchange& exchange);

  const ClientOptions options_;
  const RetryPolicy policy_;
  Wakeup wakeup_;  // before hooks_: the real sleeper sleeps on it
  const RetryHooks hooks_;
  std::shared_ptr<Transport> transport_;
  std::atomic<bool> closed_{false};
  std::mutex calls_mutex_;  // with calls_ended_: the calls in flight, which close() waits for
  std::condition_variable calls_ended_;
  int calls_in_flight_ = 0;
  WorkerPool pool_;
};

}  // namespace snapstate::detail
