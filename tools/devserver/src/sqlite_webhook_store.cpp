#include "js_stringify.hpp"
#include "sqlite_stores.hpp"

namespace snapstate::devserver {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

std::string events_text(const std::vector<std::string>& events) {
  json::Value list = json::Value::array();
  for (const auto& e : events) list.push(json::Value::from_string(e));
  return json::stringify(list);
}

std::vector<std::string> events_of(const sqlite::Database& db, const std::string& text) {
  std::vector<std::string> events;
  for (const auto& e : stored_json(db, text).items) events.push_back(e.text);
  return events;
}

}  // namespace

void SqliteWebhookStore::add(const std::string& account, const Webhook& hook) {
  Transaction tx(*db_, Transaction::Kind::write);
  Statement(*db_,
            "INSERT INTO webhooks (webhook_id, account, url, events, secret, created_ms) VALUES "
            "(?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(1, hook.webhook_id)
      .bind(2, stored_account(account))
      .bind(3, hook.url)
      .bind(4, events_text(hook.events))
      .bind(5, hook.secret)
      .bind(6, hook.created_ms)
      .step();
  tx.commit();
}

bool SqliteWebhookStore::remove(const std::string& account, const std::string& webhook_id) {
  return delete_row(*db_, "DELETE FROM webhooks WHERE account = ?1 AND webhook_id = ?2", account,
                    webhook_id);
}

std::vector<Webhook> SqliteWebhookStore::subscribed(const std::string& account,
                                                    const std::string& event) {
  Transaction tx(*db_, Transaction::Kind::read);
  Statement rows(*db_,
                 "SELECT webhook_id, url, events, secret, created_ms FROM webhooks WHERE account = "
                 "?1 ORDER BY webhook_id");
  rows.bind(1, stored_account(account));
  std::vector<Webhook> out;
  while (rows.step()) {
    Webhook hook{rows.text(0), rows.text(1), events_of(*db_, rows.text(2)), rows.optional_text(3),
                 rows.int64(4)};
    if (subscribes(hook, event)) out.push_back(std::move(hook));
  }
  return out;
}

}  // namespace snapstate::devserver
