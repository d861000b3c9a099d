#include "storage.hpp"

#include "memory_stores.hpp"
#include "sqlite_stores.hpp"

namespace snapstate::devserver {

Storage open_storage(const std::string& data_path) {
  Storage s;
  if (data_path.empty()) {
    s.checkpoints = std::make_unique<MemoryCheckpointStore>();
    s.agents = std::make_unique<MemoryAgentStore>();
    s.webhooks = std::make_unique<MemoryWebhookStore>();
    s.available = [] { return true; };
    return s;
  }
  auto db = std::make_shared<sqlite::Database>(data_path);
  s.checkpoints = std::make_unique<SqliteCheckpointStore>(db);
  s.agents = std::make_unique<SqliteAgentStore>(db);
  s.webhooks = std::make_unique<SqliteWebhookStore>(db);
  s.available = [db] { return db->available(); };
  return s;
}

}  // namespace snapstate::devserver
