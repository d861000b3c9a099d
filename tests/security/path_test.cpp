// Ids can never reach another route: every id is one encoded path segment on the wire.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "bodies.hpp"
#include "fixture.hpp"
#include "scripted_server.hpp"
#include "snapstate/snapstate.hpp"

namespace {

using snapstate::testing::fixture_response;
using snapstate::testing::ScriptedServer;

TEST(Paths, HostileWorkflowIdsStayOneSegment) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"..", "/workflows/%2E%2E/resume"},
      {".", "/workflows/%2E/resume"},
      {"../checkpoints", "/workflows/..%2Fcheckpoints/resume"},
      {"a/../../health", "/workflows/a%2F..%2F..%2Fhealth/resume"},
      {"x?limit=1#y", "/workflows/x%3Flimit%3D1%23y/resume"},
      {"100%", "/workflows/100%25/resume"},
      {"a b", "/workflows/a%20b/resume"},
      {"\xC3\xA9t\xC3\xA9", "/workflows/%C3%A9t%C3%A9/resume"},
      {"...", "/workflows/%2E%2E%2E/resume"},
      {"v1.2", "/workflows/v1.2/resume"},
  };
  ScriptedServer server;
  snapstate::ClientOptions options;
  options.api_key = "snp_path_test";
  options.base_url = server.base_url();
  snapstate::SnapStateClient client(options);
  for (const auto& [id, target] : cases) {
    server.enqueue_json(200, snapstate::testing::resume_body(id));
    const auto resumed = client.resume(id);
    EXPECT_EQ(server.requests().back().target, target) << id;
    EXPECT_EQ(resumed.workflow_id, id);
  }
  EXPECT_EQ(server.request_count(), cases.size());
}

TEST(Paths, CheckpointAndWebhookIdsAreEncodedToo) {
  ScriptedServer server;
  snapstate::ClientOptions options;
  options.api_key = "snp_path_test";
  options.base_url = server.base_url();
  snapstate::SnapStateClient client(options);
  auto checkpoint = nlohmann::json::parse(snapstate::testing::checkpoint_body("x", 1));
  checkpoint["checkpoint_id"] = "..";
  server.enqueue_json(200, checkpoint.dump());
  client.get("..");
  server.enqueue(fixture_response("53-webhooks-delete"));
  client.delete_webhook("../agents");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/checkpoints/%2E%2E");
  EXPECT_EQ(requests[1].target, "/webhooks/..%2Fagents");
}

}  // namespace
