// snapstate-bench: the client, through its public API only, against the canned server.
// One JSON line per scenario on stdout; exit status 1 when any call failed or answered wrong.
#include <deque>
#include <future>
#include <iostream>
#include <optional>

#include <snapstate/snapstate.hpp>

#include "common/cli.hpp"
#include "common/payloads.hpp"
#include "common/runner.hpp"

namespace {

using bench::Args;
using bench::Clock;
using bench::Size;

snapstate::ClientOptions options(int port, std::size_t async_threads) {
  snapstate::ClientOptions o;
  o.api_key = bench::kApiKey;
  o.base_url = "http://127.0.0.1:" + std::to_string(port);
  o.user_agent = bench::kUserAgent;
  o.async_threads = async_threads;
  return o;
}

bool check_resume(const snapstate::WorkflowResume& r, const bench::ResumeCase& c, bool full) {
  const auto& state = r.latest_checkpoint.state;
  return r.latest_checkpoint.step == c.step && state.size() == c.state.size() &&
         (!full || state == c.state);
}

bool check_replay(const snapstate::WorkflowReplay& r, bool full) {
  if (r.checkpoints.size() != static_cast<std::size_t>(bench::kReplayCheckpoints)) return false;
  for (std::size_t i = 0; full && i < r.checkpoints.size(); ++i) {
    if (r.checkpoints[i].step != static_cast<std::int64_t>(i + 1) ||
        !r.checkpoints[i].state.is_object()) {
      return false;
    }
  }
  return true;
}

nlohmann::json run(const Args& args, const std::string& name) {
  bench::Spec spec{"client", name, args.iterations, 0, 1, 0, args.port};
  const auto size = bench::scenario_size(name);
  const bool large = name == "replay_100" || (size && *size != Size::small);
  if (large) spec.iterations = args.large_iterations;
  spec.warmup = args.warmup(spec.iterations);
  const bool full = args.full_check;

  if (name.rfind("save_", 0) == 0 && size) {
    snapstate::SnapStateClient client(options(args.port, 1));
    const auto& c = bench::save_case(*size);
    spec.body_bytes = c.body.size();
    return bench::run_scenario(spec, [&](int, int, Clock::time_point&) {
      return client.save(c.workflow_id, c.step, c.state).checkpoint_id == c.checkpoint_id;
    });
  }
  if (name.rfind("resume_", 0) == 0 && size) {
    snapstate::SnapStateClient client(options(args.port, 1));
    const auto& c = bench::resume_case(*size);
    spec.body_bytes = c.body.size();
    return bench::run_scenario(spec, [&](int, int, Clock::time_point&) {
      return check_resume(client.resume(c.workflow_id), c, full);
    });
  }
  if (name == "replay_100") {
    snapstate::SnapStateClient client(options(args.port, 1));
    spec.body_bytes = bench::replay_body().size();
    return bench::run_scenario(spec, [&](int, int, Clock::time_point&) {
      return check_replay(client.replay(bench::kReplayWorkflow), full);
    });
  }
  if (name.rfind("threads_", 0) == 0) {  // small saves and resumes, N threads, one client
    spec.threads = std::stoi(name.substr(8));
    snapstate::SnapStateClient client(options(args.port, 1));
    const auto& save = bench::save_case(Size::small);
    const auto& resume = bench::resume_case(Size::small);
    return bench::run_scenario(spec, [&](int, int i, Clock::time_point&) {
      if (i % 2 == 0) return client.save(save.workflow_id, save.step, save.state).step == save.step;
      return check_resume(client.resume(resume.workflow_id), resume, full);
    });
  }
  if (name.rfind("async_", 0) == 0) {  // N async_resume calls in flight, N workers
    const auto in_flight = static_cast<std::size_t>(std::stoi(name.substr(6)));
    spec.async = true;
    snapstate::SnapStateClient client(options(args.port, in_flight));
    const auto& c = bench::resume_case(Size::small);
    std::deque<std::pair<std::future<snapstate::WorkflowResume>, Clock::time_point>> queue;
    const int total = spec.warmup + spec.iterations;
    int submitted = 0;
    const auto refill = [&] {
      while (queue.size() < in_flight && submitted < total) {
        queue.emplace_back(client.async_resume(c.workflow_id), Clock::now());
        ++submitted;
      }
    };
    return bench::run_scenario(spec, [&](int, int, Clock::time_point& start) {
      refill();
      auto [future, submitted_at] = std::move(queue.front());
      queue.pop_front();
      start = submitted_at;
      const bool ok = check_resume(future.get(), c, full);
      refill();
      return ok;
    });
  }
  throw std::invalid_argument("unknown scenario " + name);
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = bench::parse_args(argc, argv);
  return bench::run_all(args, "snapstate-bench", run);
}
