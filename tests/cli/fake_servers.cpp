#include "fake_servers.hpp"

#include <chrono>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

namespace snapstate_cli_test {
namespace {

// A TCP socket bound to 127.0.0.1 on a free port; returns the fd and sets `port`.
int bound_socket(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("bind failed");
  }
  port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

SilentListener::SilentListener() {
  fd_ = bound_socket(port_);
  if (::listen(fd_, 16) != 0) throw std::runtime_error("listen failed");
}

SilentListener::~SilentListener() {
  ::close(fd_);
}

int SilentListener::connections() {
  const int flags = ::fcntl(fd_, F_GETFL);
  ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  int count = 0;
  for (int client = ::accept(fd_, nullptr, nullptr); client >= 0;
       client = ::accept(fd_, nullptr, nullptr)) {
    ::close(client);
    ++count;
  }
  ::fcntl(fd_, F_SETFL, flags);
  return count;
}

CannedServer::CannedServer(int status, std::string content_type, std::string body)
    : server_(std::make_unique<httplib::Server>()) {
  auto handler = [status, content_type, body](const httplib::Request&, httplib::Response& res) {
    res.status = status;
    res.set_header("x-request-id", "req-canned-1");
    res.set_content(body, content_type.c_str());
  };
  const std::string any = ".*";
  server_->Get(any, handler);
  server_->Post(any, handler);
  server_->Patch(any, handler);
  server_->Delete(any, handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("CannedServer cannot bind");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

CannedServer::~CannedServer() {
  server_->stop();
  thread_.join();
}

int closed_port() {
  int port = 0;
  ::close(bound_socket(port));
  return port;
}

}  // namespace snapstate_cli_test
