#include "raw_server.hpp"

#include <algorithm>
#include <cctype>

namespace snapstate::testing {

namespace {

constexpr std::chrono::milliseconds kIoTimeout{3000};  // a stuck client never hangs the test

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::size_t content_length(const std::string& head) {
  const std::string h = lower(head);
  const auto at = h.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return static_cast<std::size_t>(std::stoull(h.substr(at + 17)));
}

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 413: return "Payload Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

}  // namespace

std::string raw_http_response(int status, const std::string& body,
                              const std::vector<std::string>& extra_headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  out += "content-type: application/json; charset=utf-8\r\n";
  out += "content-length: " + std::to_string(body.size()) + "\r\n";
  out += "connection: close\r\n";
  for (const auto& line : extra_headers) out += line + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

RawServer::RawServer() : socket_(net::listen_tcp("127.0.0.1", 0)) {
  thread_ = std::thread([this] { run(); });
}

RawServer::~RawServer() {
  stop_.wake();
  if (thread_.joinable()) thread_.join();
}

void RawServer::enqueue(RawAction action) {
  std::lock_guard<std::mutex> lock(mutex_);
  actions_.push_back(std::move(action));
}

std::size_t RawServer::connection_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_.size();
}

std::vector<std::string> RawServer::received() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

std::string RawServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(socket_.port());
}

void RawServer::run() {
  while (!stop_.woken()) {
    net::Fd fd = socket_.accept_for(net::kForever, &stop_);
    if (!fd) continue;
    RawAction action;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (actions_.empty()) {
        action.reply = raw_http_response(500, R"({"error":"no scripted action left"})");
      } else {
        action = std::move(actions_.front());
        actions_.pop_front();
      }
      received_.emplace_back();
    }
    serve(fd.get(), action);
    // Otherwise `fd` closes at the end of this pass: with unread data in the socket that is a
    // reset too, as a busy server's would be.
    if (action.reset) net::close_with_reset(std::move(fd));
  }
}

void RawServer::serve(int fd, const RawAction& action) {
  std::string got;
  if (action.read != RawAction::Read::nothing) {
    std::size_t head_end = std::string::npos;
    while ((head_end = got.find("\r\n\r\n")) == std::string::npos) {
      if (!net::recv_some(fd, got, kIoTimeout)) break;
    }
    if (head_end != std::string::npos) {
      const std::size_t body_start = head_end + 4;
      if (action.send_continue) net::send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n");
      const std::size_t wanted = action.read == RawAction::Read::whole_request
                                     ? content_length(got.substr(0, body_start))
                                     : action.body_bytes_to_read;
      while (got.size() - body_start < wanted) {
        if (!net::recv_some(fd, got, kIoTimeout)) break;
      }
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    received_.back() = got;
  }
  if (action.delay.count() > 0) std::this_thread::sleep_for(action.delay);
  if (action.drip.count() > 0) {
    for (const char byte : action.reply) {
      if (stop_.woken() || !net::send_all(fd, std::string_view(&byte, 1))) break;
      std::this_thread::sleep_for(action.drip);
    }
  } else {
    net::send_all(fd, action.reply);
  }
  if (action.drain_after_reply) net::drain(fd, std::chrono::seconds(5));
}

}  // namespace snapstate::testing
