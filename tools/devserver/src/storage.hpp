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

/// The stores in memory.
Storage memory_storage();

}  // namespace snapstate::devserver
