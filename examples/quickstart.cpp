// Quick start: an agent saves its state after each step, "crashes", and a fresh client
// resumes where it left off, then replays the whole history.
//
//   SNAPSTATE_API_KEY=snp_... SNAPSTATE_BASE_URL=http://127.0.0.1:3000 ./quickstart
#include <chrono>
#include <iostream>
#include <string>

#include <snapstate/snapstate.hpp>

namespace {

// A unique workflow id per run, so the example can run again against the same server.
std::string new_workflow_id() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return "quickstart-" +
         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

void run_until_crash(const std::string& workflow_id) {
  snapstate::SnapStateClient client(snapstate::ClientOptions::from_env());

  snapstate::SaveOptions step1;
  step1.label = "research_complete";
  auto saved = client.save(
      workflow_id, 1, {{"topic", "solar storms"}, {"sources", {"nasa.gov", "noaa.gov"}}}, step1);
  std::cout << "saved step 1 as " << saved.checkpoint_id << " (etag " << saved.etag << ")\n";

  snapstate::SaveOptions step2;
  step2.label = "draft_written";
  saved = client.save(workflow_id, 2,
                      {{"topic", "solar storms"},
                       {"sources", {"nasa.gov", "noaa.gov"}},
                       {"draft", "Solar storms are bursts of radiation..."}},
                      step2);
  std::cout << "saved step 2, changed since step 1: ";
  for (const auto& path : saved.diff_from_previous.added) std::cout << "+" << path << ' ';
  std::cout << "\n";

  std::cout << "agent crashes before step 3...\n";
}  // the client (and every connection) goes away here, as in a real crash

}  // namespace

int main() try {
  const std::string workflow_id = new_workflow_id();
  run_until_crash(workflow_id);

  // A new process (or another agent) picks the workflow up.
  snapstate::SnapStateClient client(snapstate::ClientOptions::from_env());
  const auto resumed = client.resume(workflow_id);
  const auto& latest = resumed.latest_checkpoint;
  std::cout << "resumed " << resumed.workflow_id << " at step " << latest.step << " ("
            << latest.label.value_or("no label") << "), draft: " << latest.state["draft"] << "\n";

  auto state = latest.state;
  state["final"] = "Published.";
  snapstate::SaveOptions step3;
  step3.label = "published";
  client.save(workflow_id, latest.step + 1, state, step3);

  const auto history = client.replay(workflow_id);
  std::cout << "replay of " << history.workflow_id << " (" << history.total << " checkpoints):\n";
  for (const auto& checkpoint : history.checkpoints) {
    std::cout << "  step " << checkpoint.step << "  " << checkpoint.label.value_or("-") << "  "
              << checkpoint.created_at.value_or("") << "  " << checkpoint.state.dump() << "\n";
  }
  return 0;
} catch (const snapstate::SnapStateError& e) {
  std::cerr << "snapstate error " << e.status_code() << " " << e.code() << ": " << e.what()
            << " (request " << e.request_id() << ")\n";
  return 1;
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
