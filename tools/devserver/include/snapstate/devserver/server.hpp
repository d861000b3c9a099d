// The local SnapState dev server: a re-implementation of the real server's wire protocol
// (quirks included), in memory or on a SQLite file, for tests and for trying the client by hand.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snapstate::devserver {

/// The API key the server accepts when ServerOptions::api_keys is empty.
inline constexpr const char* kDefaultApiKey = "snp_devserver00000000000000000000000";

/// The version of the real server whose protocol this one speaks (GET /health "version").
inline constexpr const char* kProtocolVersion = "3.0.0";

/// How a Server listens and behaves. A plain aggregate: every field has a default.
struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 3000;                    ///< 0 picks a free port; see Server::port()
  std::vector<std::string> api_keys;  ///< each key is its own account; empty = {kDefaultApiKey}
  std::size_t rate_limit = 100;       ///< requests per window per key; 0 turns the limit off
  std::chrono::milliseconds rate_window{60000};
  std::int64_t default_ttl_seconds = 604800;  ///< used when X-Checkpoint-TTL is absent or not > 0
  bool quiet = true;  ///< false: one log line per request on stderr (never the key)
  /// Empty: everything in memory, gone when the server stops. Else the SQLite file that holds
  /// everything (created when missing); several servers may share one file.
  std::string data_path;
  /// Connections served at once; one more is answered 503 at once and closed.
  std::size_t max_connections = 256;
};

/// An in-process SnapState server.
///
/// Thread Safety: start(), stop() and the accessors may be called from any thread; requests
/// are served concurrently on background threads.
///
/// Error Handling: start() throws std::runtime_error when it cannot bind or listen, or when
/// ServerOptions::data_path names a file it cannot use (not SQLite, another schema, no access).
///
/// @code
///   snapstate::devserver::Server server({});   // defaults, but port 3000
///   snapstate::devserver::ServerOptions o; o.port = 0;
///   snapstate::devserver::Server s(o); s.start();  // s.base_url() == "http://127.0.0.1:<port>"
/// @endcode
class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  ///< stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and serves on background threads; returns once connections are accepted.
  /// @throws std::runtime_error if the address cannot be bound or the server was started before.
  void start();
  /// Stops accepting, closes open connections and joins every thread. Idempotent.
  void stop();
  /// The bound port (the real one when ServerOptions::port was 0); 0 before start().
  int port() const;
  /// "http://HOST:PORT" (an IPv6 host is bracketed).
  std::string base_url() const;
  /// The API keys this server accepts (kDefaultApiKey when none were configured).
  const std::vector<std::string>& api_keys() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace snapstate::devserver
