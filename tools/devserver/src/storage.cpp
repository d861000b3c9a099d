#include "storage.hpp"

#include "memory_stores.hpp"

namespace snapstate::devserver {

Storage memory_storage() {
  Storage s;
  s.checkpoints = std::make_unique<MemoryCheckpointStore>();
  s.agents = std::make_unique<MemoryAgentStore>();
  s.webhooks = std::make_unique<MemoryWebhookStore>();
  s.available = [] { return true; };
  return s;
}

}  // namespace snapstate::devserver
