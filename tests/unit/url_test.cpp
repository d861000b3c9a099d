// URL building: the base URL normalized, every id encoded as exactly one path segment.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "bodies.hpp"
#include "fake_transport.hpp"
#include "url.hpp"

namespace {

using nlohmann::json;
using snapstate::testing::FakeClient;

const std::string kE = "\xC3\xA9";  // é: two bytes, one character

TEST(BaseUrl, TrailingSlashesAreDroppedAndTheSchemeIsCaseInsensitive) {
  using snapstate::detail::normalize_base_url;
  EXPECT_EQ(normalize_base_url("http://h:3000/"), "http://h:3000");
  EXPECT_EQ(normalize_base_url("http://h///"), "http://h");
  EXPECT_EQ(normalize_base_url("HTTPS://h/api/v1/"), "HTTPS://h/api/v1");
  EXPECT_EQ(normalize_base_url("https://h"), "https://h");
}

TEST(BaseUrl, PathPrefixIsKeptInRequests) {
  auto o = FakeClient::default_options();
  o.base_url = "http://h/prefix/";
  FakeClient c(o);
  c.transport->push_fixture("61-health");
  c.impl.health();
  EXPECT_EQ(c.transport->requests().at(0).url, "http://h/prefix/health");
}

// ---- path segments --------------------------------------------------------------------------

TEST(EncodePathSegment, EscapesEverythingButUnreserved) {
  using snapstate::detail::encode_path_segment;
  EXPECT_EQ(encode_path_segment("a/b"), "a%2Fb");
  EXPECT_EQ(encode_path_segment("a b"), "a%20b");
  EXPECT_EQ(encode_path_segment("100%"), "100%25");
  EXPECT_EQ(encode_path_segment("a?b#c"), "a%3Fb%23c");
  EXPECT_EQ(encode_path_segment(kE), "%C3%A9");
  EXPECT_EQ(encode_path_segment("\xF0\x9F\x98\x80"), "%F0%9F%98%80");
  EXPECT_EQ(encode_path_segment("+&=;:@,"), "%2B%26%3D%3B%3A%40%2C");
  // Dot-only segments would be resolved as "." / ".." by URL normalization: encoded whole.
  EXPECT_EQ(encode_path_segment(".."), "%2E%2E");
  EXPECT_EQ(encode_path_segment("."), "%2E");
  EXPECT_EQ(encode_path_segment("a..b"), "a..b");
  EXPECT_EQ(encode_path_segment("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(encode_path_segment(std::string("\0\x7F", 2)), "%00%7F");
  EXPECT_EQ(encode_path_segment(""), "");
}

TEST(EncodePathSegment, EveryIdInAPathIsEncoded) {
  FakeClient c;
  auto checkpoint = nlohmann::json::parse(snapstate::testing::checkpoint_body("a/b?c", 1));
  checkpoint["checkpoint_id"] = "cp_a/b?c";
  c.transport->push(200, checkpoint.dump());
  c.transport->push(200, snapstate::testing::resume_body("w#1 %"));
  c.transport->push(200, snapstate::testing::empty_replay_body(kE + "/x"));
  c.transport->push(204, "");
  c.impl.get("cp_a/b?c");
  c.impl.resume("w#1 %");
  c.impl.replay(kE + "/x", {});
  c.impl.delete_webhook("..");
  const auto r = c.transport->requests();
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].url, "http://snapstate.test/checkpoints/cp_a%2Fb%3Fc");
  EXPECT_EQ(r[1].url, "http://snapstate.test/workflows/w%231%20%25/resume");
  EXPECT_EQ(r[2].url, "http://snapstate.test/workflows/%C3%A9%2Fx/replay");
  EXPECT_EQ(r[3].url, "http://snapstate.test/webhooks/%2E%2E");
}

}  // namespace
