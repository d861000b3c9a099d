// The stores in memory: what the server keeps without --data, gone when it stops.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "agent_store.hpp"
#include "checkpoint_store.hpp"
#include "webhook_store.hpp"

namespace snapstate::devserver {

class MemoryCheckpointStore final : public CheckpointStore {
 public:
  SaveResult save(Draft draft, const std::string* if_match) override;
  RecordPtr get(const std::string& checkpoint_id) override;
  std::vector<RecordPtr> writes(const std::string& workflow_id) override;

 private:
  struct Workflow {
    std::vector<RecordPtr> writes;
    std::shared_ptr<const json::Value> last_state;
    std::int64_t expires_ms = 0;
  };

  std::optional<SaveResult> existing_locked(const std::string& id, const std::string* if_match,
                                            std::int64_t now);
  Workflow* workflow_locked(const std::string& id, std::int64_t now);
  void sweep_locked(std::int64_t now);

  std::mutex mutex_;
  std::unordered_map<std::string, RecordPtr> records_;
  std::unordered_map<std::string, Workflow> workflows_;
  std::int64_t last_sweep_ms_ = 0;
};

class MemoryAgentStore final : public AgentStore {
 public:
  std::optional<Agent> upsert(const std::string& account, const std::string& agent_id,
                              const AgentFields& fields) override;
  std::vector<Agent> list(const std::string& account) override;
  std::optional<Agent> get(const std::string& account, const std::string& agent_id) override;
  std::optional<Agent> patch(const std::string& account, const std::string& agent_id,
                             const AgentFields& fields) override;
  bool remove(const std::string& account, const std::string& agent_id) override;
  void touch(const std::string& account, const std::string& agent_id) override;

 private:
  Agent* find_locked(const std::string& account, const std::string& agent_id);

  std::mutex mutex_;
  std::int64_t next_id_ = 1;
  std::map<std::string, std::map<std::string, Agent>> accounts_;
};

class MemoryWebhookStore final : public WebhookStore {
 public:
  void add(const std::string& account, const Webhook& hook) override;
  bool remove(const std::string& account, const std::string& webhook_id) override;
  std::vector<Webhook> subscribed(const std::string& account, const std::string& event) override;

 private:
  std::mutex mutex_;
  std::map<std::string, std::map<std::string, Webhook>> accounts_;
};

}  // namespace snapstate::devserver
