// End-to-end tests: the real client over real libcurl against the local SnapState server,
// started in-process on a free port.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "snapstate/devserver/server.hpp"
#include "snapstate/snapstate.hpp"

namespace snapstate::e2e {

class DevServerTest : public ::testing::Test {
 protected:
  // Tests that need other server settings override this before SetUp runs.
  virtual devserver::ServerOptions server_options() const {
    devserver::ServerOptions options;
    options.port = 0;
    options.rate_limit = 0;
    return options;
  }

  void SetUp() override {
    server_ = std::make_unique<devserver::Server>(server_options());
    server_->start();
  }

  ClientOptions client_options(std::string key = devserver::kDefaultApiKey) const {
    ClientOptions options;
    options.api_key = std::move(key);
    options.base_url = server_->base_url();
    options.max_retry_wait = std::chrono::milliseconds(50);
    return options;
  }

  SnapStateClient client() const { return SnapStateClient(client_options()); }

  // A workflow id no other test uses.
  static std::string unique_id(const std::string& prefix) {
    static int counter = 0;
    return prefix + "-" + std::to_string(++counter);
  }

  std::unique_ptr<devserver::Server> server_;
};

}  // namespace snapstate::e2e
