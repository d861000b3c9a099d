#include "sqlite_db.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace snapstate::devserver::sqlite {
namespace {

// Every string is a BLOB (see Statement), every time epoch milliseconds. A checkpoint's
// writes are rows of `checkpoints` in write order (id); a workflow's write log is its rows
// from first_write on while the workflow lives; a checkpoint id's live record is its newest
// row while that row lives.
constexpr const char* kSchema = R"sql(
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  checkpoint_id BLOB NOT NULL, workflow_id BLOB NOT NULL, step REAL NOT NULL, label BLOB,
  state BLOB NOT NULL, metadata BLOB, etag BLOB NOT NULL, created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL, diff BLOB NOT NULL, size_bytes INTEGER NOT NULL);
CREATE INDEX checkpoints_by_id ON checkpoints (checkpoint_id, id);
CREATE INDEX checkpoints_by_workflow ON checkpoints (workflow_id, id);
CREATE TABLE workflows (
  workflow_id BLOB PRIMARY KEY, first_write INTEGER NOT NULL, expires_ms INTEGER NOT NULL);
CREATE TABLE agents (
  id INTEGER PRIMARY KEY AUTOINCREMENT, account BLOB NOT NULL, agent_id BLOB NOT NULL,
  name BLOB NOT NULL, description BLOB NOT NULL, capabilities BLOB NOT NULL,
  metadata BLOB NOT NULL, last_seen_ms INTEGER, created_ms INTEGER NOT NULL,
  UNIQUE (account, agent_id));
CREATE TABLE webhooks (
  webhook_id BLOB PRIMARY KEY, account BLOB NOT NULL, url BLOB NOT NULL, events BLOB NOT NULL,
  secret BLOB, created_ms INTEGER NOT NULL);
CREATE INDEX webhooks_by_account ON webhooks (account, webhook_id);
)sql";

// The file holds webhook secrets: readable by its owner only. SQLite gives the -wal and
// -shm files the same mode.
void create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    throw std::runtime_error(path + ": cannot create the data file: " + std::strerror(errno));
  }
}

bool identity(const std::string& path, std::uint64_t& device, std::uint64_t& inode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  device = static_cast<std::uint64_t>(st.st_dev);
  inode = static_cast<std::uint64_t>(st.st_ino);
  return true;
}

}  // namespace

Statement::Statement(Database& db, const std::string& sql) : db_(db) {
  if (sqlite3_prepare_v2(db.db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) db.fail(sql);
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_.fail("bind");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) db_.fail("bind");
  return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
  // A zero-length blob needs a non-null pointer, or SQLite binds NULL.
  const char* data = value.empty() ? "" : value.data();
  if (sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT) != SQLITE_OK) {
    db_.fail("bind");
  }
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  if (value) return bind(index, *value);
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_.fail("bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail(sqlite3_sql(stmt_));
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  return data == nullptr ? std::string() : std::string(data, static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return text(column);
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return int64(column);
}

Database::Database(std::string path) : path_(std::move(path)) {
  create_private_file(path_);
  const int rc = sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw std::runtime_error(path_ + ": cannot open the data file: " + message);
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    // Another server on the same file holds the write lock for one save at a time.
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    use_wal();
    exec("PRAGMA synchronous=FULL");
    create_or_check_schema();
    if (!identity(path_, device_, inode_)) fail("stat");
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

void Database::use_wal() {
  // WAL is a property of the file: once set, there is nothing to convert. Converting needs the
  // file to itself, and SQLite answers "locked" at once instead of calling the busy handler,
  // so two servers opening a new file together take turns here.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  // A refused conversion is an error (SQLITE_BUSY) or an answer naming the old mode.
  while (single_text("PRAGMA journal_mode") != "wal") {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error(path_ + ": SQLite cannot use WAL mode on this file");
    }
    sqlite3_stmt* convert = nullptr;
    int rc = sqlite3_prepare_v2(db_, "PRAGMA journal_mode=WAL", -1, &convert, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(convert);
    const unsigned char* mode = rc == SQLITE_ROW ? sqlite3_column_text(convert, 0) : nullptr;
    const bool converted =
        mode != nullptr && std::strcmp(reinterpret_cast<const char*>(mode), "wal") == 0;
    sqlite3_finalize(convert);
    if (converted) return;
    if (rc != SQLITE_ROW && (rc & 0xff) != SQLITE_BUSY) fail("PRAGMA journal_mode=WAL");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Database::~Database() {
  sqlite3_close(db_);
}

void Database::create_or_check_schema() {
  Transaction tx(*this, Transaction::Kind::write);  // one process creates it, the others wait
  const std::string found = single_text("PRAGMA user_version");
  if (found == "0") {
    if (single_text("SELECT count(*) FROM sqlite_master") != "0") {
      throw std::runtime_error(path_ +
                               ": this SQLite file holds other data, not snapstate-devserver's");
    }
    exec(kSchema);
    exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
  } else if (found != std::to_string(kSchemaVersion)) {
    throw std::runtime_error(path_ + ": data of schema version " + found +
                             "; this snapstate-devserver reads version " +
                             std::to_string(kSchemaVersion));
  }
  tx.commit();
}

std::string Database::single_text(const std::string& sql) {
  Statement statement(*this, sql);
  if (!statement.step()) fail(sql);
  return statement.text(0);
}

std::int64_t Database::last_insert_id() const {
  return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const {
  return sqlite3_changes(db_);
}

bool Database::available() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  if (!identity(path_, device, inode) || device != device_ || inode != inode_) return false;
  sqlite3_stmt* probe = nullptr;
  bool ok = sqlite3_prepare_v2(db_, "SELECT count(*) FROM sqlite_master", -1, &probe, nullptr) ==
                SQLITE_OK &&
            sqlite3_step(probe) == SQLITE_ROW;
  sqlite3_finalize(probe);
  return ok;
}

void Database::exec(const std::string& sql) {
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
}

void Database::fail(const std::string& what) const {
  throw std::runtime_error(path_ + ": " + sqlite3_errmsg(db_) + " (in: " + what + ")");
}

Transaction::Transaction(Database& db, Kind kind) : db_(db), lock_(db.mutex_) {
  db_.exec(kind == Kind::write ? "BEGIN IMMEDIATE" : "BEGIN");
  open_ = true;
}

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace snapstate::devserver::sqlite
