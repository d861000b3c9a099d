// Client-side checks (API.md "Client-side checks"): each refusal is a ValidationError with
// status 0 and nothing on the wire; the boundaries themselves are sent; the 1 MiB state limit.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "bodies.hpp"
#include "fake_transport.hpp"
#include "param_name.hpp"
#include "snapstate/client.hpp"
#include "url.hpp"
#include "utf8.hpp"
#include "validation.hpp"

namespace {

using nlohmann::json;
using snapstate::detail::ClientImpl;
using snapstate::testing::FakeClient;

std::string repeat(const std::string& unit, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

const std::string kE = "\xC3\xA9";  // é: two bytes, one character

snapstate::SaveOptions with_label(std::string label) {
  snapstate::SaveOptions o;
  o.label = std::move(label);
  return o;
}
snapstate::SaveOptions with_agent(std::string agent_id) {
  snapstate::SaveOptions o;
  o.agent_id = std::move(agent_id);
  return o;
}
snapstate::SaveOptions with_ttl(std::int64_t ttl) {
  snapstate::SaveOptions o;
  o.ttl_seconds = ttl;
  return o;
}
snapstate::SaveOptions with_if_match(std::string value) {
  snapstate::SaveOptions o;
  o.if_match = std::move(value);
  return o;
}
snapstate::SaveOptions with_metadata(json metadata) {
  snapstate::SaveOptions o;
  o.metadata = std::move(metadata);
  return o;
}
snapstate::ReplayOptions replay_options(std::optional<std::int64_t> from,
                                        std::optional<std::int64_t> to,
                                        std::optional<std::int64_t> limit) {
  snapstate::ReplayOptions o;
  o.from_step = from;
  o.to_step = to;
  o.limit = limit;
  return o;
}

// ---- refused before sending -----------------------------------------------------------------

struct Refusal {
  const char* name;
  std::function<void(ClientImpl&)> call;
  const char* code;
};

class ClientSideRefusal : public ::testing::TestWithParam<Refusal> {};

TEST_P(ClientSideRefusal, ThrowsValidationErrorWithStatusZeroAndSendsNothing) {
  FakeClient c;
  try {
    GetParam().call(c.impl);
    FAIL() << "accepted";
  } catch (const snapstate::ValidationError& e) {
    EXPECT_EQ(e.status_code(), 0);
    EXPECT_EQ(e.code(), GetParam().code);
    EXPECT_EQ(e.request_id(), "");
  }
  EXPECT_EQ(c.transport->request_count(), 0u);
}

std::vector<Refusal> refusals() {
  const json empty = json::object();
  auto save = [empty](std::string wf, std::int64_t step = 1, json state = json::object(),
                      snapstate::SaveOptions o = {}) {
    return [=](ClientImpl& c) { c.save(wf, step, state, o); };
  };
  auto save_with = [save](snapstate::SaveOptions o) { return save("wf", 1, json::object(), o); };
  auto agent_update = [] {
    snapstate::AgentUpdate u;
    u.description = "d";
    return u;
  };
  auto register_hook = [](std::string url, std::vector<std::string> events,
                          std::optional<std::string> secret = std::nullopt) {
    return [=](ClientImpl& c) { c.register_webhook(url, events, secret); };
  };
  const std::vector<std::string> saved = {"checkpoint.saved"};
  return {
      {"EmptyWorkflowId", save(""), "INVALID_WORKFLOW_ID"},
      {"WorkflowId129Ascii", save(std::string(129, 'a')), "INVALID_WORKFLOW_ID"},
      {"WorkflowId129CodePoints", save(repeat(kE, 129)), "INVALID_WORKFLOW_ID"},
      {"WorkflowIdInvalidUtf8", save("wf\xFF"), "INVALID_WORKFLOW_ID"},
      {"WorkflowIdTruncatedUtf8", save("wf\xC3"), "INVALID_WORKFLOW_ID"},
      {"WorkflowIdOverlongUtf8", save("\xC0\xAF"), "INVALID_WORKFLOW_ID"},
      {"WorkflowIdSurrogate", save("\xED\xA0\x80"), "INVALID_WORKFLOW_ID"},
      {"NegativeStep", save("wf", -1), "INVALID_STEP"},
      {"StepPastMaxSafeInteger", save("wf", 9007199254740992), "INVALID_STEP"},
      {"StateArray", save("wf", 1, json::array({1})), "INVALID_STATE"},
      {"StateNull", save("wf", 1, json(nullptr)), "INVALID_STATE"},
      {"StateString", save("wf", 1, json("x")), "INVALID_STATE"},
      {"MetadataArray", save_with(with_metadata(json::array())), "INVALID_METADATA"},
      {"MetadataNull", save_with(with_metadata(json(nullptr))), "INVALID_METADATA"},
      {"Label257CodePoints", save_with(with_label(repeat(kE, 257))), "INVALID_LABEL"},
      {"LabelInvalidUtf8", save_with(with_label("\x80")), "INVALID_LABEL"},
      {"AgentTag256", save_with(with_agent(std::string(256, 'a'))), "INVALID_AGENT_ID"},
      {"AgentTagInvalidUtf8", save_with(with_agent("\xFE")), "INVALID_AGENT_ID"},
      {"TtlZero", save_with(with_ttl(0)), "INVALID_TTL"},
      {"TtlNegative", save_with(with_ttl(-5)), "INVALID_TTL"},
      {"IfMatchCr", save_with(with_if_match("\"a\"\rX: y")), "INVALID_IF_MATCH"},
      {"IfMatchLf", save_with(with_if_match("\"a\"\nX: y")), "INVALID_IF_MATCH"},
      {"IfMatchNul", save_with(with_if_match(std::string("\"a\"\0b", 5))), "INVALID_IF_MATCH"},
      {"IfMatchInvalidUtf8", save_with(with_if_match("\xFF")), "INVALID_IF_MATCH"},
      {"EmptyCheckpointId", [](ClientImpl& c) { c.get(""); }, "INVALID_CHECKPOINT_ID"},
      {"CheckpointIdInvalidUtf8", [](ClientImpl& c) { c.get("cp_\xFF"); }, "INVALID_CHECKPOINT_ID"},
      {"ResumeEmptyWorkflowId", [](ClientImpl& c) { c.resume(""); }, "INVALID_WORKFLOW_ID"},
      {"ResumeWorkflowIdTooLong", [](ClientImpl& c) { c.resume(std::string(129, 'x')); },
       "INVALID_WORKFLOW_ID"},
      {"ReplayInvalidUtf8", [](ClientImpl& c) { c.replay("\xFF", {}); }, "INVALID_WORKFLOW_ID"},
      {"ReplayNegativeFrom", [](ClientImpl& c) { c.replay("wf", replay_options(-1, {}, {})); },
       "INVALID_REPLAY_OPTIONS"},
      {"ReplayNegativeTo", [](ClientImpl& c) { c.replay("wf", replay_options({}, -1, {})); },
       "INVALID_REPLAY_OPTIONS"},
      {"ReplayLimitZero", [](ClientImpl& c) { c.replay("wf", replay_options({}, {}, 0)); },
       "INVALID_REPLAY_OPTIONS"},
      {"ReplayLimit1001", [](ClientImpl& c) { c.replay("wf", replay_options({}, {}, 1001)); },
       "INVALID_REPLAY_OPTIONS"},
      {"RegisterAgentEmptyId", [](ClientImpl& c) { c.register_agent("", "n", {}); },
       "INVALID_AGENT_ID"},
      {"RegisterAgentIdWithSpace", [](ClientImpl& c) { c.register_agent("a b", "n", {}); },
       "INVALID_AGENT_ID"},
      {"RegisterAgentIdNonAscii", [](ClientImpl& c) { c.register_agent("agent-" + kE, "n", {}); },
       "INVALID_AGENT_ID"},
      {"RegisterAgentId256",
       [](ClientImpl& c) { c.register_agent(std::string(256, 'a'), "n", {}); }, "INVALID_AGENT_ID"},
      {"RegisterAgentNameInvalidUtf8", [](ClientImpl& c) { c.register_agent("a", "\xFF", {}); },
       "INVALID_UTF8"},
      {"RegisterAgentMetadataNotObject",
       [](ClientImpl& c) {
         snapstate::AgentOptions o;
         o.metadata = json::array();
         c.register_agent("a", "n", o);
       },
       "INVALID_METADATA"},
      {"GetAgentSlash", [](ClientImpl& c) { c.get_agent("a/b"); }, "INVALID_AGENT_ID"},
      {"UpdateAgentDot", [agent_update](ClientImpl& c) { c.update_agent("a.b", agent_update()); },
       "INVALID_AGENT_ID"},
      {"UpdateAgentNothingToChange", [](ClientImpl& c) { c.update_agent("a", {}); },
       "NO_UPDATE_FIELDS"},
      {"DeleteAgentEmpty", [](ClientImpl& c) { c.delete_agent(""); }, "INVALID_AGENT_ID"},
      {"WebhookFtpUrl", register_hook("ftp://h/x", saved), "INVALID_URL"},
      {"WebhookRelativeUrl", register_hook("/hook", saved), "INVALID_URL"},
      {"WebhookUrlTooLong", register_hook("http://h/" + std::string(2040, 'p'), saved),
       "INVALID_URL"},
      {"WebhookNoEvents", register_hook("http://h/x", {}), "INVALID_EVENTS"},
      {"WebhookUnknownEvent",
       register_hook("http://h/x", {"checkpoint.saved", "checkpoint.deleted"}), "INVALID_EVENTS"},
      {"WebhookSecret257", register_hook("http://h/x", saved, std::string(257, 's')),
       "INVALID_SECRET"},
      {"DeleteWebhookEmpty", [](ClientImpl& c) { c.delete_webhook(""); }, "INVALID_WEBHOOK_ID"},
  };
}

INSTANTIATE_TEST_SUITE_P(Checks, ClientSideRefusal, ::testing::ValuesIn(refusals()),
                         snapstate::testing::ParamName());

// ---- the boundaries themselves are accepted -------------------------------------------------

TEST(ClientSideLimits, BoundaryValuesAreSent) {
  FakeClient c;
  using snapstate::testing::save_result_body;
  c.transport->push(201, save_result_body(repeat(kE, 128), 0));
  c.transport->push(201, save_result_body(std::string(128, 'a'), 1));
  c.transport->push(201, save_result_body("wf", 1));
  c.transport->push(201, save_result_body("wf", 1));
  c.transport->push_fixture("50-webhooks-post-valid");
  auto agent = json::parse(snapstate::testing::load_fixture("40-agents-post-new").response_body);
  agent["agent_id"] = std::string(255, 'a');
  c.transport->push(201, agent.dump());
  c.impl.save(repeat(kE, 128), 0, json::object(), {});
  c.impl.save(std::string(128, 'a'), 1, json::object(), with_label(repeat(kE, 256)));
  c.impl.save("wf", 1, json::object(), with_agent(repeat(kE, 255)));
  c.impl.save("wf", 1, json::object(), with_ttl(1));
  c.impl.register_webhook("HTTPS://h/" + std::string(2038, 'p'), {"checkpoint.saved"},
                          std::string(256, 's'));  // 2048 characters
  c.impl.register_agent(std::string(255, 'a'), "n", {});
  ASSERT_EQ(c.transport->request_count(), 6u);
  EXPECT_EQ(c.transport->requests()[3].headers, std::vector<std::string>{"X-Checkpoint-TTL: 1"});
}

TEST(ClientSideLimits, ReplayLimitBounds) {
  FakeClient c;
  const auto ok = snapstate::testing::empty_replay_body("wf");
  c.transport->push(200, ok);
  c.transport->push(200, ok);
  c.impl.replay("wf", replay_options(0, 0, 1));
  c.impl.replay("wf", replay_options({}, {}, 1000));
  const auto requests = c.transport->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].url,
            "http://snapstate.test/workflows/wf/replay?from_step=0&to_step=0&limit=1");
  EXPECT_EQ(requests[1].url, "http://snapstate.test/workflows/wf/replay?limit=1000");
}

// ---- the 1 MiB state limit ------------------------------------------------------------------

// {"a":"xxx..."} whose compact JSON is exactly `bytes` long.
json state_of_size(std::size_t bytes) {
  return json{{"a", std::string(bytes - 8, 'x')}};
}

TEST(StateSizeLimit, OneByteOverOneMebibyteIsRefusedBeforeSending) {
  FakeClient c;
  try {
    c.impl.save("wf", 1, state_of_size(1048577), {});
    FAIL() << "accepted";
  } catch (const snapstate::PayloadTooLargeError& e) {
    EXPECT_EQ(e.status_code(), 0);
    EXPECT_EQ(e.code(), "STATE_TOO_LARGE");
  }
  EXPECT_EQ(c.transport->request_count(), 0u);
}

TEST(StateSizeLimit, OnlyTheStateIsMeasuredTheServerJudgesTheBody) {
  FakeClient c;
  c.transport->push_fixture("24c-post-state-under-1mib-body-over");
  const auto state = state_of_size(1048576);
  ASSERT_EQ(state.dump().size(), 1048576u);
  // The state passes its own check; the envelope makes the body 38 bytes too large for the
  // server, whose 413 is the answer.
  try {
    c.impl.save("wf", 1, state, {});
    FAIL() << "expected the server's 413";
  } catch (const snapstate::PayloadTooLargeError& e) {
    EXPECT_EQ(e.status_code(), 413);
    EXPECT_EQ(e.code(), "FST_ERR_CTP_BODY_TOO_LARGE");
  }
  EXPECT_EQ(c.transport->request_count(), 1u);
}

TEST(StateSizeLimit, ABodyOfExactlyOneMebibyteIsSent) {
  FakeClient c;
  c.transport->push(201, snapstate::testing::save_result_body("wf", 1));
  const std::string envelope = R"({"workflow_id":"wf","step":1,"state":})";
  const auto state = state_of_size(1048576 - envelope.size());
  EXPECT_NO_THROW(c.impl.save("wf", 1, state, {}));
  ASSERT_EQ(c.transport->request_count(), 1u);
  EXPECT_EQ(c.transport->requests()[0].body.size(), 1048576u);
  EXPECT_EQ(c.transport->requests()[0].body,
            R"({"workflow_id":"wf","step":1,"state":)" + state.dump() + "}");
}

TEST(StateSizeLimit, MultiByteCharactersCountAsBytes) {
  FakeClient c;
  // 524,285 'é' are 1,048,570 bytes, plus {"a":""} makes 1,048,578.
  EXPECT_THROW(c.impl.save("wf", 1, json{{"a", repeat(kE, 524285)}}, {}),
               snapstate::PayloadTooLargeError);
  EXPECT_EQ(c.transport->request_count(), 0u);
}

TEST(HeaderSafe, RefusesCrLfAndNul) {
  using snapstate::detail::is_header_safe;
  EXPECT_TRUE(is_header_safe("\"abc\" W/\"x\""));
  EXPECT_FALSE(is_header_safe("a\rb"));
  EXPECT_FALSE(is_header_safe("a\nb"));
  EXPECT_FALSE(is_header_safe(std::string_view("a\0b", 3)));
}

}  // namespace
