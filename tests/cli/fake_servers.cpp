#include "fake_servers.hpp"

#include <chrono>
#include <stdexcept>

#include <httplib.h>

namespace snapstate_cli_test {
int SilentListener::connections() {
  int count = 0;
  while (socket_.accept_for(std::chrono::milliseconds(0))) ++count;
  return count;
}

CannedServer::CannedServer(int status, std::string content_type, std::string body,
                           std::string request_id)
    : server_(std::make_unique<httplib::Server>()) {
  auto handler = [status, content_type, body, request_id](const httplib::Request&,
                                                          httplib::Response& res) {
    res.status = status;
    res.set_header("x-request-id", request_id);
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
  return snapstate::net::listen_tcp("127.0.0.1", 0).port();  // closed again at once
}

}  // namespace snapstate_cli_test
