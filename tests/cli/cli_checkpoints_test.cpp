// save, get, resume, replay: JSON round trips, state sources, the table formats.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli_fixture.hpp"

namespace snapstate_cli_test {
namespace {

// The line of a table whose first cell is `first`.
std::string row_starting_with(const std::string& table, const std::string& first) {
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(first + " ", 0) == 0) return line;
  }
  return {};
}

// The "+a ~b -c" markers of a JSON diff_from_previous, one per path.
std::vector<std::string> markers(const nlohmann::json& diff) {
  std::vector<std::string> out;
  for (const auto& path : diff.at("added")) out.push_back("+" + path.get<std::string>());
  for (const auto& path : diff.at("changed")) out.push_back("~" + path.get<std::string>());
  for (const auto& path : diff.at("removed")) out.push_back("-" + path.get<std::string>());
  return out;
}

TEST_F(CliTest, SaveGetResumeReplayRoundTrip) {
  auto saved = ok_json(
      run({"save", "wf-rt", "1", "--state", R"({"topic":"solar","n":1})", "--label", "research",
           "--agent-id", "writer", "--metadata", R"({"model":"m1"})", "--ttl", "3600"}));
  EXPECT_EQ(saved["checkpoint_id"], "cp_wf-rt_001");
  EXPECT_EQ(saved["workflow_id"], "wf-rt");
  EXPECT_EQ(saved["step"], 1);
  EXPECT_EQ(saved["etag"].get<std::string>().front(), '"');
  // The client library's JSON objects are sorted by key, so paths come in key order.
  EXPECT_EQ(saved["diff_from_previous"]["added"], nlohmann::json({"n", "topic"}));
  EXPECT_GT(saved["size_bytes"].get<int>(), 0);

  auto second = ok_json(run({"save", "wf-rt", "2", "--state", R"({"topic":"solar","n":2})"}));
  EXPECT_EQ(second["diff_from_previous"]["changed"], nlohmann::json({"n"}));

  auto got = ok_json(run({"get", "cp_wf-rt_001"}));
  EXPECT_EQ(got["state"], nlohmann::json({{"topic", "solar"}, {"n", 1}}));
  EXPECT_EQ(got["label"], "research");
  EXPECT_EQ(got["metadata"]["model"], "m1");
  EXPECT_EQ(got["metadata"]["agent_id"], "writer");
  EXPECT_EQ(got["agent_id"], "writer");
  EXPECT_EQ(got["etag"], saved["etag"]);

  auto resumed = ok_json(run({"resume", "wf-rt"}));
  EXPECT_EQ(resumed["workflow_id"], "wf-rt");
  EXPECT_EQ(resumed["total_checkpoints"], 2);
  EXPECT_EQ(resumed["latest_checkpoint"]["step"], 2);
  EXPECT_EQ(resumed["latest_checkpoint"]["state"]["n"], 2);
  EXPECT_TRUE(resumed["latest_checkpoint"]["label"].is_null());

  auto replay = ok_json(run({"replay", "wf-rt"}));
  ASSERT_EQ(replay["checkpoints"].size(), 2u);
  EXPECT_EQ(replay["checkpoints"][0]["step"], 1);
  EXPECT_EQ(replay["checkpoints"][1]["step"], 2);
  EXPECT_EQ(replay["total"], 2);
  EXPECT_EQ(replay["has_more"], false);

  auto filtered = ok_json(run({"replay", "wf-rt", "--from", "2", "--to", "5", "--limit", "10"}));
  ASSERT_EQ(filtered["checkpoints"].size(), 1u);
  EXPECT_EQ(filtered["checkpoints"][0]["checkpoint_id"], "cp_wf-rt_002");
}

TEST_F(CliTest, SaveReadsStateFromFile) {
  const std::string path = ::testing::TempDir() + "snapstate_cli_state.json";
  std::ofstream(path) << R"({"from":"file","items":[1,2]})";
  ok_json(run({"save", "wf-file", "0", "--state-file", path}));
  std::remove(path.c_str());
  auto got = ok_json(run({"get", "cp_wf-file_000"}));
  EXPECT_EQ(got["state"], nlohmann::json::parse(R"({"from":"file","items":[1,2]})"));

  expect_error(run({"save", "wf-file", "1", "--state-file", path + ".missing"}), 2,
               "error: usage: cannot read ");
}

TEST_F(CliTest, SaveReadsStateFromStdin) {
  ok_json(run({"save", "wf-stdin", "1", "-"}, R"({"from":"stdin"})"));
  ok_json(run({"save", "wf-stdin", "2", "--state-file", "-"}, "{\"from\":\"stdin\",\"n\":2}\n"));
  auto replay = ok_json(run({"replay", "wf-stdin"}));
  ASSERT_EQ(replay["checkpoints"].size(), 2u);
  EXPECT_EQ(replay["checkpoints"][0]["state"], nlohmann::json({{"from", "stdin"}}));
  EXPECT_EQ(replay["checkpoints"][1]["state"]["n"], 2);
}

TEST_F(CliTest, ReplayTableIsATimelineWithTheServersDiffs) {
  const std::vector<std::string> states = {
      R"({"a":1,"c":{"x":true}})", R"({"a":2,"b":"new","c":{"x":true}})", R"({"a":2,"b":"new"})"};
  const std::vector<std::string> labels = {"plan", "draft", "final"};
  std::vector<nlohmann::json> diffs;
  for (std::size_t i = 0; i < states.size(); ++i) {
    auto saved = ok_json(run({"save", "wf-tl", std::to_string(i + 1), "--state", states[i],
                              "--label", labels[i], "--agent-id", "agent-" + std::to_string(i)}));
    diffs.push_back(saved["diff_from_previous"]);
  }
  // Global flags work after the subcommand too.
  const auto result = run({"replay", "wf-tl", "--format", "table"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const std::string header = row_starting_with(result.out, "step");
  for (const char* column : {"label", "agent", "created_at", "size", "diff"}) {
    EXPECT_NE(header.find(column), std::string::npos) << result.out;
  }
  for (std::size_t i = 0; i < states.size(); ++i) {
    const std::string row = row_starting_with(result.out, std::to_string(i + 1));
    ASSERT_FALSE(row.empty()) << result.out;
    EXPECT_NE(row.find(labels[i]), std::string::npos) << row;
    EXPECT_NE(row.find("agent-" + std::to_string(i)), std::string::npos) << row;
    EXPECT_NE(row.find(" B"), std::string::npos) << row;
    for (const auto& marker : markers(diffs[i])) {
      EXPECT_NE(row.find(marker), std::string::npos) << "missing " << marker << " in " << row;
    }
  }
  EXPECT_NE(row_starting_with(result.out, "2").find("~a"), std::string::npos);
  EXPECT_NE(row_starting_with(result.out, "3").find("-c.x"), std::string::npos);

  // With a step filter the rows above may be hidden: the first diff is unknown, not invented.
  const auto from2 = run({"--format", "table", "replay", "wf-tl", "--from", "2"});
  ASSERT_EQ(from2.exit_code, 0) << from2.err;
  const std::string row2 = row_starting_with(from2.out, "2");
  EXPECT_EQ(row2.find("~a"), std::string::npos) << row2;
  EXPECT_EQ(row2.back(), '-') << row2;
  EXPECT_NE(row_starting_with(from2.out, "3").find("-c.x"), std::string::npos) << from2.out;
}

TEST_F(CliTest, TableFormatsForSaveGetAndResume) {
  const auto saved = run(
      {"--format", "table", "save", "wf-t", "1", "--state", R"({"k":"v"})", "--label", "first"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_NE(saved.out.find("checkpoint_id  cp_wf-t_001"), std::string::npos) << saved.out;
  EXPECT_NE(saved.out.find("+k"), std::string::npos) << saved.out;

  const auto got = run({"get", "cp_wf-t_001", "--format", "table"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_NE(got.out.find("first"), std::string::npos) << got.out;
  EXPECT_NE(got.out.find("\"k\": \"v\""), std::string::npos) << got.out;

  const auto resumed = run({"resume", "wf-t", "--format", "table"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("total_checkpoints"), std::string::npos) << resumed.out;
  EXPECT_NE(resumed.out.find("next step"), std::string::npos) << resumed.out;
  EXPECT_NE(resumed.out.find("cp_wf-t_001"), std::string::npos) << resumed.out;
}

TEST_F(CliTest, ReplayOfAnUnknownWorkflowIsAnEmptyList) {
  auto replay = ok_json(run({"replay", "wf-never"}));
  EXPECT_EQ(replay["checkpoints"], nlohmann::json::array());
  EXPECT_EQ(replay["total"], 0);
}

}  // namespace
}  // namespace snapstate_cli_test
