#include "devserver_test_support.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

namespace dstest {
namespace {

bool iequals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string hex(const unsigned char* d, std::size_t n) {
  static const char* const k = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += k[d[i] >> 4];
    out += k[d[i] & 0xF];
  }
  return out;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

Headers parse_header_lines(std::istringstream& in) {
  Headers h;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    auto colon = line.find(':');
    std::string value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    h.emplace_back(line.substr(0, colon), value);
  }
  return h;
}

std::string rest(std::istringstream& in) {
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

// A directory for this process's data files, removed when the process ends.
class ScratchDir {
 public:
  ScratchDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                          "/snapstate-devserver-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

std::string fresh_data_path() {
  static ScratchDir dir;
  static std::atomic<int> next{0};
  return dir.path() + "/data-" + std::to_string(++next) + ".db";
}

std::unique_ptr<snapstate::devserver::Server> start_server(snapstate::devserver::ServerOptions o,
                                                           Storage storage) {
  o.port = 0;
  if (o.api_keys.empty()) o.api_keys = {kKey1, kKey2};
  if (storage == Storage::sqlite && o.data_path.empty()) o.data_path = fresh_data_path();
  auto s = std::make_unique<snapstate::devserver::Server>(o);
  s->start();
  return s;
}

const std::string* HttpResponse::header(const std::string& name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return &v;
  }
  return nullptr;
}

RawClient::RawClient(int port) : fd_(snapstate::net::connect_tcp("127.0.0.1", port)), port_(port) {}

bool RawClient::send(const std::string& bytes) {
  return snapstate::net::send_all(fd_.get(), bytes);
}

bool RawClient::fill(int timeout_ms) {
  return static_cast<bool>(
      snapstate::net::recv_some(fd_.get(), buf_, std::chrono::milliseconds(timeout_ms)));
}

bool RawClient::closed_by_peer(int timeout_ms) {
  char discarded[65536];
  for (;;) {
    const auto got = snapstate::net::recv_some(fd_.get(), discarded, sizeof discarded,
                                               std::chrono::milliseconds(timeout_ms));
    if (got.status == snapstate::net::Received::Status::timed_out) return false;
    if (!got) return true;
  }
}

HttpResponse RawClient::read_response(bool head_request) {
  HttpResponse r;
  while (true) {
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(10000)) throw std::runtime_error("no response head");
    }
    std::istringstream head(buf_.substr(0, end + 2));
    buf_.erase(0, end + 4);
    std::string status_line;
    std::getline(head, status_line);
    const int status = std::stoi(status_line.substr(9, 3));
    Headers h = parse_header_lines(head);
    if (status >= 100 && status < 200) {
      r.interim.push_back(status);
      continue;
    }
    r.status = status;
    r.headers = std::move(h);
    break;
  }
  if (head_request || r.status == 204) return r;
  if (const std::string* cl = r.header("content-length")) {
    const std::size_t n = std::stoul(*cl);
    while (buf_.size() < n) {
      if (!fill(10000)) throw std::runtime_error("short body");
    }
    r.body = buf_.substr(0, n);
    buf_.erase(0, n);
  }
  return r;
}

HttpResponse RawClient::request(const std::string& method, const std::string& target,
                                Headers headers, std::optional<std::string> body) {
  std::string req =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  bool has_length = false;
  for (const auto& [n, v] : headers) {
    has_length = has_length || iequals(n, "content-length");
    req += n + ": " + v + "\r\n";
  }
  if (body && !has_length) req += "Content-Length: " + std::to_string(body->size()) + "\r\n";
  req += "\r\n";
  if (body) req += *body;
  if (!send(req)) throw std::runtime_error("send failed");
  return read_response(method == "HEAD");
}

Headers auth(const std::string& key) {
  return {{"Authorization", "Bearer " + key}};
}

Headers json_auth(const std::string& key) {
  return {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
}

Fixture load_fixture(const std::string& name) {
  std::ifstream in(std::string(SNAPSTATE_DEVSERVER_FIXTURES) + "/" + name + ".txt",
                   std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t req_at = text.find("### REQUEST");
  const std::size_t resp_at = text.find("### RESPONSE");
  Fixture f;
  f.name = name;
  {
    std::istringstream req(
        text.substr(text.find('\n', req_at) + 1, resp_at - text.find('\n', req_at) - 1));
    std::string line;
    std::getline(req, line);
    std::istringstream rl(line);
    rl >> f.method >> f.target;
    for (auto& h : parse_header_lines(req)) {
      if (!iequals(h.first, "host")) f.request_headers.push_back(h);
    }
    std::string body = rest(req);
    if (body != "<no request body>") f.request_body = body;
  }
  std::istringstream resp(text.substr(text.find('\n', resp_at) + 1));
  std::string line;
  do {
    std::getline(resp, line);
    f.status = std::stoi(line.substr(9, 3));
    if (f.status == 100) parse_header_lines(resp);
  } while (f.status == 100);
  f.response_headers = parse_header_lines(resp);
  f.response_body = rest(resp);
  return f;
}

void expect_like(const Json& expected, const Json& actual, const std::set<std::string>& loose,
                 const std::string& where) {
  const bool same_kind =
      expected.type() == actual.type() || (expected.is_number() && actual.is_number());
  ASSERT_TRUE(same_kind) << where << ": expected " << expected.dump() << ", got " << actual.dump();
  if (expected.is_object()) {
    std::vector<std::string> ek;
    std::vector<std::string> ak;
    for (auto it = expected.begin(); it != expected.end(); ++it) ek.push_back(it.key());
    for (auto it = actual.begin(); it != actual.end(); ++it) ak.push_back(it.key());
    ASSERT_EQ(ek, ak) << where << ": members differ in " << actual.dump();
    for (const auto& k : ek) {
      if (loose.count(k) != 0) {
        EXPECT_EQ(expected[k].type(), actual[k].type()) << where << "." << k;
      } else {
        expect_like(expected[k], actual[k], loose, where + "." + k);
      }
    }
  } else if (expected.is_array()) {
    ASSERT_EQ(expected.size(), actual.size()) << where << ": " << actual.dump();
    for (std::size_t i = 0; i < expected.size(); ++i) {
      expect_like(expected[i], actual[i], loose, where + "[" + std::to_string(i) + "]");
    }
  } else if (expected.is_number()) {
    EXPECT_EQ(expected.get<double>(), actual.get<double>()) << where;
  } else {
    EXPECT_EQ(expected, actual) << where;
  }
}

HttpResponse Replayer::replay(const std::string& name) {
  Fixture f = load_fixture(name);
  auto substitute = [this](std::string s) {
    for (const auto& [from, to] : substitutions) replace_all(s, from, to);
    return s;
  };
  Headers headers;
  for (auto [n, v] : f.request_headers) {
    if (iequals(n, "content-length") && f.request_body)
      v = std::to_string(substitute(*f.request_body).size());
    headers.emplace_back(n, v);
  }
  std::optional<std::string> body;
  if (f.request_body) body = substitute(*f.request_body);
  RawClient client(port_);
  HttpResponse r = client.request(f.method, substitute(f.target), headers, body);

  EXPECT_EQ(f.status, r.status) << name << ": " << r.body;
  // Header names, spelling and order, Node's Date/Connection/Keep-Alive aside.
  auto names = [](const Headers& h) {
    std::vector<std::string> out;
    for (const auto& [n, v] : h) {
      if (n != "Date" && n != "Connection" && n != "Keep-Alive") out.push_back(n);
    }
    return out;
  };
  EXPECT_EQ(names(f.response_headers), names(r.headers)) << name;
  if (const std::string* id = r.header("x-request-id")) {
    const std::string* sent = nullptr;
    for (const auto& [n, v] : f.request_headers) {
      if (iequals(n, "request-id")) sent = &v;
    }
    if (sent != nullptr) {
      EXPECT_EQ(*sent, *id) << name;
    } else {
      EXPECT_TRUE(is_uuid_v4(*id)) << name << ": " << *id;
    }
  }
  if (!f.response_body.empty() && f.method != "HEAD") {
    const Json expected = Json::parse(substitute(f.response_body));
    Json actual;
    try {
      actual = Json::parse(r.body);
    } catch (const std::exception&) {
      ADD_FAILURE() << name << ": not JSON: " << r.body;
      return r;
    }
    expect_like(expected, actual,
                {"created_at", "expires_at", "timestamp", "workflow_started_at", "last_activity_at",
                 "last_seen_at", "uptime_seconds", "id", "webhook_id"},
                name);
    if (expected.is_object() && expected.contains("webhook_id") && actual.contains("webhook_id")) {
      substitutions[expected["webhook_id"].get<std::string>()] =
          actual["webhook_id"].get<std::string>();
    }
  } else {
    EXPECT_TRUE(r.body.empty()) << name << ": " << r.body;
  }
  return r;
}

std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &len);
  return hex(digest, len);
}

std::string sha256_hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return hex(digest, sizeof digest);
}

bool is_uuid_v4(const std::string& s) {
  static const std::regex re(
      "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  return std::regex_match(s, re);
}

std::int64_t iso_ms(const std::string& iso) {
  std::tm tm{};
  int ms = 0;
  std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
              &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000 + ms;
}

}  // namespace dstest
