// A loopback HTTP server for tests: answers queued responses in order and records every
// request exactly as it arrived (raw target, headers, body). Binds to port 0.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace snapstate::testing {

struct ScriptedResponse {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"x-request-id", "..."}
  std::string content_type = "application/json; charset=utf-8";
  std::chrono::milliseconds delay{0};  // before answering; cut short when the server stops
};

struct RecordedRequest {
  std::string method;
  std::string target;  // raw request-target: percent-encoding untouched, query included
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  bool has_header(const std::string& lower_name) const;
  std::string header(const std::string& lower_name) const;  // "" when absent
};

// A response in the shape of the real server's: JSON with an x-request-id.
ScriptedResponse json_response(int status, std::string body, std::string request_id = "req-1");

// Answers a request when the script is empty. Called concurrently: it must be thread-safe.
using Responder = std::function<ScriptedResponse(const RecordedRequest&)>;

class ScriptedServer {
 public:
  ScriptedServer();
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  void enqueue(ScriptedResponse response);
  void enqueue_json(int status, std::string body, std::string request_id = "req-1");
  // Answers every request the queue does not (instead of the default 500).
  void set_responder(Responder responder);
  std::vector<RecordedRequest> requests() const;
  std::size_t request_count() const;
  std::string base_url() const;
  int port() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace snapstate::testing
