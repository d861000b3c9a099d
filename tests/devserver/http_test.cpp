// HTTP framing: the 1 MiB body limit (413, then the connection closes), 204 and HEAD framing,
// keep-alive, request ids, and what a real libcurl client sees.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include "devserver_test_support.hpp"

namespace dstest {
namespace {

std::string big_body(std::size_t state_blob, int step = 1) {
  return R"({"workflow_id":"rs-big","step":)" + std::to_string(step) + R"(,"state":{"blob":")" +
         std::string(state_blob, 'x') + "\"}}";
}

class Http : public ::testing::TestWithParam<Storage> {
 protected:
  std::unique_ptr<snapstate::devserver::Server> server = start_server({}, GetParam());

  std::string head(const std::string& target, std::size_t length, Headers extra) {
    std::string h = "POST " + target + " HTTP/1.1\r\nHost: x\r\n";
    for (const auto& [n, v] : extra) h += n + ": " + v + "\r\n";
    return h + "Content-Length: " + std::to_string(length) + "\r\n\r\n";
  }
  void expect_body_limit_413(const HttpResponse& r, const std::string& fixture) {
    EXPECT_EQ(413, r.status);
    ASSERT_FALSE(r.headers.empty());
    EXPECT_EQ("connection", r.headers[0].first);
    EXPECT_EQ("close", r.headers[0].second);
    expect_like(Json::parse(load_fixture(fixture).response_body), r.json(), {}, fixture);
  }
};

TEST_P(Http, OversizedBodyWithExpectGets413BeforeSendingIt) {
  // 24: curl's default Expect: 100-continue. Node answers 100 first, then the 413.
  const std::string body = big_body(1048577);
  RawClient c(server->port());
  c.send(head("/checkpoints", body.size(),
              {{"Authorization", "Bearer " + kKey1},
               {"Content-Type", "application/json"},
               {"Expect", "100-continue"}}));
  HttpResponse r = c.read_response();
  EXPECT_EQ(std::vector<int>{100}, r.interim);
  expect_body_limit_413(r, "24-post-state-over-1mib");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_P(Http, OversizedBodyWithoutExpectGets413AndTheConnectionCloses) {
  // 24b and 24e (no auth: the body limit comes first), sending the whole body regardless.
  for (bool with_auth : {true, false}) {
    const std::string body = big_body(1048577);
    Headers h = {{"Content-Type", "application/json"}};
    if (with_auth) h.emplace_back("Authorization", "Bearer " + kKey1);
    RawClient c(server->port());
    c.send(head("/checkpoints", body.size(), h) + body);
    HttpResponse r = c.read_response();
    EXPECT_TRUE(r.interim.empty());
    expect_body_limit_413(
        r, with_auth ? "24b-post-state-over-1mib-no-expect" : "24e-post-over-1mib-no-auth");
    EXPECT_TRUE(c.closed_by_peer());
  }
}

TEST_P(Http, BodyOverTheLimitIsRefusedFromContentLengthAlone) {
  // 24f: 20 MiB announced, only headers sent: the 413 arrives without the body being read.
  RawClient c(server->port());
  c.send(head("/checkpoints", 20971573, {{"Content-Type", "application/json"}}));
  expect_body_limit_413(c.read_response(), "24f-post-20mib-body");
  EXPECT_TRUE(c.closed_by_peer());
  // 24c: the state alone is under 1 MiB but the envelope pushes the body over.
  const std::string body = big_body(1048556, 2);
  ASSERT_GT(body.size(), 1048576u);
  RawClient c2(server->port());
  c2.send(head("/checkpoints", body.size(), {{"Content-Type", "application/json"}}) + body);
  expect_body_limit_413(c2.read_response(), "24c-post-state-under-1mib-body-over");
  // Exactly 1 MiB of body is accepted (the state is then checked by the route).
  const std::string edge = big_body(1048576 - big_body(0).size());
  ASSERT_EQ(1048576u, edge.size());
  EXPECT_EQ(201,
            RawClient(server->port()).request("POST", "/checkpoints", json_auth(), edge).status);
}

TEST_P(Http, ChunkedBodiesCountTowardsTheLimit) {
  RawClient c(server->port());
  std::string req =
      "POST /checkpoints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(512 * 1024, 'x');
  for (int i = 0; i < 3; ++i) req += "80000\r\n" + chunk + "\r\n";
  c.send(req);
  EXPECT_EQ(413, c.read_response().status);
  EXPECT_TRUE(c.closed_by_peer());
  // A small chunked body is parsed normally.
  RawClient ok(server->port());
  const std::string json = R"({"workflow_id":"chunky","step":1,"state":{}})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", json.size());
  ok.send("POST /checkpoints HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kKey1 +
          "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + size +
          "\r\n" + json + "\r\n0\r\n\r\n");
  EXPECT_EQ(201, ok.read_response().status);
}

TEST_P(Http, StateThatExpandsOverTheLimitIsTheRoutes413) {
  // 24d: 1e20 re-serializes as 100000000000000000000, so the state grows past 1 MiB.
  std::string body = R"({"workflow_id":"rs-big","step":3,"state":{"n":[)";
  for (int i = 0; i < 199990; ++i) body += (i ? ",1e20" : "1e20");
  body += "]}}";
  ASSERT_LT(body.size(), 1048576u);
  RawClient c(server->port());
  HttpResponse r = c.request("POST", "/checkpoints", json_auth(), body);
  EXPECT_EQ(413, r.status);
  EXPECT_EQ(Json::parse(load_fixture("24d-post-state-expands-over-1mib").response_body), r.json());
  EXPECT_EQ(200, c.request("GET", "/ready").status);  // the connection stays usable
}

TEST_P(Http, KeepAliveAndNoContentFraming) {
  RawClient c(server->port());
  HttpResponse created = c.request("POST", "/agents", json_auth(), R"({"agent_id":"gone"})");
  EXPECT_EQ(201, created.status);
  EXPECT_EQ("keep-alive", *created.header("Connection"));
  EXPECT_EQ("timeout=72", *created.header("Keep-Alive"));
  HttpResponse deleted = c.request("DELETE", "/agents/gone", auth());
  EXPECT_EQ(204, deleted.status);
  EXPECT_EQ(nullptr, deleted.header("content-length"));
  EXPECT_EQ(nullptr, deleted.header("content-type"));
  ASSERT_FALSE(deleted.headers.empty());
  EXPECT_EQ("x-request-id", deleted.headers[0].first);
  // The next response on the same connection proves no stray body bytes followed the 204.
  EXPECT_EQ(404, c.request("GET", "/agents/gone", auth()).status);
  // A body sent to a route that ignores it is skipped, and the connection stays in sync.
  EXPECT_EQ(200, c.request("GET", "/ready", {{"Content-Type", "text/plain"}}, "ignored").status);
  EXPECT_EQ(200, c.request("GET", "/health").status);
}

TEST_P(Http, RequestIdIsEchoedOnlyFromRequestId) {
  RawClient c(server->port());
  EXPECT_EQ("trace-1",
            *c.request("GET", "/nope", {{"Request-Id", "trace-1"}}).header("x-request-id"));
  const std::string generated =
      *c.request("GET", "/nope", {{"X-Request-Id", "mine"}}).header("x-request-id");
  EXPECT_TRUE(is_uuid_v4(generated)) << generated;
  EXPECT_EQ("trace-2",
            *c.request("POST", "/checkpoints",
                       {{"Request-Id", "trace-2"}, {"Content-Type", "application/json"}}, "{")
                 .header("x-request-id"));
}

TEST_P(Http, MalformedRequestsAreRefused) {
  RawClient c(server->port());
  c.send("NOT A REQUEST\r\n\r\n");
  EXPECT_EQ(400, c.read_response().status);
  EXPECT_TRUE(c.closed_by_peer());
  RawClient big(server->port());
  big.send("GET /health HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_EQ(431, big.read_response().status);
}

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

TEST_P(Http, LibcurlSees413NotAReset) {
  for (const char* expect : {"Expect: 100-continue", "Expect:"}) {
    for (std::size_t blob : {std::size_t{1048577}, std::size_t{20} << 20}) {
      SCOPED_TRACE(std::string(expect) + " " + std::to_string(blob));
      const std::string body = big_body(blob);
      CURL* curl = curl_easy_init();
      ASSERT_NE(nullptr, curl);
      curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
      headers = curl_slist_append(headers, ("Authorization: Bearer " + kKey1).c_str());
      headers = curl_slist_append(headers, expect);
      std::string response;
      const std::string url = server->base_url() + "/checkpoints";
      curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
      curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
      curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
      curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
      const CURLcode rc = curl_easy_perform(curl);
      long status = 0;
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
      curl_slist_free_all(headers);
      curl_easy_cleanup(curl);
      EXPECT_EQ(CURLE_OK, rc) << curl_easy_strerror(rc);
      EXPECT_EQ(413, status);
      EXPECT_NE(std::string::npos, response.find("FST_ERR_CTP_BODY_TOO_LARGE")) << response;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Storage, Http, both_storages());

}  // namespace
}  // namespace dstest
