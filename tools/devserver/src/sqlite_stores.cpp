// What the SQLite stores share.
#include "sqlite_stores.hpp"

#include <stdexcept>

#include "crypto.hpp"
#include "json_parse.hpp"

namespace snapstate::devserver {

std::string stored_account(const std::string& api_key) {
  return sha256_hex(api_key);
}

json::Value stored_json(const sqlite::Database& db, const std::string& text) {
  json::ParseResult parsed = json::parse(text);
  if (!parsed.ok) throw std::runtime_error(db.path() + ": a stored JSON value does not parse");
  return std::move(parsed.value);
}

bool delete_row(sqlite::Database& db, const std::string& sql, const std::string& account,
                const std::string& id) {
  sqlite::Transaction tx(db, sqlite::Transaction::Kind::write);
  sqlite::Statement(db, sql).bind(1, stored_account(account)).bind(2, id).step();
  const bool deleted = db.changes() > 0;
  tx.commit();
  return deleted;
}

}  // namespace snapstate::devserver
