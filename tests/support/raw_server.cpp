#include "raw_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace snapstate::testing {

namespace {

constexpr int kIoTimeoutMs = 3000;  // a stuck client never hangs the test for long

// Reads what is available (waiting up to the timeout); false on EOF, error or timeout.
bool read_some(int fd, std::string& into) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, kIoTimeoutMs) <= 0) return false;
  char buffer[65536];
  const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
  if (n <= 0) return false;
  into.append(buffer, static_cast<std::size_t>(n));
  return true;
}

bool write_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

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

RawServer::RawServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("raw server: socket() failed");
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("raw server: cannot bind a loopback port");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { run(); });
}

RawServer::~RawServer() {
  stopping_.store(true);
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
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
  return "http://127.0.0.1:" + std::to_string(port_);
}

void RawServer::run() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
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
    serve(fd, action);
    if (action.reset) {
      const linger abort_on_close{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    }
    ::close(fd);  // with unread data in the socket this is a reset, as a busy server's would be
  }
}

void RawServer::serve(int fd, const RawAction& action) {
  std::string got;
  if (action.read != RawAction::Read::nothing) {
    std::size_t head_end = std::string::npos;
    while ((head_end = got.find("\r\n\r\n")) == std::string::npos) {
      if (!read_some(fd, got)) break;
    }
    if (head_end != std::string::npos) {
      const std::size_t body_start = head_end + 4;
      if (action.send_continue) write_all(fd, "HTTP/1.1 100 Continue\r\n\r\n");
      const std::size_t wanted = action.read == RawAction::Read::whole_request
                                     ? content_length(got.substr(0, body_start))
                                     : action.body_bytes_to_read;
      while (got.size() - body_start < wanted) {
        if (!read_some(fd, got)) break;
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
      if (stopping_.load() || !write_all(fd, std::string(1, byte))) break;
      std::this_thread::sleep_for(action.drip);
    }
  } else {
    write_all(fd, action.reply);
  }
  if (action.drain_after_reply) {
    ::shutdown(fd, SHUT_WR);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::string discarded;
    while (std::chrono::steady_clock::now() < give_up && read_some(fd, discarded)) {
      discarded.clear();
    }
  }
}

}  // namespace snapstate::testing
