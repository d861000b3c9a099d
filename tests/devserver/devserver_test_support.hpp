// Shared helpers for the dev server tests: an in-process server on port 0, a raw HTTP/1.1
// client (exact header names and order, 1xx interim responses, connection close), and a
// replayer for the recorded exchanges in fixtures/.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "snapstate/devserver/server.hpp"
#include "snapstate/net/socket.hpp"

namespace dstest {

using Headers = std::vector<std::pair<std::string, std::string>>;
using Json = nlohmann::ordered_json;

inline const std::string kKey1 = "snp_local_test_key_account1";
inline const std::string kKey2 = "snp_local_test_key_account2";

/// Where a test server keeps its data. The fidelity tests run once with each: the exchanges
/// must not depend on it.
enum class Storage { memory, sqlite };

/// Both storages, for INSTANTIATE_TEST_SUITE_P.
inline auto both_storages() {
  return ::testing::Values(Storage::memory, Storage::sqlite);
}

/// A path no file has yet, in a scratch directory of this test run (removed when it ends).
std::string fresh_data_path();

/// A server with the two fixture keys on a free port, already started; with Storage::sqlite
/// on a fresh data file (unless `options` names one).
std::unique_ptr<snapstate::devserver::Server> start_server(
    snapstate::devserver::ServerOptions options = {}, Storage storage = Storage::memory);

struct HttpResponse {
  int status = 0;
  std::vector<int> interim;  ///< 1xx statuses seen before this one
  Headers headers;           ///< as received
  std::string body;
  const std::string* header(const std::string& name) const;  ///< case-insensitive
  Json json() const { return Json::parse(body); }
};

class RawClient {
 public:
  explicit RawClient(int port);

  /// Sends bytes; false if the peer closed or reset.
  bool send(const std::string& bytes);
  HttpResponse read_response(bool head_request = false);
  /// True if the server closes the connection within the timeout.
  bool closed_by_peer(int timeout_ms = 3000);
  HttpResponse request(const std::string& method, const std::string& target, Headers headers = {},
                       std::optional<std::string> body = std::nullopt);
  int port() const { return port_; }

 private:
  bool fill(int timeout_ms);
  snapstate::net::Fd fd_;
  int port_;
  std::string buf_;
};

Headers auth(const std::string& key = kKey1);
Headers json_auth(const std::string& key = kKey1);

/// One recorded exchange from fixtures/NAME.txt.
struct Fixture {
  std::string name;
  std::string method;
  std::string target;
  Headers request_headers;  ///< without Host
  std::optional<std::string> request_body;
  int status = 0;
  Headers response_headers;
  std::string response_body;
};
Fixture load_fixture(const std::string& name);

/// Compares JSON values: same members in the same order, same types, same values, except
/// that members named in `loose` only need the same type (ids, times).
void expect_like(const Json& expected, const Json& actual, const std::set<std::string>& loose,
                 const std::string& where);

/// Replays recorded exchanges in order against one server and checks each response against
/// the recording: status, header names and order, x-request-id, and the JSON body.
class Replayer {
 public:
  explicit Replayer(int port) : port_(port) {}
  HttpResponse replay(const std::string& name);
  /// Ids the server generated for ids in the recording (webhook ids), applied to later requests.
  std::map<std::string, std::string> substitutions;

 private:
  int port_;
};

std::string hmac_sha256_hex(const std::string& key, const std::string& data);
std::string sha256_hex(const std::string& data);
bool is_uuid_v4(const std::string& s);
/// Epoch milliseconds of "2026-11-30T04:30:41.074Z".
std::int64_t iso_ms(const std::string& iso);

}  // namespace dstest
