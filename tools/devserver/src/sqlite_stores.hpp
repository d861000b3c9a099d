// The stores in the --data SQLite file: every answer is read from the file and every write
// is committed to it before the answer is sent, so several servers (processes) can share
// one file, and a killed server loses nothing. Accounts are stored as SHA-256 of their API
// key: the file holds no key.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent_store.hpp"
#include "checkpoint_store.hpp"
#include "sqlite_db.hpp"
#include "webhook_store.hpp"

namespace snapstate::devserver {

/// How an account (API key) is named in the file.
std::string stored_account(const std::string& api_key);

/// A JSON value written by json::stringify into the file, parsed back.
/// @throws std::runtime_error when the file holds something else there
json::Value stored_json(const sqlite::Database& db, const std::string& text);

/// Runs `sql`, a DELETE of an account's row by id (?1 the account, ?2 the id), in a
/// transaction of its own. True when a row was deleted.
bool delete_row(sqlite::Database& db, const std::string& sql, const std::string& account,
                const std::string& id);

class SqliteCheckpointStore final : public CheckpointStore {
 public:
  explicit SqliteCheckpointStore(std::shared_ptr<sqlite::Database> db) : db_(std::move(db)) {}
  SaveResult save(Draft draft, const std::string* if_match) override;
  RecordPtr get(const std::string& checkpoint_id) override;
  std::vector<RecordPtr> writes(const std::string& workflow_id) override;

 private:
  RecordPtr live_record(const std::string& checkpoint_id, std::int64_t now);
  std::optional<json::Value> previous_state(const std::string& workflow_id, std::int64_t now);
  void sweep(std::int64_t now);

  std::shared_ptr<sqlite::Database> db_;
  std::int64_t last_sweep_ms_ = 0;  // guarded by the transaction's hold on db_
};

class SqliteAgentStore final : public AgentStore {
 public:
  explicit SqliteAgentStore(std::shared_ptr<sqlite::Database> db) : db_(std::move(db)) {}
  std::optional<Agent> upsert(const std::string& account, const std::string& agent_id,
                              const AgentFields& fields) override;
  std::vector<Agent> list(const std::string& account) override;
  std::optional<Agent> get(const std::string& account, const std::string& agent_id) override;
  std::optional<Agent> patch(const std::string& account, const std::string& agent_id,
                             const AgentFields& fields) override;
  bool remove(const std::string& account, const std::string& agent_id) override;
  void touch(const std::string& account, const std::string& agent_id) override;

 private:
  std::optional<Agent> find(const std::string& stored, const std::string& agent_id);
  void insert(const std::string& stored, Agent& agent);  ///< sets agent.id
  void write_fields(const Agent& agent);

  std::shared_ptr<sqlite::Database> db_;
};

class SqliteWebhookStore final : public WebhookStore {
 public:
  explicit SqliteWebhookStore(std::shared_ptr<sqlite::Database> db) : db_(std::move(db)) {}
  void add(const std::string& account, const Webhook& hook) override;
  bool remove(const std::string& account, const std::string& webhook_id) override;
  std::vector<Webhook> subscribed(const std::string& account, const std::string& event) override;

 private:
  std::shared_ptr<sqlite::Database> db_;
};

}  // namespace snapstate::devserver
