// Typed state: any type with nlohmann to_json/from_json can be saved and read back.
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include <snapstate/snapstate.hpp>

struct ResearchState {
  std::string topic;
  std::vector<std::string> sources;
  double progress = 0.0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ResearchState, topic, sources, progress)

int main() try {
  snapstate::SnapStateClient client(snapstate::ClientOptions::from_env());
  const std::string workflow_id = "typed-" + std::to_string(std::time(nullptr));

  const ResearchState state{"tides", {"noaa.gov"}, 0.25};
  client.save(workflow_id, 1, state);

  const auto resumed = client.resume(workflow_id);
  const auto restored = resumed.latest_checkpoint.state_as<ResearchState>();
  std::cout << "restored " << restored.topic << " at " << restored.progress * 100 << "% with "
            << restored.sources.size() << " source(s)\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
