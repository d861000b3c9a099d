#include "scripted_server.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <stdexcept>

namespace snapstate::testing {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

bool RecordedRequest::has_header(const std::string& lower_name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return h.first == lower_name; });
}

std::string RecordedRequest::header(const std::string& lower_name) const {
  for (const auto& h : headers) {
    if (h.first == lower_name) return h.second;
  }
  return {};
}

ScriptedResponse json_response(int status, std::string body, std::string request_id) {
  ScriptedResponse response;
  response.status = status;
  response.body = std::move(body);
  if (!request_id.empty()) response.headers.emplace_back("x-request-id", std::move(request_id));
  return response;
}

struct ScriptedServer::State {
  httplib::Server server;
  int port = 0;
  mutable std::mutex mutex;
  std::condition_variable stop_cv;
  bool stopping = false;
  std::deque<ScriptedResponse> script;
  std::shared_ptr<const Responder> responder;
  std::vector<RecordedRequest> requests;
};

ScriptedServer::ScriptedServer() : state_(std::make_shared<State>()) {
  auto state = state_;
  // A raw pointer: the handler is stored in state->server, so a shared_ptr here would be a
  // reference cycle (a leak under LeakSanitizer). The server is stopped and joined in the
  // destructor before the state goes away.
  State* const raw_state = state.get();
  const auto handler = [state = raw_state](const httplib::Request& req, httplib::Response& res) {
    RecordedRequest recorded;
    recorded.method = req.method;
    recorded.target = req.target;
    for (const auto& [name, value] : req.headers) {
      // httplib adds these itself; they were not on the wire.
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
          name == "LOCAL_PORT") {
        continue;
      }
      recorded.headers.emplace_back(lower(name), value);
    }
    recorded.body = req.body;
    ScriptedResponse scripted;
    std::shared_ptr<const Responder> responder;
    {
      std::lock_guard<std::mutex> lock(state->mutex);
      state->requests.push_back(recorded);
      if (!state->script.empty()) {
        scripted = std::move(state->script.front());
        state->script.pop_front();
      } else if (state->responder) {
        responder = state->responder;
      } else {
        scripted = json_response(500, R"({"error":"no scripted response left"})");
      }
    }
    if (responder) scripted = (*responder)(recorded);
    if (scripted.delay.count() > 0) {
      std::unique_lock<std::mutex> lock(state->mutex);
      state->stop_cv.wait_for(lock, scripted.delay, [&] { return state->stopping; });
    }
    res.status = scripted.status;
    for (const auto& [name, value] : scripted.headers) res.set_header(name, value);
    if (!scripted.body.empty() || scripted.status != 204) {
      res.set_content(scripted.body, scripted.content_type.c_str());
    }
  };
  state->server.set_tcp_nodelay(true);  // no Nagle delay between the header and body writes
  const std::string any = ".*";
  state->server.Get(any, handler);
  state->server.Post(any, handler);
  state->server.Patch(any, handler);
  state->server.Delete(any, handler);
  state->server.Put(any, handler);
  state->port = state->server.bind_to_any_port("127.0.0.1");
  if (state->port <= 0) throw std::runtime_error("scripted server: cannot bind a loopback port");
  thread_ = std::thread([state] { state->server.listen_after_bind(); });
  while (!state->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

ScriptedServer::~ScriptedServer() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stopping = true;
  }
  state_->stop_cv.notify_all();
  state_->server.stop();
  if (thread_.joinable()) thread_.join();
}

void ScriptedServer::enqueue(ScriptedResponse response) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->script.push_back(std::move(response));
}

void ScriptedServer::enqueue_json(int status, std::string body, std::string request_id) {
  enqueue(json_response(status, std::move(body), std::move(request_id)));
}

void ScriptedServer::set_responder(Responder responder) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->responder = std::make_shared<const Responder>(std::move(responder));
}

std::vector<RecordedRequest> ScriptedServer::requests() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->requests;
}

std::size_t ScriptedServer::request_count() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->requests.size();
}

std::string ScriptedServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(state_->port);
}

int ScriptedServer::port() const {
  return state_->port;
}

}  // namespace snapstate::testing
