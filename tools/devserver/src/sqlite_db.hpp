// The --data file: one SQLite connection (the C API), shared by the SQLite stores of one
// server. WAL mode, synchronous=FULL (a commit is on disk before it returns, so the answer
// that follows it can never be lost), a busy timeout for writers in other processes, and a
// schema version the server checks before it serves.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace snapstate::devserver::sqlite {

/// The schema this server writes; a file with another version is refused.
inline constexpr int kSchemaVersion = 1;

class Database;

/// One prepared statement. Strings are bound and read as blobs: the exact bytes, embedded
/// NULs and lone surrogates (WTF-8) included, compared byte by byte.
class Statement {
 public:
  Statement(Database& db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, const std::optional<std::string>& value);  ///< nullopt: NULL
  /// True while there is a row to read; false once the statement is done.
  /// @throws std::runtime_error on any SQLite error
  bool step();

  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  /// Opens (creating it, mode 0600, when missing) and checks or creates the schema.
  /// @throws std::runtime_error naming the file and what is wrong with it
  explicit Database(std::string path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& path() const { return path_; }
  std::int64_t last_insert_id() const;
  int changes() const;
  /// For /health: the file is still the one opened (not deleted or replaced) and answers.
  bool available();

 private:
  friend class Statement;
  friend class Transaction;

  /// Runs `sql` (no parameters, no rows). @throws std::runtime_error
  void exec(const std::string& sql);
  /// SQLite's message for the last error, with the file's name.
  [[noreturn]] void fail(const std::string& what) const;
  /// Puts the file in WAL mode (waiting up to kBusyTimeoutMs for another server converting it).
  void use_wal();
  void create_or_check_schema();
  /// The first column of the one row `sql` gives, as text.
  std::string single_text(const std::string& sql);

  static constexpr int kBusyTimeoutMs = 10000;

  std::string path_;
  sqlite3* db_ = nullptr;
  std::uint64_t device_ = 0, inode_ = 0;  // which file `path_` named when it was opened
  std::mutex mutex_;                      // one transaction at a time on the connection
};

/// A transaction holding the connection: BEGIN IMMEDIATE for writes (the file's write lock
/// is taken up front, so a read-then-write never deadlocks with another process), a plain
/// BEGIN for reads. Rolled back unless commit() is called.
class Transaction {
 public:
  enum class Kind { read, write };
  Transaction(Database& db, Kind kind);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Database& db_;
  std::unique_lock<std::mutex> lock_;
  bool open_ = false;
};

}  // namespace snapstate::devserver::sqlite
