#include "canned_server.hpp"

#include <sys/resource.h>
#include <sys/socket.h>

#include <cerrno>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "payloads.hpp"

namespace bench {

namespace net = snapstate::net;

namespace {

// What the server answers when a request carries no Request-Id.
constexpr std::string_view kServerRequestId = "e515ec7a-0818-4a9a-b2f6-eab2629395c9";

// A precomputed response, split where the x-request-id line goes: the real server echoes an
// incoming Request-Id header there, and so does this one.
struct CannedResponse {
  std::string head;  // status line and the headers before x-request-id
  std::string rest;  // the headers after it, the blank line and the body
};

CannedResponse http_response(int status, const char* reason, const std::string& body) {
  return {"HTTP/1.1 " + std::to_string(status) + " " + reason +
              "\r\ncontent-type: application/json; charset=utf-8\r\n",
          "content-length: " + std::to_string(body.size()) +
              "\r\nDate: Mon, 30 Nov 2026 04:30:41 GMT\r\nConnection: keep-alive\r\n"
              "Keep-Alive: timeout=72\r\n\r\n" +
              body};
}

// Sends `response` with `request_id` (the server's own when empty) as x-request-id. The head
// goes with MSG_MORE, so a small response still leaves in one segment.
bool send_response(int fd, const CannedResponse& response, std::string_view request_id,
                   std::string& head) {
  head.assign(response.head);
  head += "x-request-id: ";
  head += request_id.empty() ? kServerRequestId : request_id;
  head += "\r\n";
  std::string_view left = head;
  while (!left.empty()) {
    const ssize_t n = ::send(fd, left.data(), left.size(), MSG_MORE | MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    left.remove_prefix(static_cast<std::size_t>(n));
  }
  return net::send_all(fd, response.rest);
}

std::uint64_t process_cpu_us() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto us = [](const timeval& t) {
    return static_cast<std::uint64_t>(t.tv_sec) * 1000000u + static_cast<std::uint64_t>(t.tv_usec);
  };
  return us(usage.ru_utime) + us(usage.ru_stime);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

struct Request {
  std::string_view method, path;
  std::string_view request_id;  // the Request-Id header, echoed as x-request-id
  std::size_t content_length = 0;
  bool expect_continue = false;
};

// Parses the request line and headers in [0, header_end).
bool parse_head(std::string_view head, Request& out) {
  const auto line_end = head.find("\r\n");
  const auto line = head.substr(0, line_end);
  const auto sp1 = line.find(' ');
  const auto sp2 = line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) return false;
  out.method = line.substr(0, sp1);
  out.path = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    if (end == std::string_view::npos) end = head.size();
    const auto header = head.substr(pos, end - pos);
    const auto colon = header.find(':');
    if (colon != std::string_view::npos) {
      const auto name = header.substr(0, colon);
      auto value = header.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (iequals(name, "content-length")) {
        out.content_length = std::stoull(std::string(value));
      } else if (iequals(name, "expect")) {
        out.expect_continue = true;
      } else if (iequals(name, "request-id")) {
        out.request_id = value;
      }
    }
    pos = end + 2;
  }
  return true;
}

}  // namespace

struct CannedServer::Routes {
  std::unordered_map<std::string, CannedResponse> get;  // path -> response
  // The bodies a save may carry, each with the answer about its own workflow and step.
  std::vector<std::pair<const std::string*, CannedResponse>> saves;
  CannedResponse not_found =
      http_response(404, "Not Found", R"({"error":{"code":"NOT_FOUND","message":"no route"}})");
  CannedResponse bad_save = http_response(
      400, "Bad Request", R"({"error":{"code":"BAD_REQUEST","message":"unexpected body"}})");
};

CannedServer::CannedServer() : routes_(std::make_unique<Routes>()) {
  auto& r = *routes_;
  for (const Size size : {Size::small, Size::keys, Size::flat, Size::history}) {
    const auto& resume = resume_case(size);
    r.get["/workflows/" + resume.workflow_id + "/resume"] = http_response(200, "OK", resume.body);
  }
  for (const Size size : {Size::small, Size::keys, Size::history}) {
    const auto& save = save_case(size);
    r.saves.emplace_back(&save.body, http_response(201, "Created", save.response));
  }
  r.get[std::string("/workflows/") + kReplayWorkflow + "/replay"] =
      http_response(200, "OK", replay_body());
}

CannedServer::~CannedServer() {
  stop();
}

int CannedServer::start(int port) {
  socket_ = net::listen_tcp("127.0.0.1", port);
  acceptor_ = std::thread([this] { accept_loop(); });
  return socket_->port();
}

void CannedServer::stop() {
  if (stopping_.exchange(true)) return;
  stop_.wake();
  if (acceptor_.joinable()) acceptor_.join();
  std::unique_lock<std::mutex> lock(mutex_);
  for (const int fd : fds_) net::shutdown_both(fd);
  idle_.wait(lock, [this] { return fds_.empty(); });  // no new workers once the acceptor is gone
  socket_.reset();
}

ServerStats CannedServer::stats() const {
  return ServerStats{accepts_.load(), requests_.load(), bad_.load(), process_cpu_us()};
}

void CannedServer::accept_loop() {
  while (!stop_.woken()) {
    net::Fd fd = socket_->accept_for(net::kForever, &stop_);
    if (!fd) continue;
    accepts_.fetch_add(1);
    std::lock_guard<std::mutex> lock(mutex_);
    fds_.push_back(fd.get());
    std::thread([this, fd = std::move(fd)]() mutable {
      serve(fd.get());
      std::lock_guard<std::mutex> done(mutex_);
      fds_.erase(std::find(fds_.begin(), fds_.end(), fd.get()));
      fd.reset();
      idle_.notify_all();
    }).detach();
  }
}

void CannedServer::serve(int fd) {
  const auto& r = *routes_;
  std::string buffer;
  std::string head;       // the head of the response being sent
  std::string echoed;     // the request's Request-Id, kept while the body is read
  std::size_t used = 0;   // bytes of `buffer` holding received data
  std::size_t start = 0;  // where the next request begins
  bool first = true;
  // One recv into the room after `used`; the callers make that room.
  const auto receive = [&]() -> bool {
    const auto got = net::recv_some(fd, &buffer[used], buffer.size() - used, net::kForever);
    used += got.size;
    return static_cast<bool>(got);
  };
  for (;;) {
    std::string_view data(buffer.data() + start, used - start);
    const auto head_end = data.find("\r\n\r\n");
    if (head_end == std::string_view::npos) {
      if (start > 0) {  // keep the partial head at the front
        std::memmove(&buffer[0], buffer.data() + start, used - start);
        used -= start;
        start = 0;
      }
      if (buffer.size() - used < 64 * 1024)
        buffer.resize(std::max<std::size_t>(used * 2, used + 256 * 1024));
      if (!receive()) return;
      continue;
    }
    Request request;
    if (!parse_head(data.substr(0, head_end + 2), request)) {
      bad_.fetch_add(1);
      return;
    }
    if (request.path == "/__stats") {
      if (first) accepts_.fetch_sub(1);
      const auto s = stats();
      const std::string body = nlohmann::json{
          {"accepts", s.accepts},
          {"requests", s.requests},
          {"bad", s.bad},
          {"cpu_us", s.cpu_us}}.dump();
      send_response(fd, http_response(200, "OK", body), {}, head);
      net::shutdown_write(fd);
      return;
    }
    first = false;
    echoed.assign(request.request_id);
    // Routed before the body is read: growing the buffer invalidates the head's views.
    const bool save = request.method == "POST" && request.path == "/checkpoints";
    const CannedResponse* response = &r.not_found;
    if (request.method == "GET") {
      const auto it = r.get.find(std::string(request.path));
      if (it != r.get.end()) response = &it->second;
    }
    if (!save && response == &r.not_found) {
      std::fprintf(stderr, "canned server: no route for %.*s %.*s\n",
                   static_cast<int>(request.method.size()), request.method.data(),
                   static_cast<int>(request.path.size()), request.path.data());
    }
    const std::size_t body_begin = start + head_end + 4;
    const std::size_t needed = body_begin + request.content_length;
    if (needed > used && request.expect_continue) {
      static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      if (!net::send_all(fd, kContinue)) return;
    }
    if (buffer.size() < needed) buffer.resize(needed + 64 * 1024);
    while (used < needed) {
      if (!receive()) return;
    }
    if (save) {
      const std::string_view body(buffer.data() + body_begin, request.content_length);
      response = &r.bad_save;
      for (const auto& [expected, answer] : r.saves) {
        if (body == *expected) response = &answer;
      }
      if (response == &r.bad_save) {
        std::fprintf(stderr, "canned server: unexpected save body (%zu bytes)\n", body.size());
      }
    }
    if (response == &r.not_found || response == &r.bad_save) bad_.fetch_add(1);
    requests_.fetch_add(1);
    if (!send_response(fd, *response, echoed, head)) return;
    start = needed;
    if (start == used) start = used = 0;
  }
}

ServerStats fetch_stats(int port) {
  const net::Fd fd = net::connect_tcp("127.0.0.1", port);
  net::send_all(fd.get(), "GET /__stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  std::string reply;
  while (net::recv_some(fd.get(), reply, net::kForever)) continue;  // until the server closes
  const auto body = reply.find("\r\n\r\n");
  if (body == std::string::npos) throw std::runtime_error("bad /__stats reply");
  const auto doc = nlohmann::json::parse(reply.substr(body + 4));
  return ServerStats{doc.at("accepts").get<std::uint64_t>(),
                     doc.at("requests").get<std::uint64_t>(), doc.at("bad").get<std::uint64_t>(),
                     doc.at("cpu_us").get<std::uint64_t>()};
}

}  // namespace bench
