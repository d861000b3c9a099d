// Workflows end to end: the quick start, a crash and resume in another process, handoffs,
// optimistic concurrency, TTL expiry, awkward ids.
#include <gmock/gmock.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "e2e_support.hpp"
#include "json_depth.hpp"

namespace snapstate::e2e {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

TEST_F(DevServerTest, QuickStartSavesResumesAndReplays) {
  auto c = client();
  const auto wf = unique_id("quickstart");
  SaveOptions first;
  first.label = "research_complete";
  const auto saved = c.save(wf, 1, {{"topic", "storms"}, {"sources", {"a", "b"}}}, first);
  EXPECT_EQ(saved.checkpoint_id, "cp_" + wf + "_001");
  EXPECT_EQ(saved.etag.front(), '"');
  // nlohmann::json keeps keys sorted, so the server saw "sources" before "topic".
  EXPECT_THAT(saved.diff_from_previous.added, ElementsAre("sources[0]", "sources[1]", "topic"));
  const auto second = c.save(wf, 2, {{"topic", "storms"}, {"draft", "..."}});
  EXPECT_THAT(second.diff_from_previous.added, ElementsAre("draft"));
  EXPECT_THAT(second.diff_from_previous.removed, ElementsAre("sources[0]", "sources[1]"));

  const auto resumed = c.resume(wf);
  EXPECT_EQ(resumed.workflow_id, wf);
  EXPECT_EQ(resumed.latest_checkpoint.workflow_id, wf);  // filled in by the client
  EXPECT_EQ(resumed.latest_checkpoint.step, 2);
  EXPECT_EQ(resumed.latest_checkpoint.state["draft"], "...");
  EXPECT_EQ(resumed.total_checkpoints, 2);

  const auto history = c.replay(wf);
  ASSERT_EQ(history.checkpoints.size(), 2u);
  EXPECT_EQ(history.checkpoints[0].label, "research_complete");
  EXPECT_FALSE(history.checkpoints[1].label.has_value());
  EXPECT_FALSE(history.has_more);

  const auto fetched = c.get(saved.checkpoint_id);
  EXPECT_EQ(fetched.etag, saved.etag);
  EXPECT_EQ(fetched.size_bytes, saved.size_bytes);
  EXPECT_EQ(fetched.state, (json{{"topic", "storms"}, {"sources", {"a", "b"}}}));
}

TEST_F(DevServerTest, ACrashedProcessIsResumedAtItsLastStep) {
  const auto wf = unique_id("crash");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The agent: three steps saved, then killed without any clean-up.
    SnapStateClient agent(client_options());
    for (std::int64_t step = 1; step <= 3; ++step) agent.save(wf, step, {{"done", step}});
    std::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  auto c = client();
  const auto resumed = c.resume(wf);
  EXPECT_EQ(resumed.latest_checkpoint.step, 3);
  EXPECT_EQ(resumed.latest_checkpoint.state["done"], 3);
  c.save(wf, resumed.latest_checkpoint.step + 1, {{"done", 4}});
  EXPECT_EQ(c.replay(wf).checkpoints.size(), 4u);
}

TEST_F(DevServerTest, TwoAgentsHandAWorkflowOver) {
  auto c = client();
  c.register_agent("researcher", "Research agent");
  c.register_agent("writer", "Writing agent");
  const auto wf = unique_id("handoff");
  SaveOptions by_researcher;
  by_researcher.agent_id = "researcher";
  c.save(wf, 1, {{"sources", {"a"}}}, by_researcher);
  const auto picked_up = c.resume(wf);
  EXPECT_EQ(picked_up.latest_checkpoint.agent_id, "researcher");
  SaveOptions by_writer;
  by_writer.agent_id = "writer";
  c.save(wf, 2, {{"sources", {"a"}}, {"draft", "x"}}, by_writer);
  const auto history = c.replay(wf);
  ASSERT_EQ(history.checkpoints.size(), 2u);
  EXPECT_EQ(history.checkpoints[0].agent_id, "researcher");
  EXPECT_EQ(history.checkpoints[1].agent_id, "writer");
  EXPECT_EQ(history.checkpoints[1].metadata["agent_id"], "writer");
}

TEST_F(DevServerTest, SavingAStepTwiceConflictsAndIfMatchReturnsTheStoredRecord) {
  auto c = client();
  const auto wf = unique_id("occ");
  const auto original = c.save(wf, 1, {{"v", 1}});
  try {
    c.save(wf, 1, {{"v", 2}});
    FAIL() << "a second save of the same step succeeded";
  } catch (const ConflictError& e) {
    EXPECT_EQ(e.status_code(), 409);
    EXPECT_EQ(e.existing_checkpoint_id(), original.checkpoint_id);
    EXPECT_EQ(e.existing_etag(), original.etag);
    EXPECT_FALSE(e.request_id().empty());
  }
  SaveOptions retry;
  retry.if_match = original.etag;
  const auto again = c.save(wf, 1, {{"v", 2}}, retry);
  EXPECT_EQ(again.created_at, original.created_at);  // the stored record, body ignored
  EXPECT_EQ(c.get(original.checkpoint_id).state, (json{{"v", 1}}));
  SaveOptions wrong;
  wrong.if_match = "\"0000000000000000\"";
  try {
    c.save(wf, 1, {{"v", 3}}, wrong);
    FAIL() << "a wrong If-Match succeeded";
  } catch (const ConflictError& e) {
    EXPECT_FALSE(e.existing_etag().has_value());
  }
}

TEST_F(DevServerTest, ExpiredCheckpointsAreGone) {
  auto c = client();
  const auto wf = unique_id("ttl");
  SaveOptions short_lived;
  short_lived.ttl_seconds = 1;
  const auto saved = c.save(wf, 1, {{"a", 1}}, short_lived);
  EXPECT_EQ(c.get(saved.checkpoint_id).step, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_THROW(c.get(saved.checkpoint_id), NotFoundError);
  EXPECT_THROW(c.resume(wf), NotFoundError);
  EXPECT_TRUE(c.replay(wf).checkpoints.empty());
}

TEST_F(DevServerTest, AwkwardIdsRoundTrip) {
  auto c = client();
  for (const std::string wf : {"a/b c%\xC3\xA9", "x?y#z", "..", "100%", "emoji \xF0\x9F\x98\x80"}) {
    const auto saved = c.save(wf, 1, {{"id", wf}});
    EXPECT_EQ(saved.workflow_id, wf);
    EXPECT_EQ(c.get(saved.checkpoint_id).state["id"], wf) << wf;
    EXPECT_EQ(c.resume(wf).workflow_id, wf);
    EXPECT_EQ(c.replay(wf).checkpoints.size(), 1u) << wf;
  }
}

TEST_F(DevServerTest, TheDeepestStateTheClientSendsReadsBackFromEveryCall) {
  auto c = client();
  // An object holding arrays nested to the limit, the object itself counted.
  const auto nested = [](std::size_t depth) {
    json deep = json::array();
    for (std::size_t i = 2; i < depth; ++i) deep = json::array({std::move(deep)});
    return json{{"deep", std::move(deep)}};
  };
  const json state = nested(detail::kMaxJsonDepth);
  const auto wf = unique_id("deep");
  const auto saved = c.save(wf, 1, state);
  EXPECT_EQ(c.get(saved.checkpoint_id).state, state);
  EXPECT_EQ(c.resume(wf).latest_checkpoint.state, state);
  EXPECT_EQ(c.replay(wf).checkpoints.at(0).state, state);
  EXPECT_THROW(c.save(wf, 2, nested(detail::kMaxJsonDepth + 1)), ValidationError);
}

// The server reads a step as a JavaScript number: the largest it holds exactly is the last one
// the client sends.
TEST_F(DevServerTest, TheLargestExactStepIsStoredAsSent) {
  auto c = client();
  const auto wf = unique_id("bigstep");
  const std::int64_t step = 9007199254740991;
  const auto saved = c.save(wf, step, json::object());
  EXPECT_EQ(saved.step, step);
  EXPECT_EQ(saved.checkpoint_id, "cp_" + wf + "_9007199254740991");
  EXPECT_EQ(c.get(saved.checkpoint_id).step, step);
  EXPECT_THROW(c.save(wf, step + 1, json::object()), ValidationError);
}

TEST_F(DevServerTest, UnknownThingsAreNotFound) {
  auto c = client();
  EXPECT_THROW(c.get("cp_nothing_001"), NotFoundError);
  EXPECT_THROW(c.resume(unique_id("nothing")), NotFoundError);
  EXPECT_TRUE(c.replay(unique_id("nothing")).checkpoints.empty());
}

TEST_F(DevServerTest, BodiesUpToOneMebibyteGoThroughAndTheServerRefusesLargerOnes) {
  auto c = client();
  // The envelope of this save is 40 bytes: the state takes the rest of the 1 MiB.
  const auto wf = unique_id("big");
  const std::string envelope = R"({"workflow_id":"","step":1,"state":{"blob":""}})";
  const std::size_t fill = 1048576 - envelope.size() - wf.size();
  const auto saved = c.save(wf, 1, {{"blob", std::string(fill, 'x')}});
  EXPECT_EQ(saved.size_bytes, static_cast<std::int64_t>(fill + 11));
  EXPECT_EQ(c.get(saved.checkpoint_id).state["blob"].get_ref<const std::string&>().size(), fill);

  // One byte more: the state still fits, the body does not; the server's 413 is the answer.
  try {
    c.save(wf, 2, {{"blob", std::string(fill + 1, 'x')}});
    FAIL() << "an oversized body was stored";
  } catch (const PayloadTooLargeError& e) {
    EXPECT_EQ(e.status_code(), 413);
    EXPECT_EQ(e.code(), "FST_ERR_CTP_BODY_TOO_LARGE");
  }
  // A state over 1 MiB itself is refused before anything is sent.
  try {
    c.save(wf, 3, {{"blob", std::string(1048576, 'x')}});
    FAIL() << "an oversized state was sent";
  } catch (const PayloadTooLargeError& e) {
    EXPECT_EQ(e.status_code(), 0);
    EXPECT_EQ(e.code(), "STATE_TOO_LARGE");
  }
  EXPECT_EQ(c.replay(wf).checkpoints.size(), 1u);
}

TEST_F(DevServerTest, WrongKeysAreAuthErrors) {
  SnapStateClient stranger(client_options("snp_00000000000000000000000000000000"));
  try {
    stranger.resume("anything");
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.status_code(), 401);
    EXPECT_EQ(std::string(e.what()).find("snp_0000"), std::string::npos);
  }
  EXPECT_EQ(stranger.health().status, "ok");  // health needs no key
}

}  // namespace
}  // namespace snapstate::e2e

namespace snapstate::e2e {
namespace {

struct Plan {
  std::string goal;
  std::vector<std::string> steps;
  int done = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Plan, goal, steps, done)

TEST_F(DevServerTest, AsyncCallsAndTypedStateRoundTrip) {
  auto c = client();
  const auto wf = unique_id("async");
  std::vector<std::future<SaveResult>> saves;
  for (int step = 1; step <= 20; ++step) {
    saves.push_back(c.async_save(wf, step, Plan{"ship", {"a", "b"}, step}));
  }
  for (auto& saved : saves) EXPECT_EQ(saved.get().workflow_id, wf);

  auto resumed = c.async_resume(wf);
  auto replayed = c.async_replay(wf);
  auto missing = c.async_get("cp_" + wf + "_999");
  const auto plan = resumed.get().latest_checkpoint.state_as<Plan>();
  EXPECT_EQ(plan.goal, "ship");
  EXPECT_EQ(plan.steps, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(replayed.get().checkpoints.size(), 20u);
  EXPECT_THROW(missing.get(), NotFoundError);

  auto closing = c.async_close();
  closing.get();
  try {
    c.async_resume(wf).get();
    FAIL() << "a closed client served a call";
  } catch (const SnapStateError& e) {
    EXPECT_EQ(e.code(), "CLIENT_CLOSED");
  }
}

}  // namespace
}  // namespace snapstate::e2e
