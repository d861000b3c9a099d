// Links against snapstate as a user would. With SNAPSTATE_BASE_URL set it talks to that server.
#include <cstdlib>
#include <iostream>

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
    const auto saved = client.save("consumer-check", 1, {{"ok", true}});
    std::cout << "saved " << saved.checkpoint_id << "; health " << client.health().status << "\n";
  }
  return 0;
}
