#include "snapstate/net/socket.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace snapstate::net {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kBacklog = 128;

// poll() until something is ready or `timeout` has passed, resuming after a signal with the
// time that is left. poll's result: > 0 ready, 0 timed out, < 0 failed.
int poll_for(pollfd* fds, nfds_t count, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int wait_ms = -1;
    if (timeout >= milliseconds::zero()) {
      const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
      wait_ms = static_cast<int>(std::clamp<decltype(left)>(left, 0, INT_MAX));
    }
    const int ready = ::poll(fds, count, wait_ms);
    if (ready >= 0 || errno != EINTR) return ready;
  }
}

void set_nodelay(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

struct FreeAddrInfo {
  void operator()(addrinfo* list) const { ::freeaddrinfo(list); }
};
using AddrList = std::unique_ptr<addrinfo, FreeAddrInfo>;

std::string address(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

AddrList resolve(const std::string& host, int port, int flags) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (rc != 0) throw std::runtime_error("cannot resolve " + host + ": " + ::gai_strerror(rc));
  return AddrList(found);
}

int bound_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  return addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                                    : ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
}

// A connect() that a signal interrupts goes on by itself: wait for it and take its outcome.
bool connect_to(int fd, const addrinfo& ai) {
  if (::connect(fd, ai.ai_addr, ai.ai_addrlen) == 0) return true;
  if (errno != EINTR) return false;
  pollfd p{fd, POLLOUT, 0};
  if (poll_for(&p, 1, kForever) < 0) return false;
  int error = 0;
  socklen_t len = sizeof error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) return false;
  errno = error;
  return error == 0;
}

}  // namespace

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int Fd::release() noexcept {
  return std::exchange(fd_, -1);
}

// Never retried: Linux frees the descriptor even when close() reports EINTR.
void Fd::reset() noexcept {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

// Non-blocking, so that wakes past the pipe's capacity are dropped instead of blocking; the
// byte is never read, which keeps the pipe readable for every later wait.
Waker::Waker() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::system_error(errno, std::generic_category(), "cannot make a wake-up pipe");
  }
  read_ = Fd(fds[0]);
  write_ = Fd(fds[1]);
}

void Waker::wake() noexcept {
  const char byte = 1;
  while (::write(write_.get(), &byte, 1) < 0 && errno == EINTR) {
  }
}

bool Waker::woken() const noexcept {
  pollfd p{read_.get(), POLLIN, 0};
  return poll_for(&p, 1, milliseconds::zero()) > 0;
}

// The listening socket is non-blocking: a connection reset between poll() and accept() must
// not leave accept() waiting for the next one.
ListenSocket listen_tcp(const std::string& host, int port) {
  const AddrList found = resolve(host, port, AI_PASSIVE);
  std::string error = "no address";
  for (const addrinfo* ai = found.get(); ai != nullptr; ai = ai->ai_next) {
    Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol));
    if (fd) {
      const int one = 1;
      ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd.get(), kBacklog) == 0) {
        const int bound = bound_port(fd.get());
        return ListenSocket(std::move(fd), bound);
      }
    }
    error = std::strerror(errno);
  }
  throw std::runtime_error("cannot listen on " + address(host, port) + ": " + error);
}

Fd ListenSocket::accept_for(milliseconds timeout, const Waker* waker) const {
  pollfd fds[2] = {{fd_.get(), POLLIN, 0}, {waker != nullptr ? waker->fd() : -1, POLLIN, 0}};
  if (poll_for(fds, 2, timeout) <= 0 || (fds[1].revents & POLLIN) != 0) return Fd();
  for (;;) {
    Fd fd(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (fd) {
      set_nodelay(fd.get());
      return fd;
    }
    if (errno == EMFILE || errno == ENFILE) {
      // Out of descriptors: the connection stays pending and poll() would wake at once again.
      // A pause lets the ones being served close before the caller's loop comes back.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return Fd();
    }
    if (errno != EINTR) return Fd();
  }
}

Fd connect_tcp(const std::string& host, int port) {
  const AddrList found = resolve(host, port, 0);
  std::string error = "no address";
  for (const addrinfo* ai = found.get(); ai != nullptr; ai = ai->ai_next) {
    Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
    if (fd && connect_to(fd.get(), *ai)) {
      set_nodelay(fd.get());
      return fd;
    }
    error = std::strerror(errno);
  }
  throw std::runtime_error("cannot connect to " + address(host, port) + ": " + error);
}

Received recv_some(int fd, char* buffer, std::size_t capacity, milliseconds timeout) {
  if (timeout >= milliseconds::zero()) {
    pollfd p{fd, POLLIN, 0};
    const int ready = poll_for(&p, 1, timeout);
    if (ready == 0) return {Received::Status::timed_out, 0};
    if (ready < 0) return {Received::Status::failed, 0};
  }
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, capacity, 0);
    if (n > 0) return {Received::Status::data, static_cast<std::size_t>(n)};
    if (n == 0) return {Received::Status::closed, 0};
    if (errno != EINTR) return {Received::Status::failed, 0};
  }
}

Received recv_some(int fd, std::string& out, milliseconds timeout) {
  char chunk[65536];
  const Received got = recv_some(fd, chunk, sizeof chunk, timeout);
  out.append(chunk, got.size);
  return got;
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void shutdown_write(int fd) noexcept {
  ::shutdown(fd, SHUT_WR);
}

void shutdown_both(int fd) noexcept {
  ::shutdown(fd, SHUT_RDWR);
}

void drain(int fd, milliseconds limit) {
  shutdown_write(fd);
  const auto deadline = Clock::now() + limit;
  char discarded[65536];
  for (auto left = limit; left > milliseconds::zero();
       left = std::chrono::ceil<milliseconds>(deadline - Clock::now())) {
    if (!recv_some(fd, discarded, sizeof discarded, left)) return;
  }
}

void close_with_reset(Fd fd) noexcept {
  const linger abort_on_close{1, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  fd.reset();
}

}  // namespace snapstate::net
