// Everything the server keeps, behind the interfaces the routes use: in memory (no --data)
// or in one SQLite file (--data PATH).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "agent_store.hpp"
#include "checkpoint_store.hpp"
#include "webhook_store.hpp"

namespace snapstate::devserver {

struct Storage {
  std::unique_ptr<CheckpointStore> checkpoints;
  std::unique_ptr<AgentStore> agents;
  std::unique_ptr<WebhookStore> webhooks;
  /// For /health: whether the stores can be used right now.
  std::function<bool()> available;
};

/// The stores in memory when `data_path` is empty, else in that SQLite file (created when
/// missing). @throws std::runtime_error when the file cannot be used
Storage open_storage(const std::string& data_path);

}  // namespace snapstate::devserver
