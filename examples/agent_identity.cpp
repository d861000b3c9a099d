// Agent identity: register two agents and hand a workflow from one to the other. Each
// checkpoint records which agent wrote it.
#include <ctime>
#include <iostream>
#include <string>

#include <snapstate/snapstate.hpp>

int main() try {
  snapstate::SnapStateClient client(snapstate::ClientOptions::from_env());

  snapstate::AgentOptions researcher;
  researcher.description = "finds sources";
  researcher.capabilities = std::vector<std::string>{"search", "summarize"};
  client.register_agent("researcher", "Research agent", researcher);
  client.register_agent("writer", "Writing agent");

  const std::string workflow_id = "handoff-" + std::to_string(std::time(nullptr));
  snapstate::SaveOptions by_researcher;
  by_researcher.agent_id = "researcher";
  by_researcher.label = "sources_found";
  client.save(workflow_id, 1, {{"sources", {"a", "b"}}}, by_researcher);

  // The writer picks up where the researcher stopped.
  const auto resumed = client.resume(workflow_id);
  std::cout << "writer resumes step " << resumed.latest_checkpoint.step << " saved by "
            << resumed.latest_checkpoint.agent_id.value_or("unknown") << "\n";
  snapstate::SaveOptions by_writer;
  by_writer.agent_id = "writer";
  by_writer.label = "draft_done";
  client.save(workflow_id, 2, {{"sources", {"a", "b"}}, {"draft", "..."}}, by_writer);

  for (const auto& checkpoint : client.replay(workflow_id).checkpoints) {
    std::cout << "step " << checkpoint.step << " by " << checkpoint.agent_id.value_or("-") << "\n";
  }
  for (const auto& agent : client.list_agents()) {
    std::cout << "agent " << agent.agent_id << " (" << agent.name << "), last seen "
              << agent.last_seen_at.value_or("never") << "\n";
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
