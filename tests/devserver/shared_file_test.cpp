// --data: two server processes on one file serve the same data and write safely side by side;
// a file the server cannot use is refused at startup, naming the file and the reason.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

#include "devserver_process.hpp"
#include "devserver_test_support.hpp"

namespace dstest {
namespace {

// Without a rate limit: the writers below send hundreds of saves in a moment.
std::vector<std::string> args(const std::string& data) {
  return {"--port", "0", "--quiet", "--data", data, "--api-key", kKey1, "--rate-limit", "0"};
}

struct Pair {
  explicit Pair(const std::string& data)
      : a(args(data)), b(args(data)), port_a(a.wait_listening()), port_b(b.wait_listening()) {}
  DevserverProcess a, b;
  int port_a, port_b;
};

HttpResponse save(int port, const std::string& wf, int step) {
  return RawClient(port).request("POST", "/checkpoints", json_auth(),
                                 R"({"workflow_id":")" + wf + R"(","step":)" +
                                     std::to_string(step) + R"(,"state":{"s":)" +
                                     std::to_string(step) + "}}");
}

TEST(SharedFile, TwoServersServeTheSameData) {
  Pair servers(fresh_data_path());
  ASSERT_NE(0, servers.port_a) << servers.a.output();
  ASSERT_NE(0, servers.port_b) << servers.b.output();
  ASSERT_EQ(201, save(servers.port_a, "wf", 1).status);
  const Json written =
      RawClient(servers.port_a).request("GET", "/checkpoints/cp_wf_001", auth()).json();
  EXPECT_EQ(written,
            RawClient(servers.port_b).request("GET", "/checkpoints/cp_wf_001", auth()).json());
  // The second write diffs against the first although another process wrote it.
  const Json second = save(servers.port_b, "wf", 2).json();
  EXPECT_EQ(Json::parse(R"({"added":[],"removed":[],"changed":["s"]})"),
            second["diff_from_previous"]);
  // Agents get distinct serial ids whichever process creates them.
  const Json x = RawClient(servers.port_a)
                     .request("POST", "/agents", json_auth(), R"({"agent_id":"x"})")
                     .json();
  const Json y = RawClient(servers.port_b)
                     .request("POST", "/agents", json_auth(), R"({"agent_id":"y"})")
                     .json();
  EXPECT_NE(x["id"], y["id"]);
  EXPECT_EQ(2u,
            RawClient(servers.port_a).request("GET", "/agents", auth()).json()["agents"].size());
}

TEST(SharedFile, ConcurrentWritersInTwoProcessesLoseNothingAndRaceFairly) {
  Pair servers(fresh_data_path());
  ASSERT_NE(0, servers.port_a) << servers.a.output();
  ASSERT_NE(0, servers.port_b) << servers.b.output();
  // Eight writers, four through each server, forty distinct steps each.
  std::vector<std::thread> writers;
  std::atomic<int> created{0};
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      const int port = w % 2 == 0 ? servers.port_a : servers.port_b;
      for (int i = 0; i < 40; ++i) created += save(port, "many", w * 100 + i).status == 201;
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(320, created.load());
  const Json resume =
      RawClient(servers.port_b).request("GET", "/workflows/many/resume", auth()).json();
  EXPECT_EQ(320, resume["total_checkpoints"]);
  const Json replay =
      RawClient(servers.port_a).request("GET", "/workflows/many/replay?limit=1000", auth()).json();
  std::set<int> steps;
  for (const auto& c : replay["checkpoints"]) steps.insert(c["step"].get<int>());
  EXPECT_EQ(320u, steps.size());

  // Ten writers of one step, through both servers: one wins, nine get the 409.
  std::atomic<int> won{0};
  std::atomic<int> conflicts{0};
  writers.clear();
  for (int w = 0; w < 10; ++w) {
    writers.emplace_back([&, w] {
      const int status = save(w % 2 == 0 ? servers.port_a : servers.port_b, "race", 1).status;
      if (status == 201) {
        ++won;
      } else if (status == 409) {
        ++conflicts;
      } else {
        ADD_FAILURE() << "a writer got " << status << ", neither the win nor the conflict";
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(1, won.load());
  EXPECT_EQ(9, conflicts.load());
}

// Starts a server on `data` and expects it to refuse: exit code 1, one line naming the file.
void expect_refused(const std::string& data, const std::string& reason) {
  DevserverProcess server({"--port", "0", "--quiet", "--data", data});
  EXPECT_EQ(1, server.wait_exit());
  while (server.next_line()) {
  }
  EXPECT_NE(std::string::npos, server.output().find("snapstate-devserver: " + data + ": "))
      << server.output();
  EXPECT_NE(std::string::npos, server.output().find(reason)) << server.output();
  EXPECT_EQ(std::string::npos, server.output().find("listening on")) << server.output();
}

void sqlite_exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(SQLITE_OK, sqlite3_open(path.c_str(), &db));
  EXPECT_EQ(SQLITE_OK, sqlite3_exec(db, sql, nullptr, nullptr, nullptr)) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(SharedFile, AFileTheServerCannotUseIsRefusedClearly) {
  const std::string text = fresh_data_path();
  std::ofstream(text) << "these are my notes, not a database\n";
  expect_refused(text, "file is not a database");

  const std::string foreign = fresh_data_path();
  sqlite_exec(foreign, "CREATE TABLE notes (body TEXT)");
  expect_refused(foreign, "holds other data");

  const std::string newer = fresh_data_path();
  {
    DevserverProcess server({"--port", "0", "--quiet", "--data", newer});
    ASSERT_NE(0, server.wait_listening()) << server.output();
  }
  sqlite_exec(newer, "PRAGMA user_version = 99");
  expect_refused(newer, "schema version 99");

  expect_refused(fresh_data_path() + ".d/no/such/dir.db", "cannot create the data file");
}

}  // namespace
}  // namespace dstest
