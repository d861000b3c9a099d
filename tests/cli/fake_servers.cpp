#include "fake_servers.hpp"

#include <chrono>

#include <httplib.h>

namespace snapstate_cli_test {
int SilentListener::connections() {
  int count = 0;
  while (socket_.accept_for(std::chrono::milliseconds(0))) ++count;
  return count;
}

CannedServer::CannedServer(int status, std::string content_type, std::string body,
                           std::string request_id)
    : server_([&](httplib::Server& server) {
        auto handler = [status, content_type, body, request_id](const httplib::Request&,
                                                                httplib::Response& res) {
          res.status = status;
          res.set_header("x-request-id", request_id);
          res.set_content(body, content_type.c_str());
        };
        const std::string any = ".*";
        server.Get(any, handler);
        server.Post(any, handler);
        server.Patch(any, handler);
        server.Delete(any, handler);
      }) {}

int closed_port() {
  return snapstate::net::listen_tcp("127.0.0.1", 0).port();  // closed again at once
}

}  // namespace snapstate_cli_test
