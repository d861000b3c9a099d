/// @file client.hpp
/// @brief SnapStateClient: save, resume and replay agent workflow state over HTTP.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "snapstate/errors.hpp"
#include "snapstate/export.hpp"
#include "snapstate/types.hpp"

namespace snapstate {

namespace detail {
class ClientImpl;
}  // namespace detail

/// One attempt of a call, as ClientOptions::on_attempt sees it: the method and path, what came
/// back, how long it took and whether the client tries again. It carries no API key, no body
/// and no header value but the request id.
struct AttemptEvent {
  std::string method;  ///< "GET", "POST", "PATCH" or "DELETE".
  /// As sent, ids percent-encoded, no query: "/workflows/wf%2F1/resume".
  std::string path;
  int attempt = 1;                       ///< 1-based within one call.
  int status = 0;                        ///< HTTP status; 0 when no response came.
  std::string error_code;                ///< Empty when a response came, else the error's code.
  std::chrono::microseconds elapsed{0};  ///< This attempt.
  /// Set when the client sleeps this long, then tries again.
  std::optional<std::chrono::milliseconds> retry_in;
  std::string request_id;  ///< The response's X-Request-Id, empty when none.
};

/// How a client reaches the server. An aggregate: set fields by name (C++20 designated
/// initializers work too). Only api_key is required.
struct ClientOptions {
  std::string api_key;                               ///< Required; "snp_...".
  std::string base_url = "http://localhost:3000";    ///< http:// or https://; trailing '/' is fine.
  std::chrono::milliseconds timeout{30000};          ///< Whole request, per attempt; > 0.
  std::chrono::milliseconds connect_timeout{10000};  ///< Connection set-up, per attempt; > 0.
  int max_retries =
      3;  ///< Total attempts (429, transient failures, a save's look-up); < 1 means 1.
  std::chrono::milliseconds max_retry_wait{30000};  ///< Cap on one back-off sleep.
  bool retry_transient_errors = true;  ///< Retry failed connects; 502/503/504/drops for GET.
  std::string user_agent;              ///< Empty: "snapstate-cpp/<version>".
  bool verify_tls = true;  ///< false disables certificate checks: dangerous, tests only.
  std::optional<std::string> ca_bundle;        ///< PEM file; empty: the system store.
  std::optional<std::string> proxy;            ///< Empty: the usual proxy environment variables.
  std::size_t max_response_bytes = 16u << 20;  ///< Larger bodies fail with ProtocolError.
  std::size_t async_threads = 2;               ///< Workers behind the async_* calls.
  /// Called after every attempt, on the calling thread (the worker for async_*); what it
  /// throws is swallowed. It may call close(), but must not destroy the client whose call it
  /// observes. Empty: no events.
  std::function<void(const AttemptEvent&)> on_attempt;
  /// Bounds the whole call: attempts, back-off sleeps and the resolution of an unknown save.
  /// The client neither sleeps past it nor starts an attempt it would outlast. Unset: no cap.
  std::optional<std::chrono::milliseconds> total_timeout;

  /// Options from SNAPSTATE_API_KEY and SNAPSTATE_BASE_URL (or SNAPSTATE_API_URL); the
  /// other fields keep their defaults.
  SNAPSTATE_EXPORT static ClientOptions from_env();
};

/// Optional parts of a save.
struct SaveOptions {
  std::optional<std::string> label;         ///< At most 256 characters.
  std::optional<nlohmann::json> metadata;   ///< Must be an object.
  std::optional<std::string> agent_id;      ///< Tags the checkpoint; at most 255 characters.
  std::optional<std::int64_t> ttl_seconds;  ///< > 0; sent as X-Checkpoint-TTL.
  std::optional<std::string> if_match;      ///< Sent as If-Match, verbatim.
};

/// Filters of a replay. The server applies `limit` to writes first, then the step filters.
struct ReplayOptions {
  std::optional<std::int64_t> from_step;  ///< >= 0.
  std::optional<std::int64_t> to_step;    ///< >= 0.
  std::optional<std::int64_t> limit;      ///< 1..1000; the server's default is 100.
};

/// Optional parts of an agent registration.
struct AgentOptions {
  std::optional<std::string> description;                ///< Free text.
  std::optional<std::vector<std::string>> capabilities;  ///< Free-form capability tags.
  std::optional<nlohmann::json> metadata;                ///< Must be an object.
};

/// Fields to change on an agent; at least one must be set.
struct AgentUpdate {
  std::optional<std::string> name;                       ///< New display name.
  std::optional<std::string> description;                ///< New description.
  std::optional<std::vector<std::string>> capabilities;  ///< New capability tags.
  std::optional<nlohmann::json> metadata;                ///< Must be an object.
};

/// A blocking client for the SnapState service.
///
/// @par Thread Safety
/// Every method may be called from several threads at once on one client. Each concurrent
/// call leases its own connection (kept alive) from a small pool, so calls
/// never wait on one another. close() may race with calls in flight: those end with
/// `CLIENT_CLOSED` or finish normally.
///
/// @par Error Handling
/// Every failure is a SnapStateError subclass (see errors.hpp): invalid input is refused with
/// ValidationError (status 0) before anything is sent; HTTP errors map to one class per status;
/// an unreadable response is a ProtocolError; no response at all is a NetworkError. 429 is
/// retried with back-off up to max_retries attempts.
///
/// @par Example
/// @code
/// snapstate::SnapStateClient client(snapstate::ClientOptions::from_env());
/// snapstate::SaveOptions options;
/// options.label = "halfway";
/// client.save("wf-1", 1, {{"progress", 0.5}}, options);
/// auto resumed = client.resume("wf-1");
/// @endcode
class SNAPSTATE_EXPORT SnapStateClient {
 public:
  /// @throws std::invalid_argument for an empty api_key or a base_url that is not http(s).
  explicit SnapStateClient(ClientOptions options);
  /// The Python SDK's shape.
  /// @throws std::invalid_argument for an empty api_key or a base_url that is not http(s).
  SnapStateClient(std::string api_key, std::string base_url = "http://localhost:3000",
                  double timeout_seconds = 30.0, int max_retries = 3);
  /// Calls close().
  ~SnapStateClient();

  /// Takes over `other`'s connections; `other` then throws CLIENT_CLOSED.
  SnapStateClient(SnapStateClient&& other) noexcept;
  /// Closes this client, then takes over `other`'s connections.
  SnapStateClient& operator=(SnapStateClient&& other) noexcept;
  SnapStateClient(const SnapStateClient&) = delete;
  SnapStateClient& operator=(const SnapStateClient&) = delete;

  /// Saves `state` as step `step` of `workflow_id` (POST /checkpoints).
  /// @throws ValidationError bad input (status 0) or a 400.
  /// @throws PayloadTooLargeError the state's compact JSON exceeds 1 MiB (status 0), or a 413.
  /// @throws ConflictError the step exists already (see existing_etag()) or If-Match failed.
  SaveResult save(const std::string& workflow_id, std::int64_t step, const nlohmann::json& state,
                  const SaveOptions& options = {});

  /// Saves any T with an nlohmann `to_json` as the state (see save() above).
  /// @throws ValidationError (code INVALID_STATE) when T cannot be converted.
  template <class T, std::enable_if_t<!std::is_same_v<std::decay_t<T>, nlohmann::json>, int> = 0>
  SaveResult save(const std::string& workflow_id, std::int64_t step, const T& state,
                  const SaveOptions& options = {}) {
    return save(workflow_id, step, to_state(state), options);
  }

  /// Reads one checkpoint by id (GET /checkpoints/:id).
  /// @throws NotFoundError no such checkpoint (or it expired).
  Checkpoint get(const std::string& checkpoint_id);

  /// The workflow's last written checkpoint (GET /workflows/:id/resume).
  /// @throws NotFoundError the workflow has no checkpoints.
  WorkflowResume resume(const std::string& workflow_id);

  /// The workflow's checkpoints in write order; an unknown workflow gives an empty list.
  WorkflowReplay replay(const std::string& workflow_id, const ReplayOptions& options = {});

  /// Registers an agent, or replaces its record when it exists (omitted fields are cleared).
  /// @throws ValidationError agent_id not matching ^[A-Za-z0-9_-]{1,255}$, or a 400.
  Agent register_agent(const std::string& agent_id, const std::string& name,
                       const AgentOptions& options = {});
  /// The account's agents, most recently seen first.
  std::vector<Agent> list_agents();
  /// @throws NotFoundError no such agent.
  Agent get_agent(const std::string& agent_id);
  /// Changes the fields set in `update`; the others are kept.
  /// @throws ValidationError no field set (status 0), or a 400.
  /// @throws NotFoundError no such agent.
  Agent update_agent(const std::string& agent_id, const AgentUpdate& update);
  /// @throws NotFoundError no such agent.
  void delete_agent(const std::string& agent_id);

  /// Registers a webhook for `events` (checkpoint.saved, workflow.resumed, workflow.expired).
  /// With a secret, deliveries carry X-Checkpoint-Signature (see verify_webhook_signature).
  Webhook register_webhook(const std::string& url, const std::vector<std::string>& events,
                           std::optional<std::string> secret = std::nullopt);
  /// @throws NotFoundError no such webhook.
  void delete_webhook(const std::string& webhook_id);

  /// GET /health; needs no key. A degraded server (503 with a health body) is returned as
  /// status "degraded", not thrown.
  Health health();

  /// Aborts calls in flight, fails queued async calls with CLIENT_CLOSED and releases every
  /// connection. Idempotent; the destructor calls it. Later calls throw SnapStateError with
  /// code CLIENT_CLOSED.
  void close();

  /// @name Asynchronous twins
  /// Each runs the blocking call on the client's bounded worker pool (ClientOptions::
  /// async_threads workers, started on first use); exceptions arrive through future::get().
  /// @{
  /// save() on the worker pool.
  std::future<SaveResult> async_save(const std::string& workflow_id, std::int64_t step,
                                     const nlohmann::json& state, const SaveOptions& options = {});
  /// async_save() for any T with an nlohmann `to_json`.
  template <class T, std::enable_if_t<!std::is_same_v<std::decay_t<T>, nlohmann::json>, int> = 0>
  std::future<SaveResult> async_save(const std::string& workflow_id, std::int64_t step,
                                     const T& state, const SaveOptions& options = {}) {
    return async_save(workflow_id, step, to_state(state), options);
  }
  /// get() on the worker pool.
  std::future<Checkpoint> async_get(const std::string& checkpoint_id);
  /// resume() on the worker pool.
  std::future<WorkflowResume> async_resume(const std::string& workflow_id);
  /// replay() on the worker pool.
  std::future<WorkflowReplay> async_replay(const std::string& workflow_id,
                                           const ReplayOptions& options = {});
  /// register_agent() on the worker pool.
  std::future<Agent> async_register_agent(const std::string& agent_id, const std::string& name,
                                          const AgentOptions& options = {});
  /// list_agents() on the worker pool.
  std::future<std::vector<Agent>> async_list_agents();
  /// get_agent() on the worker pool.
  std::future<Agent> async_get_agent(const std::string& agent_id);
  /// update_agent() on the worker pool.
  std::future<Agent> async_update_agent(const std::string& agent_id, const AgentUpdate& update);
  /// delete_agent() on the worker pool.
  std::future<void> async_delete_agent(const std::string& agent_id);
  /// register_webhook() on the worker pool.
  std::future<Webhook> async_register_webhook(const std::string& url,
                                              const std::vector<std::string>& events,
                                              std::optional<std::string> secret = std::nullopt);
  /// delete_webhook() on the worker pool.
  std::future<void> async_delete_webhook(const std::string& webhook_id);
  /// Closes on a separate thread; the future is ready once close() has returned.
  std::future<void> async_close();
  /// @}

 private:
  template <class T>
  static nlohmann::json to_state(const T& state) {
    try {
      return nlohmann::json(state);
    } catch (const nlohmann::json::exception& e) {
      throw ValidationError(std::string("state could not be converted to JSON: ") + e.what(), 0,
                            "INVALID_STATE");
    }
  }
  detail::ClientImpl& impl();

  std::shared_ptr<detail::ClientImpl> impl_;
};

/// Deprecated alias kept for parity with the seed SDKs.
using CheckpointClient [[deprecated("use SnapStateClient")]] = SnapStateClient;

}  // namespace snapstate
