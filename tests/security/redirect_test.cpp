// Redirects are never followed: the API key must not travel to whatever host a response names.
#include <gtest/gtest.h>

#include "scripted_server.hpp"
#include "snapstate/snapstate.hpp"

namespace {

using snapstate::testing::ScriptedResponse;
using snapstate::testing::ScriptedServer;

TEST(Redirects, AreNotFollowedAndTheKeyStaysHome) {
  ScriptedServer server;
  ScriptedServer elsewhere;
  ScriptedResponse redirect;
  redirect.status = 302;
  redirect.headers.emplace_back("Location", elsewhere.base_url() + "/health");
  redirect.headers.emplace_back("x-request-id", "req-redirect");
  server.enqueue(redirect);

  snapstate::ClientOptions options;
  options.api_key = "snp_secret_key_that_must_not_travel";
  options.base_url = server.base_url();
  snapstate::SnapStateClient client(options);
  try {
    client.health();
    FAIL() << "a 302 was treated as success";
  } catch (const snapstate::SnapStateError& e) {
    EXPECT_EQ(e.status_code(), 302);
    EXPECT_EQ(e.request_id(), "req-redirect");
    EXPECT_EQ(std::string(e.what()).find("snp_secret"), std::string::npos);
  }
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(elsewhere.request_count(), 0u);
}

}  // namespace
