// Watching what the client does: one log line per attempt, and attempts and retries counted
// per route, from ClientOptions::on_attempt. Neither sees the API key or a body.
//
//   SNAPSTATE_API_KEY=snp_... SNAPSTATE_BASE_URL=http://127.0.0.1:3000 ./watching_attempts
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <string>

#include <snapstate/snapstate.hpp>

namespace {

// The route of a path: its id segment, if any, as ":id" ("/workflows/:id/resume").
std::string route_of(const std::string& path) {
  const auto second = path.find('/', 1);
  if (second == std::string::npos) return path;
  const auto third = path.find('/', second + 1);
  return path.substr(0, second) + "/:id" + (third == std::string::npos ? "" : path.substr(third));
}

// Attempts and retries per route, safe to update from several threads.
class AttemptMetrics {
 public:
  void record(const snapstate::AttemptEvent& event) {
    std::lock_guard<std::mutex> lock(mutex_);
    Counters& route = routes_[event.method + " " + route_of(event.path)];
    ++route.attempts;
    if (event.retry_in) ++route.retries;
    if (event.status == 0 || event.status >= 500) ++route.failures;
  }
  void print(std::ostream& out) const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [route, c] : routes_) {
      out << route << ": " << c.attempts << " attempts, " << c.retries << " retries, " << c.failures
          << " failures\n";
    }
  }

 private:
  struct Counters {
    int attempts = 0, retries = 0, failures = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Counters> routes_;
};

void log_attempt(const snapstate::AttemptEvent& event) {
  std::clog << event.method << ' ' << event.path << " -> ";
  if (event.status != 0) {
    std::clog << event.status;
  } else {
    std::clog << event.error_code;
  }
  std::clog << " in " << std::chrono::duration<double, std::milli>(event.elapsed).count() << " ms";
  if (event.retry_in) std::clog << "; retrying in " << event.retry_in->count() << " ms";
  std::clog << " (attempt " << event.attempt << ")\n";
}

}  // namespace

int main() try {
  AttemptMetrics metrics;
  snapstate::ClientOptions options = snapstate::ClientOptions::from_env();
  options.total_timeout = std::chrono::seconds(20);  // each call finishes within 20 s, or fails
  options.on_attempt = [&metrics](const snapstate::AttemptEvent& event) {
    log_attempt(event);
    metrics.record(event);
  };
  snapstate::SnapStateClient client(options);

  const std::string workflow_id =
      "watched-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  client.save(workflow_id, 1, {{"step", "one"}});
  client.save(workflow_id, 2, {{"step", "two"}});
  client.resume(workflow_id);
  try {
    client.get("cp_" + workflow_id + "_009");
  } catch (const snapstate::NotFoundError&) {
    // Expected: step 9 was never saved. The attempt was still seen and counted.
  }
  metrics.print(std::cout);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
