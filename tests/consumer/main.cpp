// Links against snapstate as a user would. With SNAPSTATE_BASE_URL set it talks to that server.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <snapstate/snapstate.hpp>

int main() {
  if (std::string(snapstate::version()) != SNAPSTATE_VERSION_STRING) {
    std::cerr << "header/library version mismatch\n";
    return 1;
  }
  auto options = snapstate::ClientOptions::from_env();
  if (options.api_key.empty()) options.api_key = "snp_consumer";
  snapstate::SnapStateClient client(options);
  try {
    client.save("", 1, {{"a", 1}});
    std::cerr << "an empty workflow id was not refused\n";
    return 1;
  } catch (const snapstate::ValidationError& e) {
    std::cout << "consumer linked snapstate " << snapstate::version() << " (" << e.code() << ")\n";
  }
  if (std::getenv("SNAPSTATE_BASE_URL") != nullptr) {
    // A workflow of its own per run: the same server serves every consumer build.
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    const auto saved = client.save("consumer-" + std::to_string(now), 1, {{"ok", true}});
    std::cout << "saved " << saved.checkpoint_id << "; health " << client.health().status << "\n";
  }
  return 0;
}
