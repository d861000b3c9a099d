// Decoding: every recorded success body decodes into the result types with every field
// checked; malformed bodies become ProtocolError naming the field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "allocation_counter.hpp"
#include "body_buffer.hpp"
#include "codec.hpp"
#include "fake_transport.hpp"
#include "fixture.hpp"
#include "json_reader.hpp"
#include "snapstate/errors.hpp"

namespace {

using nlohmann::json;
using snapstate::detail::ResponseContext;
using snapstate::testing::load_fixture;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A recorded response body with its status and request id.
struct Recorded {
  explicit Recorded(const std::string& name) {
    const auto f = load_fixture(name);
    status = f.status;
    for (const auto& [header, value] : f.response_headers) {
      if (header == "x-request-id") request_id = value;
    }
    body = f.response_body;
  }
  ResponseContext context() const { return {status, request_id}; }
  int status = 0;
  std::string request_id;
  std::string body;
};

template <class Decoder>
auto decode(const std::string& fixture, Decoder decoder) {
  Recorded r(fixture);
  return decoder(r.body, r.context());
}

template <class Decoder>
auto decode_text(std::string text, Decoder decoder) {
  return decoder(text, ResponseContext{200, "rid-codec"});
}

const ResponseContext kContext{200, "rid-codec"};

// Decodes `body` and expects a ProtocolError whose message names `path`.
template <class Decoder>
void expect_protocol_error(const std::string& body, Decoder decoder, const std::string& path) {
  try {
    std::string buffer = body;
    (void)decoder(buffer, kContext);
    ADD_FAILURE() << "no ProtocolError for " << body;
  } catch (const snapstate::ProtocolError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path)) << body;
    EXPECT_EQ(e.status_code(), 200);
    EXPECT_EQ(e.request_id(), "rid-codec");
    EXPECT_EQ(e.code(), "INVALID_RESPONSE");
  }
}

// ---- save results ---------------------------------------------------------------------------

TEST(DecodeSaveResult, FirstStepAddsEveryLeaf) {
  const auto r = decode("02-post-checkpoint-step1", snapstate::detail::decode_save_result);
  EXPECT_EQ(r.checkpoint_id, "cp_rs-demo-1_001");
  EXPECT_EQ(r.workflow_id, "rs-demo-1");
  EXPECT_EQ(r.step, 1);
  EXPECT_EQ(r.etag, "\"cc762e8a761691ea\"");
  EXPECT_EQ(r.created_at, "2026-11-30T04:30:41.074Z");
  EXPECT_THAT(r.diff_from_previous.added,
              ElementsAre("progress", "items[0]", "items[1]", "nested.x", "nested.y", "to_remove"));
  EXPECT_THAT(r.diff_from_previous.removed, IsEmpty());
  EXPECT_THAT(r.diff_from_previous.changed, IsEmpty());
  EXPECT_EQ(r.size_bytes, 79);
}

TEST(DecodeSaveResult, SecondStepHasAllThreeDiffLists) {
  for (const char* fixture : {"03-post-checkpoint-step2", "05-repost-step2-ifmatch-correct"}) {
    const auto r = decode(fixture, snapstate::detail::decode_save_result);
    EXPECT_EQ(r.checkpoint_id, "cp_rs-demo-1_002") << fixture;
    EXPECT_EQ(r.step, 2);
    EXPECT_EQ(r.etag, "\"62e54e50000b83f8\"");
    EXPECT_EQ(r.created_at, "2026-11-30T04:30:41.143Z");
    EXPECT_THAT(r.diff_from_previous.added,
                ElementsAre("items[2]", "nested.z", "new_key.deep[0]", "new_key.deep[1]"));
    EXPECT_THAT(r.diff_from_previous.removed, ElementsAre("to_remove"));
    EXPECT_THAT(r.diff_from_previous.changed, ElementsAre("progress", "nested.x"));
    EXPECT_EQ(r.size_bytes, 100);
  }
}

TEST(DecodeSaveResult, StepBeyondDoublePrecisionIsExact) {
  const auto r = decode("31j-step-huge", snapstate::detail::decode_save_result);
  EXPECT_EQ(r.step, 9007199254740992LL);
  EXPECT_EQ(r.checkpoint_id, "cp_rs-bigstep_9007199254740992");
  EXPECT_EQ(r.size_bytes, 2);
}

// ---- checkpoints ----------------------------------------------------------------------------

TEST(DecodeCheckpoint, EveryFieldOfAFullCheckpoint) {
  const auto cp = decode("07-get-checkpoint-existing", snapstate::detail::decode_checkpoint);
  EXPECT_EQ(cp.checkpoint_id, "cp_rs-demo-1_001");
  EXPECT_EQ(cp.workflow_id, "rs-demo-1");
  EXPECT_EQ(cp.step, 1);
  EXPECT_EQ(cp.label, "fetched inputs");
  EXPECT_EQ(
      cp.state,
      json::parse(
          R"({"progress":0.1,"items":["a","b"],"nested":{"x":1,"y":"keep"},"to_remove":true})"));
  EXPECT_EQ(cp.metadata, json::parse(R"({"model":"gpt-x","attempt":1,"agent_id":"agent-alpha"})"));
  EXPECT_EQ(cp.etag, "\"cc762e8a761691ea\"");
  EXPECT_EQ(cp.created_at, "2026-11-30T04:30:41.074Z");
  ASSERT_TRUE(cp.diff_from_previous.has_value());
  EXPECT_THAT(cp.diff_from_previous->added,
              ElementsAre("progress", "items[0]", "items[1]", "nested.x", "nested.y", "to_remove"));
  EXPECT_EQ(cp.size_bytes, 79);
  EXPECT_EQ(cp.agent_id, "agent-alpha") << "taken from metadata when not top-level";
  EXPECT_EQ(cp.expires_at, "2026-12-01T04:30:41.076Z");
}

TEST(DecodeCheckpoint, NullLabelAndNullMetadata) {
  const auto cp = decode("07b-get-checkpoint-existing-step3", snapstate::detail::decode_checkpoint);
  EXPECT_EQ(cp.checkpoint_id, "cp_rs-demo-1_003");
  EXPECT_EQ(cp.step, 3);
  EXPECT_EQ(cp.label, std::nullopt);
  EXPECT_EQ(cp.metadata, json::object());
  EXPECT_EQ(cp.agent_id, std::nullopt);
  EXPECT_EQ(cp.state, json::parse(R"({"progress":1})"));
  EXPECT_EQ(cp.etag, "\"d1fa8dadfc041304\"");
  ASSERT_TRUE(cp.diff_from_previous.has_value());
  EXPECT_THAT(cp.diff_from_previous->added, IsEmpty());
  EXPECT_EQ(cp.diff_from_previous->removed.size(), 8u);
  EXPECT_THAT(cp.diff_from_previous->changed, ElementsAre("progress"));
  EXPECT_EQ(cp.size_bytes, 14);
}

TEST(DecodeCheckpoint, EmptyLabelStaysAnEmptyString) {
  const auto cp = decode("23k-get-label-null-result", snapstate::detail::decode_checkpoint);
  EXPECT_EQ(cp.label, std::optional<std::string>(""));
  EXPECT_EQ(cp.state, json::object());
  EXPECT_EQ(cp.metadata, json::object());
  EXPECT_EQ(cp.etag, "\"44136fa355b3678a\"");
  EXPECT_THAT(cp.diff_from_previous->removed, ElementsAre("s"));
}

TEST(DecodeCheckpoint, NonAsciiIdsSurvive) {
  const auto cp = decode("30-weird-cpid-get", snapstate::detail::decode_checkpoint);
  EXPECT_EQ(cp.checkpoint_id, "cp_a/b c%\xC3\xA9_001");
  EXPECT_EQ(cp.workflow_id, "a/b c%\xC3\xA9");
  EXPECT_EQ(cp.label, "weird id");
  EXPECT_EQ(cp.state, json::parse(R"({"k":"v"})"));
  EXPECT_EQ(cp.size_bytes, 9);
}

TEST(DecodeCheckpoint, TopLevelAgentIdWinsOverMetadata) {
  const auto decoder = snapstate::detail::decode_checkpoint;
  EXPECT_EQ(decode_text(R"({"checkpoint_id":"c","workflow_id":"w","step":0,"state":{},
                             "metadata":{"agent_id":"from-metadata"},"agent_id":"top-level"})",
                        decoder)
                .agent_id,
            "top-level");
  EXPECT_EQ(decode_text(R"({"checkpoint_id":"c","workflow_id":"w","step":0,"state":{},
                            "metadata":{"agent_id":7}})",
                        decoder)
                .agent_id,
            std::nullopt);
}

TEST(DecodeCheckpoint, UnknownFieldsAreIgnoredAndOptionalsMayBeAbsent) {
  const auto cp = decode_text(R"({"checkpoint_id":"c","workflow_id":"w","step":4,"state":{"a":[]},
                                 "future_field":{"x":1}})",
                              snapstate::detail::decode_checkpoint);
  EXPECT_EQ(cp.step, 4);
  EXPECT_EQ(cp.label, std::nullopt);
  EXPECT_EQ(cp.etag, std::nullopt);
  EXPECT_EQ(cp.created_at, std::nullopt);
  EXPECT_EQ(cp.diff_from_previous, std::nullopt);
  EXPECT_EQ(cp.size_bytes, std::nullopt);
  EXPECT_EQ(cp.metadata, json::object());
}

// ---- resume and replay ----------------------------------------------------------------------

TEST(DecodeResume, FillsTheWorkflowIdOfTheNestedCheckpoint) {
  const auto r = decode("09-resume-existing", snapstate::detail::decode_resume);
  EXPECT_EQ(r.workflow_id, "rs-demo-1");
  EXPECT_EQ(r.total_checkpoints, 3);
  EXPECT_EQ(r.workflow_started_at, "2026-11-30T04:30:41.074Z");
  EXPECT_EQ(r.last_activity_at, "2026-11-30T04:30:49.104Z");
  const auto& cp = r.latest_checkpoint;
  EXPECT_EQ(cp.workflow_id, "rs-demo-1");
  EXPECT_EQ(cp.checkpoint_id, "cp_rs-demo-1_003");
  EXPECT_EQ(cp.step, 3);
  EXPECT_EQ(cp.label, std::nullopt);
  EXPECT_EQ(cp.state, json::parse(R"({"progress":1})"));
  EXPECT_EQ(cp.metadata, json::object());
  EXPECT_EQ(cp.created_at, "2026-11-30T04:30:49.104Z");
  EXPECT_EQ(cp.etag, std::nullopt);
  EXPECT_EQ(cp.expires_at, std::nullopt) << "resume does not send it";
  EXPECT_EQ(cp.size_bytes, std::nullopt);
  EXPECT_EQ(cp.diff_from_previous, std::nullopt);
}

TEST(DecodeResume, EmptyLabelComesBackNull) {
  const auto r = decode("23m-resume-label-empty", snapstate::detail::decode_resume);
  EXPECT_EQ(r.workflow_id, "rs-label-empty");
  EXPECT_EQ(r.latest_checkpoint.workflow_id, "rs-label-empty");
  EXPECT_EQ(r.latest_checkpoint.label, std::nullopt);
  EXPECT_EQ(r.latest_checkpoint.state, json::parse(R"({"a":1})"));
  EXPECT_EQ(r.total_checkpoints, 1);
}

TEST(DecodeResume, AWorkflowIdInTheNestedCheckpointIsKept) {
  const auto r = decode_text(R"({"workflow_id":"outer","total_checkpoints":1,
      "latest_checkpoint":{"checkpoint_id":"c","workflow_id":"inner","step":1,"state":{}}})",
                             snapstate::detail::decode_resume);
  EXPECT_EQ(r.latest_checkpoint.workflow_id, "inner");
}

TEST(DecodeReplay, AllCheckpointsInWriteOrder) {
  const auto r = decode("11-replay-plain", snapstate::detail::decode_replay);
  EXPECT_EQ(r.workflow_id, "rs-demo-1");
  EXPECT_EQ(r.total, 3);
  EXPECT_FALSE(r.has_more);
  ASSERT_EQ(r.checkpoints.size(), 3u);
  for (const auto& cp : r.checkpoints) EXPECT_EQ(cp.workflow_id, "rs-demo-1");
  EXPECT_EQ(r.checkpoints[0].checkpoint_id, "cp_rs-demo-1_001");
  EXPECT_EQ(r.checkpoints[0].label, "fetched inputs");
  EXPECT_EQ(r.checkpoints[0].agent_id, "agent-alpha");
  EXPECT_EQ(r.checkpoints[1].step, 2);
  EXPECT_EQ(r.checkpoints[1].label, "processed");
  EXPECT_EQ(r.checkpoints[1].state.at("nested").at("z"), nullptr);
  EXPECT_EQ(r.checkpoints[1].state.at("new_key"), json::parse(R"({"deep":[1,2]})"));
  EXPECT_EQ(r.checkpoints[1].created_at, "2026-11-30T04:30:41.143Z");
  EXPECT_EQ(r.checkpoints[2].label, std::nullopt);
  EXPECT_EQ(r.checkpoints[2].agent_id, std::nullopt);
  EXPECT_EQ(r.checkpoints[2].metadata, json::object());
}

TEST(DecodeReplay, LimitedReplay) {
  const auto r = decode("12b-replay-limit2-has-more", snapstate::detail::decode_replay);
  EXPECT_EQ(r.total, 2);
  EXPECT_FALSE(r.has_more);
  ASSERT_EQ(r.checkpoints.size(), 2u);
  EXPECT_EQ(r.checkpoints[1].checkpoint_id, "cp_rs-demo-1_002");
}

TEST(DecodeReplay, UnknownWorkflowIsEmpty) {
  const auto r = decode("17-replay-no-checkpoints", snapstate::detail::decode_replay);
  EXPECT_EQ(r.workflow_id, "rs-no-such-wf");
  EXPECT_THAT(r.checkpoints, IsEmpty());
  EXPECT_EQ(r.total, 0);
  EXPECT_FALSE(r.has_more);
}

TEST(DecodeReplay, MissingTotalAndHasMoreDefault) {
  const auto r = decode_text(
      R"({"workflow_id":"w","checkpoints":[{"checkpoint_id":"c","step":1,"state":{}}]})",
      snapstate::detail::decode_replay);
  EXPECT_EQ(r.total, 1);
  EXPECT_FALSE(r.has_more);
}

// ---- agents, webhooks, health ---------------------------------------------------------------

TEST(DecodeAgent, NewAgentWithEveryField) {
  const auto a = decode("40-agents-post-new", snapstate::detail::decode_agent);
  EXPECT_EQ(a.agent_id, "agent-beta");
  EXPECT_EQ(a.name, "Beta agent");
  EXPECT_EQ(a.description, "does things");
  EXPECT_THAT(a.capabilities, ElementsAre("search", "summarize"));
  EXPECT_EQ(a.metadata, json::parse(R"({"team":"x"})"));
  EXPECT_EQ(a.last_seen_at, std::nullopt);
  EXPECT_EQ(a.created_at, "2026-11-30T04:32:14.397Z");
}

TEST(DecodeAgent, UpsertClearedFields) {
  for (const char* fixture : {"41-agents-post-upsert", "44-agents-get"}) {
    const auto a = decode(fixture, snapstate::detail::decode_agent);
    EXPECT_EQ(a.agent_id, "agent-beta") << fixture;
    EXPECT_EQ(a.name, "Beta agent v2");
    EXPECT_EQ(a.description, std::nullopt);
    EXPECT_THAT(a.capabilities, IsEmpty());
    EXPECT_EQ(a.metadata, json::object());
    EXPECT_EQ(a.created_at, "2026-11-30T04:32:14.397Z");
  }
}

TEST(DecodeAgent, Patched) {
  const auto a = decode("45-agents-patch", snapstate::detail::decode_agent);
  EXPECT_EQ(a.description, "patched");
  EXPECT_THAT(a.capabilities, ElementsAre("search"));
  EXPECT_EQ(a.metadata, json::parse(R"({"v":2})"));
}

TEST(DecodeAgent, ListWithABareStringCapability) {
  const auto agents = decode("43-agents-list", snapstate::detail::decode_agent_list);
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0].agent_id, "agent-gamma");
  EXPECT_EQ(agents[0].name, "Gamma");
  EXPECT_THAT(agents[0].capabilities, ElementsAre("not-an-array"));
  EXPECT_EQ(agents[0].created_at, "2026-11-30T04:32:14.530Z");
  EXPECT_EQ(agents[1].agent_id, "agent-beta");
  EXPECT_THAT(agents[1].capabilities, IsEmpty());
}

TEST(DecodeAgent, NullNameReadsAsEmpty) {
  EXPECT_EQ(decode_text(R"({"agent_id":"a","name":null})", snapstate::detail::decode_agent).name,
            "");
}

TEST(DecodeWebhook, Registered) {
  const auto w = decode("50-webhooks-post-valid", snapstate::detail::decode_webhook);
  EXPECT_EQ(w.webhook_id, "wh_bdd83541e8f163fec9b79fe9");
  EXPECT_EQ(w.url, "http://127.0.0.1:39411/hook");
  EXPECT_THAT(w.events, ElementsAre("checkpoint.saved"));
  EXPECT_EQ(w.created_at, "2026-11-30T04:32:53.627Z");
}

TEST(DecodeHealth, OkAndDegradedKeepTheWholeBody) {
  const auto ok = decode("61-health", snapstate::detail::decode_health);
  EXPECT_EQ(ok.status, "ok");
  EXPECT_EQ(ok.raw.at("version"), "3.0.0");
  EXPECT_EQ(ok.raw.at("uptime_seconds"), 228);
  EXPECT_EQ(ok.raw.at("status"), "ok");
  const auto degraded = decode("66b-redis-down-health", snapstate::detail::decode_health);
  EXPECT_EQ(degraded.status, "degraded");
  EXPECT_EQ(degraded.raw.at("redis"), "disconnected");
}

// ---- the JSON values are nlohmann's ---------------------------------------------------------

// The state and metadata of the checkpoint `text` decode to exactly what nlohmann::json::parse
// gives for them, types included.
void expect_values_parsed_like_nlohmann(const std::string& text) {
  SCOPED_TRACE(text.substr(0, 120));
  std::string buffer = text;
  snapstate::Checkpoint cp;
  try {
    cp = snapstate::detail::decode_checkpoint(buffer, kContext);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "refused: " << e.what();
    return;
  }
  const json expected = json::parse(text);
  EXPECT_EQ(cp.state, expected.at("state"));
  EXPECT_EQ(cp.state.dump(), expected.at("state").dump());
  const json metadata = expected.value("metadata", json::object());
  EXPECT_EQ(cp.metadata.dump(), (metadata.is_null() ? json::object() : metadata).dump());
}

std::string checkpoint_with_state(const std::string& state) {
  return R"({"checkpoint_id":"c","workflow_id":"w","step":1,"state":)" + state + "}";
}

TEST(DecodeValues, EveryRecordedCheckpointsStateAndMetadataAsNlohmannReadsThem) {
  for (const char* fixture : {"07-get-checkpoint-existing", "07b-get-checkpoint-existing-step3",
                              "23k-get-label-null-result", "30-weird-cpid-get"}) {
    SCOPED_TRACE(fixture);
    expect_values_parsed_like_nlohmann(load_fixture(fixture).response_body);
  }
}

TEST(DecodeValues, NumberTypesMatchNlohmann) {
  for (const char* state : {R"({"a":0,"b":-1,"c":9223372036854775807,"d":-9223372036854775808})",
                            R"({"u":18446744073709551615,"f":0.1,"e":1e300,"z":-0.0})",
                            R"({"l":[1.0,2.5e-3,-7,"\u00e9\ud83d\ude00",true,false,null,{},[]]})",
                            R"({"dup":1,"dup":2})", R"(  {"ws" : [ 1 , 2 ] }  )"}) {
    expect_values_parsed_like_nlohmann(checkpoint_with_state(state));
  }
}

// A state may hold integers beyond 64 bits (any JSON writer but JavaScript's can produce
// them); nlohmann reads them as doubles, so a checkpoint holding one must still decode.
TEST(DecodeValues, IntegersBeyond64BitsAreReadAsNlohmannReadsThem) {
  expect_values_parsed_like_nlohmann(
      checkpoint_with_state(R"({"big":123456789012345678901234567890})"));
  expect_values_parsed_like_nlohmann(checkpoint_with_state(R"({"n":18446744073709551616})"));
  expect_values_parsed_like_nlohmann(checkpoint_with_state(R"({"n":-9223372036854775809})"));
}

TEST(DecodeValues, HealthRawIsTheWholeBodyAsNlohmannReadsIt) {
  for (const char* fixture : {"61-health", "66b-redis-down-health"}) {
    const std::string text = load_fixture(fixture).response_body;
    std::string body = text;
    const auto health = snapstate::detail::decode_health(body, kContext);
    EXPECT_EQ(health.raw.dump(), json::parse(text).dump()) << fixture;
  }
}

// ---- the envelope is read in one pass ----------------------------------------------------------

TEST(DecodeEnvelope, FieldsInAnyOrderAndTheLastOfADuplicateKeyWins) {
  const auto r = decode_text(
      R"({"size_bytes":2,"diff_from_previous":{"changed":["x"],"removed":[],"added":[]},)"
      R"("created_at":"t","etag":"e","step":1,"workflow_id":"w","checkpoint_id":"first",)"
      R"("checkpoint_id":"second"})",
      snapstate::detail::decode_save_result);
  EXPECT_EQ(r.checkpoint_id, "second");
  EXPECT_EQ(r.workflow_id, "w");
  EXPECT_THAT(r.diff_from_previous.changed, ElementsAre("x"));
  // A later null stands for an absent field, as it would in nlohmann's tree.
  const auto cp = decode_text(
      R"({"checkpoint_id":"c","workflow_id":"w","step":1,"state":{},"label":"l","label":null})",
      snapstate::detail::decode_checkpoint);
  EXPECT_EQ(cp.label, std::nullopt);
}

TEST(DecodeEnvelope, ABodyIsHandedBackOnceDecodedAndLeftAloneWhenRefused) {
  std::string body = load_fixture("09-resume-existing").response_body;
  body.reserve(100000);
  const std::size_t capacity = body.capacity();
  (void)snapstate::detail::decode_resume(body, kContext);
  EXPECT_TRUE(body.empty());
  EXPECT_GE(snapstate::detail::take_body_buffer().capacity(), capacity)
      << "the next response on this thread is received into it";

  std::string refused = R"({"workflow_id":"w"})";
  EXPECT_THROW(snapstate::detail::decode_resume(refused, kContext), snapstate::ProtocolError);
  EXPECT_EQ(refused, R"({"workflow_id":"w"})") << "the caller may still read it";
}

TEST(DecodeEnvelope, ASmallResumeAllocatesOnlyForItsValues) {
  // The 09 fixture: a one-key state, empty metadata, a 16-character checkpoint id and three
  // timestamps. The result's default state and metadata objects cost one allocation each, the
  // state's key one (its node), each string past 15 characters one: 7. The envelope, none.
  const std::string text = load_fixture("09-resume-existing").response_body;
  std::string warm_up = text;  // this thread's parser is sized by its first document
  (void)snapstate::detail::decode_resume(warm_up, kContext);
  std::string body = text;
  body.reserve(body.size() + snapstate::detail::kJsonPadding);
  snapstate::WorkflowResume resume;  // its default state and metadata are allocated here
  const auto counted = snapstate::testing::allocations_of(
      [&] { resume = snapstate::detail::decode_resume(body, kContext); });
  EXPECT_LE(counted.calls, 7u);
  EXPECT_EQ(resume.latest_checkpoint.state, json::parse(R"({"progress":1})"));
}

// ---- malformed responses --------------------------------------------------------------------

TEST(DecodeErrors, NonJsonBodyIsAProtocolError) {
  for (const char* text : {"<html>oops</html>", "", "{\"checkpoint_id\":\"c\"", "\xFF\xFE",
                           "{\"a\":\"\xC3(\"}", "{\"a\":1} trailing"}) {
    std::string body = text;
    try {
      snapstate::detail::decode_checkpoint(body, kContext);
      ADD_FAILURE() << "parsed " << text;
    } catch (const snapstate::ProtocolError& e) {
      EXPECT_EQ(e.status_code(), 200);
      EXPECT_EQ(e.request_id(), "rid-codec");
      EXPECT_EQ(e.code(), "INVALID_RESPONSE");
    }
  }
}

TEST(DecodeErrors, SaveResultFieldsAreNamed) {
  const auto decoder = snapstate::detail::decode_save_result;
  const std::string diff = R"("diff_from_previous":{"added":[],"removed":[],"changed":[]})";
  expect_protocol_error(
      R"({"workflow_id":"w","step":1,"etag":"e","created_at":"t",)" + diff + R"(,"size_bytes":2})",
      decoder, "checkpoint_id is missing");
  expect_protocol_error(
      R"({"checkpoint_id":"c","workflow_id":"w","step":"1","etag":"e","created_at":"t",)" + diff +
          R"(,"size_bytes":2})",
      decoder, "step must be an integer");
  expect_protocol_error(
      R"({"checkpoint_id":"c","workflow_id":"w","step":1.5,"etag":"e","created_at":"t",)" + diff +
          R"(,"size_bytes":2})",
      decoder, "step must be an integer");
  expect_protocol_error(
      R"({"checkpoint_id":"c","workflow_id":"w","step":18446744073709551615,"etag":"e","created_at":"t",)" +
          diff + R"(,"size_bytes":2})",
      decoder, "step is out of range");
  expect_protocol_error(
      R"({"checkpoint_id":"c","workflow_id":"w","step":1,"etag":7,"created_at":"t",)" + diff +
          R"(,"size_bytes":2})",
      decoder, "etag must be a string");
  expect_protocol_error(
      R"({"checkpoint_id":"c","workflow_id":"w","step":1,"etag":"e","created_at":"t",)"
      R"("diff_from_previous":{"added":[],"removed":[1],"changed":[]},"size_bytes":2})",
      decoder, "diff_from_previous.removed");
  expect_protocol_error(
      R"({"checkpoint_id":"c","workflow_id":"w","step":1,"etag":"e","created_at":"t","size_bytes":2})",
      decoder, "diff_from_previous is missing");
  expect_protocol_error(R"([1,2,3])", decoder, "response body must be an object");
}

TEST(DecodeErrors, NestedPathsAreNamed) {
  expect_protocol_error(
      R"({"workflow_id":"w","total_checkpoints":1,"latest_checkpoint":{"checkpoint_id":"c","state":{}}})",
      snapstate::detail::decode_resume, "latest_checkpoint.step");
  expect_protocol_error(R"({"workflow_id":"w","total_checkpoints":1})",
                        snapstate::detail::decode_resume, "latest_checkpoint is missing");
  expect_protocol_error(
      R"({"workflow_id":"w","checkpoints":[{"checkpoint_id":"a","step":1,"state":{}},)"
      R"({"checkpoint_id":"b","step":2,"state":[1]}],"total":2,"has_more":false})",
      snapstate::detail::decode_replay, "checkpoints[1].state");
  expect_protocol_error(R"({"workflow_id":"w","checkpoints":[{"checkpoint_id":"a","step":1}]})",
                        snapstate::detail::decode_replay, "checkpoints[0].state is missing");
  expect_protocol_error(R"({"workflow_id":"w","checkpoints":[7]})",
                        snapstate::detail::decode_replay, "checkpoints[0] must be an object");
  expect_protocol_error(R"({"workflow_id":"w","checkpoints":{}})", snapstate::detail::decode_replay,
                        "checkpoints must be an array");
  expect_protocol_error(
      R"({"workflow_id":"w","checkpoints":[{"checkpoint_id":"a","step":1,"state":{},)"
      R"("diff_from_previous":{"added":[],"removed":[],"changed":[3]}}]})",
      snapstate::detail::decode_replay, "checkpoints[0].diff_from_previous.changed");
  expect_protocol_error(R"({"workflow_id":"w","checkpoints":[],"has_more":"no"})",
                        snapstate::detail::decode_replay, "has_more must be a boolean");
  expect_protocol_error(R"({"checkpoint_id":"c","workflow_id":"w","step":1,"state":{},"label":5})",
                        snapstate::detail::decode_checkpoint, "label must be a string");
  expect_protocol_error(
      R"({"checkpoint_id":"c","workflow_id":"w","step":1,"state":{},"metadata":[]})",
      snapstate::detail::decode_checkpoint, "metadata must be an object");
  expect_protocol_error(R"({"checkpoint_id":"c","step":1,"state":{}})",
                        snapstate::detail::decode_checkpoint, "workflow_id is missing");
  expect_protocol_error(R"({"agents":[{"agent_id":"a"},{"name":"b"}]})",
                        snapstate::detail::decode_agent_list, "agents[1].agent_id");
  expect_protocol_error(R"({"agents":[{"agent_id":"a","capabilities":[1]}]})",
                        snapstate::detail::decode_agent_list, "agents[0].capabilities");
  expect_protocol_error(R"({})", snapstate::detail::decode_agent_list, "agents is missing");
  expect_protocol_error(R"({"webhook_id":"w","url":"u","created_at":"t"})",
                        snapstate::detail::decode_webhook, "events is missing");
  expect_protocol_error(R"({"version":"3.0.0"})", snapstate::detail::decode_health, "status");
}

TEST(DecodeErrors, ThroughTheClientCarryStatusAndRequestId) {
  // One attempt: an unreadable 201 would otherwise be resolved by looking the checkpoint up.
  auto options = snapstate::testing::FakeClient::default_options();
  options.max_retries = 1;
  snapstate::testing::FakeClient c(options);
  c.transport->push(200, "<html>maintenance</html>", "rid-html");
  c.transport->push(201, R"({"checkpoint_id":"c"})", "rid-short");
  try {
    c.impl.get("cp_1");
    FAIL();
  } catch (const snapstate::ProtocolError& e) {
    EXPECT_EQ(e.status_code(), 200);
    EXPECT_EQ(e.request_id(), "rid-html");
  }
  try {
    c.impl.save("wf", 1, json::object(), {});
    FAIL();
  } catch (const snapstate::ProtocolError& e) {
    EXPECT_EQ(e.status_code(), 201);
    EXPECT_EQ(e.request_id(), "rid-short");
    EXPECT_THAT(e.what(), HasSubstr("workflow_id is missing"));
  }
}

}  // namespace
