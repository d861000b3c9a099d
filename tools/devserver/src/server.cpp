#include "snapstate/devserver/server.hpp"

#include <cstdio>
#include <stdexcept>

#include "app.hpp"
#include "http_listener.hpp"

namespace snapstate::devserver {

struct Server::Impl {
  explicit Impl(ServerOptions o) : options(std::move(o)) {
    if (options.api_keys.empty()) options.api_keys.emplace_back(kDefaultApiKey);
  }
  ServerOptions options;
  std::unique_ptr<App> app;
  HttpListener listener;
  bool started = false;
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() {
  stop();
}

void Server::start() {
  if (impl_->started) throw std::runtime_error("snapstate-devserver: already started");
  impl_->app = std::make_unique<App>(impl_->options, open_storage(impl_->options.data_path));
  App* app = impl_->app.get();
  try {
    // Notices are warnings about clients, not request lines: --quiet does not silence them.
    impl_->listener.start(
        impl_->options.host, impl_->options.port, impl_->options.max_connections,
        [app](const RequestHead& head, BodyReader& body) { return app->handle(head, body); },
        [](const std::string& line) {
          std::fprintf(stderr, "snapstate-devserver: %s\n", line.c_str());
        });
  } catch (...) {
    impl_->app->stop();
    impl_->app.reset();
    throw;
  }
  impl_->started = true;
}

void Server::stop() {
  if (!impl_ || !impl_->app) return;
  impl_->listener.stop();
  impl_->app->stop();
}

int Server::port() const {
  return impl_->listener.port();
}

std::string Server::base_url() const {
  const std::string& host = impl_->options.host;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port());
}

const std::vector<std::string>& Server::api_keys() const {
  return impl_->options.api_keys;
}

}  // namespace snapstate::devserver
