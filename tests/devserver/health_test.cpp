// GET /health reports the server's own storage in the real server's shape [01, 66b].
#include <gtest/gtest.h>

#include <cstdio>

#include "devserver_test_support.hpp"

namespace dstest {
namespace {

const std::set<std::string> kVarying = {"uptime_seconds", "timestamp"};

class Health : public ::testing::TestWithParam<Storage> {};

TEST_P(Health, IsTheRealServersHealthyBody) {
  auto server = start_server({}, GetParam());
  const HttpResponse r = RawClient(server->port()).request("GET", "/health");
  EXPECT_EQ(200, r.status);
  expect_like(Json::parse(load_fixture("01-health").response_body), r.json(), kVarying, "01");
}

INSTANTIATE_TEST_SUITE_P(Storage, Health, both_storages());

// The data file deleted under a running server: what it stores now is lost at the next
// restart, and /health says so with the real server's 503 body.
TEST(HealthOfTheDataFile, IsDegradedOnceTheFileIsGone) {
  snapstate::devserver::ServerOptions o;
  o.data_path = fresh_data_path();
  auto server = start_server(o);
  ASSERT_EQ(200, RawClient(server->port()).request("GET", "/health").status);
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((o.data_path + suffix).c_str());
  const HttpResponse r = RawClient(server->port()).request("GET", "/health");
  EXPECT_EQ(503, r.status);
  const Fixture degraded = load_fixture("66b-redis-down-health");
  Json expected = Json::parse(degraded.response_body);
  expected["postgres"] = "disconnected";  // one file holds both stores
  expect_like(expected, r.json(), kVarying, "66b");
  std::vector<std::string> names;
  for (const auto& [name, value] : r.headers) names.push_back(name);
  std::vector<std::string> recorded;
  for (const auto& [name, value] : degraded.response_headers) recorded.push_back(name);
  EXPECT_EQ(recorded, names);
}

}  // namespace
}  // namespace dstest
