// TCP plumbing for the servers this repository runs on loopback: the local dev server's
// listener, the raw test servers and the bench's canned server (and the clients that poke
// them). POSIX only.
//
// Every call retries when a signal interrupts it (EINTR), no call raises SIGPIPE, every socket
// made here is close-on-exec, and every connection has TCP_NODELAY: these servers write whole
// replies, or deliberately tiny pieces that must leave at once.
//
// Stopping: a thread waiting in ListenSocket::accept_for() returns when its Waker is woken; a
// thread blocked in recv_some() or send_all() on a connection returns when another thread calls
// shutdown_both() on that connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace snapstate::net {

/// A wait of no bound, for the `timeout` parameters below.
inline constexpr std::chrono::milliseconds kForever{-1};

/// An owned file descriptor, closed when destroyed. Movable, not copyable.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }
  /// Gives the descriptor up without closing it.
  int release() noexcept;
  /// Closes the descriptor (if any) now.
  void reset() noexcept;

 private:
  int fd_ = -1;
};

/// A stop signal that poll-based waits can watch: once wake() is called, accept_for() and any
/// poll over fd() return at once, now and every later time.
///
/// Thread Safety: wake() and woken() may be called from any thread; wake() is also
/// async-signal-safe.
class Waker {
 public:
  /// @throws std::system_error when no pipe can be made.
  Waker();
  void wake() noexcept;
  bool woken() const noexcept;
  /// Readable once woken, for callers' own poll sets.
  int fd() const noexcept { return read_.get(); }

 private:
  Fd read_;
  Fd write_;
};

/// A listening TCP socket, made by listen_tcp().
class ListenSocket {
 public:
  /// The bound port: the one the system chose when listen_tcp() was asked for port 0.
  int port() const noexcept { return port_; }

  /// Waits up to `timeout` (kForever: no bound; 0: only what is already pending) for a
  /// connection and accepts it. An empty Fd when the time is up, when `waker` is woken, or
  /// when the pending connection was lost before it was accepted: callers loop.
  Fd accept_for(std::chrono::milliseconds timeout, const Waker* waker = nullptr) const;

 private:
  friend ListenSocket listen_tcp(const std::string& host, int port);
  ListenSocket(Fd fd, int port) : fd_(std::move(fd)), port_(port) {}

  Fd fd_;
  int port_;
};

/// Binds `host` (an address such as "127.0.0.1" or "::1", or a name) at `port` (0: a free
/// one), with SO_REUSEADDR, and listens.
/// @throws std::runtime_error naming the address and the reason.
ListenSocket listen_tcp(const std::string& host, int port);

/// A connected TCP socket to `host`:`port`.
/// @throws std::runtime_error naming the address and the reason.
Fd connect_tcp(const std::string& host, int port);

/// What one recv_some() call got.
struct Received {
  enum class Status {
    data,      ///< `size` bytes (at least one) were read
    closed,    ///< the peer closed its side (FIN), or shutdown_both() ended this socket
    failed,    ///< the connection broke: a reset, or another socket error
    timed_out  ///< nothing arrived in time
  };
  Status status = Status::timed_out;
  std::size_t size = 0;

  /// True when bytes were read.
  explicit operator bool() const noexcept { return status == Status::data; }
};

/// Reads what one recv() gives, up to `capacity` (> 0) bytes into `buffer`, after waiting up
/// to `timeout` for anything to arrive (kForever: a plain blocking recv, no poll).
Received recv_some(int fd, char* buffer, std::size_t capacity, std::chrono::milliseconds timeout);

/// recv_some() appending what it read (up to 64 KiB) to `out`.
Received recv_some(int fd, std::string& out, std::chrono::milliseconds timeout);

/// Writes all of `data`, blocking while the peer does not read. False when the connection
/// broke or was shut down first.
bool send_all(int fd, std::string_view data);

/// Half-close: a FIN after what was sent; receiving goes on.
void shutdown_write(int fd) noexcept;

/// Ends both directions; a thread blocked on this socket in recv_some() or send_all() returns.
void shutdown_both(int fd) noexcept;

/// After a reply that ends the connection: half-closes, then reads and drops what the peer
/// still sends until it closes or `limit` has passed. Closing with unread bytes in the socket
/// would reset the connection, and the peer could lose the reply (this is what Node does after
/// a 413).
void drain(int fd, std::chrono::milliseconds limit);

/// Closes with a TCP reset (SO_LINGER 0) instead of an orderly FIN.
void close_with_reset(Fd fd) noexcept;

}  // namespace snapstate::net
