#include "clock.hpp"
#include "js_stringify.hpp"
#include "sqlite_stores.hpp"

namespace snapstate::devserver {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

// The columns read_agent() reads, in its order.
const std::string kAgent =
    "SELECT id, agent_id, name, description, capabilities, metadata, last_seen_ms, created_ms "
    "FROM agents";

// The four JSON fields are stored as json::stringify text, which parses back to the same value.
Agent read_agent(const sqlite::Database& db, const Statement& row) {
  Agent a;
  a.id = row.int64(0);
  a.agent_id = row.text(1);
  a.name = stored_json(db, row.text(2));
  a.description = stored_json(db, row.text(3));
  a.capabilities = stored_json(db, row.text(4));
  a.metadata = stored_json(db, row.text(5));
  a.last_seen_ms = row.optional_int64(6);
  a.created_ms = row.int64(7);
  return a;
}

// Binds name, description, capabilities and metadata at `first` and the three after it.
Statement& bind_fields(Statement& statement, int first, const Agent& a) {
  return statement.bind(first, json::stringify(a.name))
      .bind(first + 1, json::stringify(a.description))
      .bind(first + 2, json::stringify(a.capabilities))
      .bind(first + 3, json::stringify(a.metadata));
}

}  // namespace

std::optional<Agent> SqliteAgentStore::find(const std::string& stored,
                                            const std::string& agent_id) {
  Statement row(*db_, kAgent + " WHERE account = ?1 AND agent_id = ?2");
  row.bind(1, stored).bind(2, agent_id);
  if (!row.step()) return std::nullopt;
  return read_agent(*db_, row);
}

void SqliteAgentStore::write_fields(const Agent& a) {
  Statement update(*db_,
                   "UPDATE agents SET name = ?1, description = ?2, capabilities = ?3, "
                   "metadata = ?4 WHERE id = ?5");
  bind_fields(update, 1, a).bind(5, a.id).step();
}

void SqliteAgentStore::insert(const std::string& stored, Agent& a) {
  // The serial id is the row's: AUTOINCREMENT never hands out a deleted agent's id again.
  Statement insert(*db_,
                   "INSERT INTO agents (account, agent_id, name, description, capabilities, "
                   "metadata, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  bind_fields(insert.bind(1, stored).bind(2, a.agent_id), 3, a).bind(7, a.created_ms).step();
  a.id = db_->last_insert_id();
}

std::optional<Agent> SqliteAgentStore::upsert(const std::string& account,
                                              const std::string& agent_id,
                                              const AgentFields& fields) {
  const std::string stored = stored_account(account);
  Transaction tx(*db_, Transaction::Kind::write);
  std::optional<Agent> agent = find(stored, agent_id);
  if (agent) {
    apply_fields(*agent, fields, true);
    write_fields(*agent);
  } else {
    Statement count(*db_, "SELECT count(*) FROM agents WHERE account = ?1");
    count.bind(1, stored).step();
    if (count.int64(0) >= static_cast<std::int64_t>(kMaxAgents)) return std::nullopt;
    agent.emplace();
    agent->agent_id = agent_id;
    agent->created_ms = now_ms();
    apply_fields(*agent, fields, true);
    insert(stored, *agent);
  }
  tx.commit();
  return agent;
}

std::vector<Agent> SqliteAgentStore::list(const std::string& account) {
  std::vector<Agent> out;
  {
    Transaction tx(*db_, Transaction::Kind::read);
    Statement rows(*db_, kAgent + " WHERE account = ?1");
    rows.bind(1, stored_account(account));
    while (rows.step()) out.push_back(read_agent(*db_, rows));
  }
  sort_for_listing(out);
  return out;
}

std::optional<Agent> SqliteAgentStore::get(const std::string& account,
                                           const std::string& agent_id) {
  Transaction tx(*db_, Transaction::Kind::read);
  return find(stored_account(account), agent_id);
}

std::optional<Agent> SqliteAgentStore::patch(const std::string& account,
                                             const std::string& agent_id,
                                             const AgentFields& fields) {
  Transaction tx(*db_, Transaction::Kind::write);
  std::optional<Agent> agent = find(stored_account(account), agent_id);
  if (!agent) return std::nullopt;
  apply_fields(*agent, fields, false);
  write_fields(*agent);
  tx.commit();
  return agent;
}

bool SqliteAgentStore::remove(const std::string& account, const std::string& agent_id) {
  return delete_row(*db_, "DELETE FROM agents WHERE account = ?1 AND agent_id = ?2", account,
                    agent_id);
}

void SqliteAgentStore::touch(const std::string& account, const std::string& agent_id) {
  Transaction tx(*db_, Transaction::Kind::write);
  Statement(*db_, "UPDATE agents SET last_seen_ms = ?1 WHERE account = ?2 AND agent_id = ?3")
      .bind(1, now_ms())
      .bind(2, stored_account(account))
      .bind(3, agent_id)
      .step();
  tx.commit();
}

}  // namespace snapstate::devserver
