// POST /checkpoints, GET /checkpoints/:id, resume and replay, against the recorded exchanges.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "devserver_test_support.hpp"
#include "snapstate/devserver/state_diff.hpp"

namespace dstest {
namespace {

class Checkpoints : public ::testing::TestWithParam<Storage> {
 protected:
  std::unique_ptr<snapstate::devserver::Server> server = start_server({}, GetParam());
  Replayer replayer{server->port()};

  HttpResponse post(const std::string& body, Headers extra = {}, const std::string& key = kKey1) {
    Headers h = json_auth(key);
    h.insert(h.end(), extra.begin(), extra.end());
    return RawClient(server->port()).request("POST", "/checkpoints", h, body);
  }
  HttpResponse get(const std::string& target, const std::string& key = kKey1) {
    return RawClient(server->port()).request("GET", target, auth(key));
  }
};

TEST_P(Checkpoints, DemoWorkflowMatchesTheRecording) {
  for (const char* name : {"02-post-checkpoint-step1",
                           "03-post-checkpoint-step2",
                           "04-repost-step2-no-ifmatch",
                           "05-repost-step2-ifmatch-correct",
                           "05b-repost-step2-ifmatch-correct-different-state",
                           "06-repost-step2-ifmatch-wrong",
                           "06b-repost-step2-ifmatch-unquoted",
                           "06c-repost-step2-ifmatch-star",
                           "06d-post-step3-ifmatch-on-new-step",
                           "07-get-checkpoint-existing",
                           "07b-get-checkpoint-existing-step3",
                           "08-get-checkpoint-missing",
                           "09-resume-existing",
                           "10-resume-missing",
                           "11-replay-plain",
                           "12-replay-from-to-limit",
                           "12b-replay-limit2-has-more",
                           "12c-replay-from2-limit1",
                           "12d-replay-from3-to1",
                           "17-replay-no-checkpoints",
                           "31f-request-id-header",
                           "31g-x-request-id-only",
                           "63-cross-account-read",
                           "63b-cross-account-agents"}) {
    SCOPED_TRACE(name);
    replayer.replay(name);
  }
}

TEST_P(Checkpoints, EtagSizeAndDiffAreExact) {
  Json first = post(load_fixture("02-post-checkpoint-step1").request_body.value()).json();
  EXPECT_EQ("\"cc762e8a761691ea\"", first["etag"]);
  EXPECT_EQ(79, first["size_bytes"]);
  EXPECT_EQ("cp_rs-demo-1_001", first["checkpoint_id"]);
  Json second = post(load_fixture("03-post-checkpoint-step2").request_body.value()).json();
  EXPECT_EQ("\"62e54e50000b83f8\"", second["etag"]);
  EXPECT_EQ(100, second["size_bytes"]);
  EXPECT_EQ(Json::parse(R"({"added":["items[2]","nested.z","new_key.deep[0]","new_key.deep[1]"],)"
                        R"("removed":["to_remove"],"changed":["progress","nested.x"]})"),
            second["diff_from_previous"]);
  // The etag hashes the state only: an empty state always has the same one.
  EXPECT_EQ("\"44136fa355b3678a\"",
            post(R"({"workflow_id":"e","step":1,"state":{}})").json()["etag"]);
}

TEST_P(Checkpoints, IfMatchResaveReturnsTheStoredRecordAndDoesNotCount) {
  const std::string body = R"({"workflow_id":"im","step":1,"state":{"a":1}})";
  Json created = post(body).json();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  HttpResponse again = post(R"({"workflow_id":"im","step":1,"state":{"other":2}})",
                            {{"If-Match", created["etag"].get<std::string>()}});
  EXPECT_EQ(201, again.status);
  EXPECT_EQ(created, again.json());  // same created_at, etag and diff
  Json resume = get("/workflows/im/resume").json();
  EXPECT_EQ(1, resume["total_checkpoints"]);
  EXPECT_EQ(Json::parse(R"({"a":1})"), resume["latest_checkpoint"]["state"]);
}

TEST_P(Checkpoints, WeirdWorkflowIdsAndOutOfOrderStepsMatchTheRecording) {
  for (const char* name : {"27-weird-wfid-post",
                           "27b-weird-wfid-post-step2",
                           "28-weird-wfid-resume",
                           "29-weird-wfid-replay",
                           "30-weird-cpid-get",
                           "30b-weird-wfid-resume-slash-unencoded",
                           "30c-weird-wfid-resume-lowercase-hex",
                           "30d-weird-cpid-get-slash-unencoded",
                           "30e-wfid-raw-percent-invalid",
                           "30f-wfid-question-hash-post",
                           "30g-wfid-question-hash-resume",
                           "31-out-of-order-step5",
                           "31a-out-of-order-step3",
                           "31b-out-of-order-resume",
                           "31c-out-of-order-replay",
                           "31d-ttl-invalid-header",
                           "31e-ttl-invalid-get",
                           "31h-step-1000",
                           "31i-step-0",
                           "31j-step-huge",
                           "22b-post-wfid-128",
                           "23l-post-label-empty",
                           "23m-resume-label-empty",
                           "23n-post-json-charset",
                           "23p-post-unicode-size",
                           "60e-post-checkpoints-trailing-slash",
                           "60d-get-checkpoints-trailing-slash"}) {
    SCOPED_TRACE(name);
    replayer.replay(name);
  }
}

TEST_P(Checkpoints, DefaultTtlIsAWeekAndAnInvalidTtlFallsBackToIt) {
  for (const char* ttl : {"abc", "0", "-5"}) {
    Json created = post(std::string(R"({"workflow_id":"ttl-)") + ttl + R"(","step":1,"state":{}})",
                        {{"X-Checkpoint-TTL", ttl}})
                       .json();
    Json got = get("/checkpoints/" + created["checkpoint_id"].get<std::string>()).json();
    EXPECT_EQ(604800000, iso_ms(got["expires_at"]) - iso_ms(got["created_at"])) << ttl;
  }
}

TEST_P(Checkpoints, ShortTtlExpires) {
  // 65-65d with a 1 s TTL instead of 90 s.
  HttpResponse created = post(R"({"workflow_id":"rs-short-ttl","step":1,"state":{"t":1}})",
                              {{"X-Checkpoint-TTL", "1"}});
  ASSERT_EQ(201, created.status);
  expect_like(Json::parse(load_fixture("65-short-ttl-post").response_body), created.json(),
              {"created_at"}, "65");
  Json got = get("/checkpoints/cp_rs-short-ttl_001").json();
  expect_like(Json::parse(load_fixture("65b-short-ttl-get").response_body), got,
              {"created_at", "expires_at"}, "65b");
  EXPECT_EQ(1000, iso_ms(got["expires_at"]) - iso_ms(got["created_at"]));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  HttpResponse resume = get("/workflows/rs-short-ttl/resume");
  EXPECT_EQ(404, resume.status);
  expect_like(Json::parse(load_fixture("65c-short-ttl-resume-after-expiry").response_body),
              resume.json(), {}, "65c");
  HttpResponse gone = get("/checkpoints/cp_rs-short-ttl_001");
  EXPECT_EQ(404, gone.status);
  expect_like(Json::parse(load_fixture("65d-short-ttl-get-after-expiry").response_body),
              gone.json(), {}, "65d");
  EXPECT_EQ(0, get("/workflows/rs-short-ttl/replay").json()["total"]);
  // Once expired, the step can be written again, and the diff starts over.
  HttpResponse rewritten = post(R"({"workflow_id":"rs-short-ttl","step":1,"state":{"t":2}})");
  EXPECT_EQ(201, rewritten.status);
  EXPECT_EQ(Json::parse(R"(["t"])"), rewritten.json()["diff_from_previous"]["added"]);
}

TEST_P(Checkpoints, StateIsStoredAsJavaScriptWouldStringifyIt) {
  const std::string body =
      R"({"workflow_id":"js","step":1,"state":{"b":1.0,"2":true,"1":1e21,"neg":-0,"small":1e-7,)"
      R"("six":0.000001,"big":123456789012345678901,"x":1,"x":2,"esc":"\u00e9\ud800\u0001\/",)"
      R"("pair":"\ud83d\ude00","inf":1e400,"arr":[1.50,{"k":[]}]}})";
  Json created = post(body).json();
  const std::string canonical =
      "{\"1\":1e+21,\"2\":true,\"b\":1,\"neg\":0,\"small\":1e-7,\"six\":0.000001,"
      "\"big\":123456789012345680000,\"x\":2,\"esc\":\"\xC3\xA9\\ud800\\u0001/\","
      "\"pair\":\"\xF0\x9F\x98\x80\",\"inf\":null,\"arr\":[1.5,{\"k\":[]}]}";
  EXPECT_EQ("\"" + sha256_hex(canonical).substr(0, 16) + "\"", created["etag"]);
  EXPECT_EQ(canonical.size(), created["size_bytes"].get<std::size_t>());
  EXPECT_EQ(
      Json::parse(R"(["1","2","b","neg","small","six","big","x","esc","pair","inf","arr[0]"])"),
      created["diff_from_previous"]["added"]);
  HttpResponse got = get("/checkpoints/cp_js_001");
  const std::string state_text = "\"state\":" + canonical + ",";
  EXPECT_NE(std::string::npos, got.body.find(state_text)) << got.body;
}

TEST_P(Checkpoints, LargeStateDiffIsExact) {
  std::string a = R"({"workflow_id":"big","step":1,"state":{)";
  std::string b = R"({"workflow_id":"big","step":2,"state":{)";
  for (int i = 0; i < 28000; ++i) {
    const std::string k = "\"key_" + std::to_string(i) + "\":";
    a += (i ? "," : "") + k + std::to_string(i);
    b += (i ? "," : "") + k + std::to_string(i == 17 ? -1 : i);
  }
  a += R"(,"gone":[1,2]}})";
  b += R"(,"fresh":{"z":null}}})";
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(201, post(a).status);
  Json second = post(b).json();
  EXPECT_EQ(
      Json::parse(R"({"added":["fresh.z"],"removed":["gone[0]","gone[1]"],"changed":["key_17"]})"),
      second["diff_from_previous"]);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

// The entry point the CLI's replay timeline uses: the rule of the saves above, from JSON text.
TEST(StateDiff, DiffJsonAppliesTheServersRule) {
  const auto d = snapstate::devserver::diff_json(R"({"a":1,"c":{"x":true},"l":[1,2]})",
                                                 R"({"a":2,"b":{"y":[]},"l":[1],"n":{"m":0}})");
  EXPECT_EQ(std::vector<std::string>{"n.m"}, d.added);  // b.y is an empty array: no leaf
  EXPECT_EQ((std::vector<std::string>{"l[1]", "c.x"}), d.removed);
  EXPECT_EQ(std::vector<std::string>{"a"}, d.changed);
  EXPECT_THROW(snapstate::devserver::diff_json("{", "{}"), std::invalid_argument);
  EXPECT_THROW(snapstate::devserver::diff_json("{}", R"({"__proto__":{}})"), std::invalid_argument);
}

TEST_P(Checkpoints, ReplayTakesTheFirstLimitWritesThenFilters) {
  for (int step : {5, 1, 2, 3}) {
    ASSERT_EQ(
        201,
        post(R"({"workflow_id":"rp","step":)" + std::to_string(step) + R"(,"state":{}})").status);
  }
  auto steps = [&](const std::string& query) {
    std::vector<int> out;
    Json r = get("/workflows/rp/replay" + query).json();
    for (const auto& c : r["checkpoints"]) out.push_back(c["step"].get<int>());
    EXPECT_EQ(out.size(), r["total"].get<std::size_t>());
    EXPECT_EQ(false, r["has_more"]);
    return out;
  };
  EXPECT_EQ((std::vector<int>{5, 1, 2, 3}), steps(""));
  EXPECT_EQ((std::vector<int>{5, 2}), steps("?from_step=2&limit=3"));
  EXPECT_EQ((std::vector<int>{1, 2}), steps("?to_step=2"));
  EXPECT_EQ((std::vector<int>{5}), steps("?limit=1"));
  EXPECT_EQ((std::vector<int>{1, 2}), steps("?limit=%33&to_step=+2"));  // "3", " 2"
}

TEST_P(Checkpoints, AgentIdIsMergedIntoMetadata) {
  post(
      R"({"workflow_id":"md","step":1,"state":{},"metadata":{"agent_id":"old","z":1},"agent_id":"new"})");
  post(R"({"workflow_id":"md","step":2,"state":{},"agent_id":"solo"})");
  EXPECT_EQ(Json::parse(R"({"agent_id":"new","z":1})"),
            get("/checkpoints/cp_md_001").json()["metadata"]);
  EXPECT_EQ(Json::parse(R"({"agent_id":"solo"})"),
            get("/checkpoints/cp_md_002").json()["metadata"]);
}

TEST_P(Checkpoints, ConcurrentWritesOfOneStepAreSafe) {
  // Upstream is not atomic here (fixture 64: eight of ten racing writers "won"); the local
  // server is, so exactly one wins and the others get the 409.
  std::atomic<int> created{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> writers;
  for (int i = 1; i <= 10; ++i) {
    writers.emplace_back([&, i] {
      HttpResponse r = post(R"({"workflow_id":"rs-race2","step":1,"state":{"writer":)" +
                            std::to_string(i) + "}}");
      (r.status == 201 ? created : conflicts)++;
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(1, created.load());
  EXPECT_EQ(9, conflicts.load());
  EXPECT_EQ(1, get("/workflows/rs-race2/replay").json()["total"]);
}

INSTANTIATE_TEST_SUITE_P(Storage, Checkpoints, both_storages());

}  // namespace
}  // namespace dstest
