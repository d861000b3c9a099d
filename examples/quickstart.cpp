// Quick start: an agent saves its state after each step, "crashes", and a fresh client
// resumes where it left off, saves the next step and replays the whole history.
//
//   SNAPSTATE_API_KEY=snp_... SNAPSTATE_BASE_URL=http://127.0.0.1:3000 ./quickstart
//   ./quickstart crash          steps 1 and 2, then the agent dies (prints the workflow id)
//   ./quickstart resume ID      a new process picks workflow ID up
#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

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
  std::cout << "saved step 2; new since step 1:";
  for (const auto& path : saved.diff_from_previous.added) std::cout << " +" << path;
  std::cout << "\nthe agent crashes before step 3...\n";
}  // the client (and every connection) goes away here, as in a real crash

std::string keys_of(const nlohmann::json& state) {
  std::string keys;
  for (const auto& item : state.items()) keys += (keys.empty() ? "" : ", ") + item.key();
  return keys;
}

void resume_and_finish(const std::string& workflow_id) {
  // A new process (or another agent) picks the workflow up.
  snapstate::SnapStateClient client(snapstate::ClientOptions::from_env());
  const auto resumed = client.resume(workflow_id);
  const auto& latest = resumed.latest_checkpoint;
  std::cout << "resumed " << resumed.workflow_id << " at step " << latest.step << " ("
            << latest.label.value_or("no label") << "); draft: " << latest.state["draft"] << "\n";

  auto state = latest.state;
  state["final"] = "Published.";
  snapstate::SaveOptions step3;
  step3.label = "published";
  const auto saved = client.save(workflow_id, latest.step + 1, state, step3);
  std::cout << "saved step " << saved.step << " as " << saved.checkpoint_id << "\n";

  const auto history = client.replay(workflow_id);
  std::cout << "replay of " << history.workflow_id << " (" << history.total << " checkpoints):\n";
  std::size_t label_width = 5;
  for (const auto& checkpoint : history.checkpoints) {
    label_width = std::max(label_width, checkpoint.label.value_or("-").size());
  }
  const auto row = [label_width](const std::string& step, const std::string& label,
                                 const std::string& when, const std::string& keys) {
    std::cout << "  " << std::left << std::setw(6) << step
              << std::setw(static_cast<int>(label_width) + 2) << label << std::setw(26) << when
              << keys << "\n";
  };
  row("step", "label", "saved at", "state keys");
  for (const auto& checkpoint : history.checkpoints) {
    row(std::to_string(checkpoint.step), checkpoint.label.value_or("-"),
        checkpoint.created_at.value_or("-"), keys_of(checkpoint.state));
  }
}

}  // namespace

int main(int argc, char** argv) try {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && args[0] == "crash") {
    const std::string workflow_id = new_workflow_id();
    run_until_crash(workflow_id);
    std::cout << "workflow " << workflow_id << "\n";
  } else if (args.size() == 2 && args[0] == "resume") {
    resume_and_finish(args[1]);
  } else if (args.empty()) {
    const std::string workflow_id = new_workflow_id();
    run_until_crash(workflow_id);
    resume_and_finish(workflow_id);
  } else {
    std::cerr << "usage: quickstart [crash | resume WORKFLOW_ID]\n";
    return 2;
  }
  return 0;
} catch (const snapstate::SnapStateError& e) {
  std::cerr << "snapstate error " << e.status_code() << " " << e.code() << ": " << e.what();
  if (!e.request_id().empty()) std::cerr << " (request " << e.request_id() << ")";
  std::cerr << "\n";
  return 1;
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
