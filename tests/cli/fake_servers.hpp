// Stand-ins for servers the dev server cannot imitate: one that never answers, one that
// answers every request with a canned response, and a port nobody listens on.
#pragma once

#include <string>

#include "http_thread.hpp"
#include "snapstate/net/socket.hpp"

namespace snapstate_cli_test {

/// Listens on 127.0.0.1:<port> and never accepts: connections complete in the backlog and
/// get no answer. connections() tells whether anything connected at all.
class SilentListener {
 public:
  int port() const { return socket_.port(); }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  /// Accepts (and closes) whatever is pending; returns how many connections there were.
  int connections();

 private:
  snapstate::net::ListenSocket socket_ = snapstate::net::listen_tcp("127.0.0.1", 0);
};

/// Answers every request with `status`, `content_type`, `body` and an x-request-id.
class CannedServer {
 public:
  CannedServer(int status, std::string content_type, std::string body,
               std::string request_id = "req-canned-1");
  std::string base_url() const { return server_.url(); }

 private:
  snapstate::testing::HttpThread server_;
};

/// A port that was free a moment ago and has no listener: connecting is refused.
int closed_port();

}  // namespace snapstate_cli_test
