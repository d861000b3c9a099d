// Deterministic: sequential calls on one client use one TCP connection (the canned server
// counts accepts); concurrent calls open at most one per thread, and those are reused after.
// Also: every save body arrives byte-identical to nlohmann's dump() of the same request.
#include <iostream>
#include <thread>
#include <vector>

#include <snapstate/snapstate.hpp>

#include "common/canned_server.hpp"
#include "common/payloads.hpp"

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  std::cout << (ok ? "ok   " : "FAIL ") << what << "\n";
  if (!ok) ++failures;
}

void calls(snapstate::SnapStateClient& client, int n) {
  const auto& save = bench::save_case(bench::Size::small);
  const auto& big = bench::save_case(bench::Size::keys);
  for (int i = 0; i < n; ++i) {
    client.save(save.workflow_id, save.step, save.state);
    client.resume(bench::resume_case(bench::Size::small).workflow_id);
    if (i % 10 == 0) {
      client.save(big.workflow_id, big.step, big.state);
      client.replay(bench::kReplayWorkflow);
      client.resume(bench::resume_case(bench::Size::history).workflow_id);
    }
  }
}

}  // namespace

int main() {
  bench::CannedServer server;
  const int port = server.start();
  snapstate::ClientOptions options;
  options.api_key = bench::kApiKey;
  options.base_url = "http://127.0.0.1:" + std::to_string(port);
  snapstate::SnapStateClient client(options);

  calls(client, 50);
  auto s = server.stats();
  expect(s.accepts == 1,
         "50 rounds of sequential calls: 1 connection (got " + std::to_string(s.accepts) + ")");
  expect(s.bad == 0, "every request routed and every save body as expected");

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&] { calls(client, 20); });
  for (auto& th : threads) th.join();
  const auto after_threads = server.stats().accepts;
  expect(after_threads <= 4,
         "4 threads: at most 4 connections (got " + std::to_string(after_threads) + ")");

  calls(client, 20);
  s = server.stats();
  expect(s.accepts == after_threads, "sequential calls after the threads reuse a connection");
  expect(s.bad == 0, "no request rejected");
  client.close();
  server.stop();
  return failures == 0 ? 0 : 1;
}
