#include "payloads.hpp"

#include <array>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace bench {

namespace {

using nlohmann::json;

// A small deterministic generator (xorshift): the same bytes on every machine and run.
struct Rng {
  std::uint64_t s;
  explicit Rng(unsigned seed) : s(0x9E3779B97F4A7C15ull ^ seed) {}
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

json key_value(Rng& rng, std::size_t i) {
  switch (i % 6) {
    case 0: return static_cast<std::int64_t>(rng.below(1000000000));
    case 1: return "token-" + std::to_string(rng.below(100000000)) + "-abcdef";
    case 2: return static_cast<double>(rng.below(100000)) / 100.0;
    case 3: return (rng.next() & 1u) != 0;
    case 4: return nullptr;
    default: return "item-" + std::to_string(i) + "-description-text";
  }
}

json keys_state(std::size_t target, unsigned seed) {
  Rng rng(seed);
  json state = json::object();
  std::size_t size = 2;
  for (std::size_t section = 0; size < target; ++section) {
    json block = json::object();
    for (std::size_t k = 0; k < 100; ++k) {
      char name[16];
      std::snprintf(name, sizeof name, "attribute_%03zu", k);
      block[name] = key_value(rng, k);
    }
    char name[24];
    std::snprintf(name, sizeof name, "section_%04zu", section);
    size += block.dump().size() + std::char_traits<char>::length(name) + 4;
    state[name] = std::move(block);
  }
  return state;
}

json flat_state(std::size_t target, unsigned seed) {
  Rng rng(seed);
  json state = json::object();
  std::size_t size = 2;
  for (std::size_t i = 0; size < target; ++i) {
    char name[24];
    std::snprintf(name, sizeof name, "field_%06zu", i);
    json value = key_value(rng, i);
    size += std::char_traits<char>::length(name) + value.dump().size() + 4;
    state[name] = std::move(value);
  }
  return state;
}

std::string prose(Rng& rng, std::size_t bytes) {
  static const std::array<const char*, 16> words = {
      "the",        "agent", "checkpoint", "résumé",   "state", "tool", "call", "returned",
      "\"quoted\"", "step",  "naïve",      "workflow", "—",     "data", "🙂", "result"};
  std::string text;
  text.reserve(bytes + 16);
  while (text.size() < bytes) {
    text += words[rng.below(words.size())];
    const auto r = rng.below(40);
    text += r == 0 ? "\n" : r == 1 ? ".\n\t" : r == 2 ? "\\" : " ";
  }
  return text;
}

json history_state(std::size_t target, unsigned seed) {
  Rng rng(seed);
  json messages = json::array();
  const std::size_t per_message = 28 * 1024;
  std::size_t size = 64;
  for (std::size_t i = 0; size < target; ++i) {
    const std::size_t len = std::min(per_message, target - size);
    json message = {{"role", i % 2 == 0 ? "user" : "assistant"},
                    {"content", prose(rng, len)},
                    {"tokens", static_cast<std::int64_t>(len / 4)}};
    size += message.dump().size() + 1;
    messages.push_back(std::move(message));
  }
  return json{{"conversation_id", "conv-" + std::to_string(seed)},
              {"messages", std::move(messages)}};
}

const char* workflow_of(Size size) {
  switch (size) {
    case Size::small: return "bench-small";
    case Size::keys: return "bench-keys";
    case Size::flat: return "bench-flat";
    case Size::history: return "bench-history";
  }
  return "bench-small";
}

json state_of(Size size, std::size_t large) {
  switch (size) {
    case Size::small: return make_state(Shape::small, 0);
    case Size::keys: return make_state(Shape::keys, large);
    case Size::flat: return make_state(Shape::flat, large);
    case Size::history: return make_state(Shape::history, large);
  }
  return json::object();
}

std::string checkpoint_json(const std::string& workflow, std::int64_t step, const json& state) {
  char id[160];
  std::snprintf(id, sizeof id, "cp_%s_%03lld", workflow.c_str(), static_cast<long long>(step));
  return std::string(R"({"checkpoint_id":")") + id + R"(","step":)" + std::to_string(step) +
         R"(,"label":"step )" + std::to_string(step) + R"(","state":)" + state.dump() +
         R"(,"metadata":{"model":"gpt-x","attempt":1,"agent_id":"agent-alpha"},)" +
         R"("created_at":"2026-11-30T04:30:41.074Z"})";
}

SaveCase build_save(Size size) {
  SaveCase c;
  c.workflow_id = workflow_of(size);
  c.step = 7;
  c.state = state_of(size, 900 * 1024);
  c.body = save_body(c.workflow_id, c.step, c.state);
  char id[160];
  std::snprintf(id, sizeof id, "cp_%s_%03lld", c.workflow_id.c_str(),
                static_cast<long long>(c.step));
  c.checkpoint_id = id;
  c.response = R"({"checkpoint_id":")" + c.checkpoint_id + R"(","workflow_id":")" + c.workflow_id +
               R"(","step":)" + std::to_string(c.step) +
               R"(,"etag":"\"cc762e8a761691ea\"","created_at":"2026-11-30T04:30:41.074Z",)"
               R"("diff_from_previous":{"added":["progress","items[0]","items[1]","nested.x",)"
               R"("nested.y","to_remove"],"removed":[],"changed":[]},"size_bytes":)" +
               std::to_string(c.state.dump().size()) + "}";
  return c;
}

ResumeCase build_resume(Size size) {
  ResumeCase c;
  c.workflow_id = workflow_of(size);
  c.step = 42;
  c.state = state_of(size, 1000 * 1024);
  c.body = R"({"workflow_id":")" + c.workflow_id + R"(","latest_checkpoint":)" +
           checkpoint_json(c.workflow_id, c.step, c.state) +
           R"(,"total_checkpoints":42,"workflow_started_at":"2026-11-30T04:30:41.074Z",)" +
           R"("last_activity_at":"2026-11-30T04:30:49.104Z"})";
  return c;
}

}  // namespace

json make_state(Shape shape, std::size_t target_bytes, unsigned seed) {
  switch (shape) {
    case Shape::small:
      return json{{"progress", 0.5},
                  {"items", {"a", "b", "c"}},
                  {"nested", {{"x", 2}, {"y", "keep"}}},
                  {"topic", "solar storms"}};
    case Shape::keys: return keys_state(target_bytes, seed);
    case Shape::flat: return flat_state(target_bytes, seed);
    case Shape::history: return history_state(target_bytes, seed);
  }
  return json::object();
}

std::string save_body(std::string_view workflow_id, std::int64_t step, const json& state) {
  return R"({"workflow_id":)" + json(workflow_id).dump() + R"(,"step":)" + std::to_string(step) +
         R"(,"state":)" + state.dump() + "}";
}

std::optional<Size> scenario_size(std::string_view scenario) {
  const auto has = [&](std::string_view word) { return scenario.find(word) != scenario.npos; };
  if (has("small")) return Size::small;
  if (has("keys")) return Size::keys;
  if (has("flat")) return Size::flat;
  if (has("history")) return Size::history;
  return std::nullopt;
}

namespace {

// Each case is built on first use (thread-safe), so a run pays only for the shapes it uses.
template <class Case>
const Case& built_once(Size size, Case (*build)(Size)) {
  static std::array<std::once_flag, 4> once;
  static std::array<std::optional<Case>, 4> cases;
  const auto i = static_cast<std::size_t>(size);
  std::call_once(once[i], [&] { cases[i] = build(size); });
  return *cases[i];
}

}  // namespace

const SaveCase& save_case(Size size) {
  if (size == Size::flat) throw std::invalid_argument("the flat shape is only resumed");
  return built_once(size, build_save);
}

const ResumeCase& resume_case(Size size) {
  return built_once(size, build_resume);
}

const std::string& replay_body() {
  static const std::string body = [] {
    const std::string workflow = kReplayWorkflow;
    std::string out = R"({"workflow_id":")" + workflow + R"(","checkpoints":[)";
    for (int step = 1; step <= kReplayCheckpoints; ++step) {
      if (step > 1) out += ',';
      out += checkpoint_json(workflow, step,
                             make_state(Shape::keys, 1500, static_cast<unsigned>(step)));
    }
    return out + R"(],"total":)" + std::to_string(kReplayCheckpoints) + R"(,"has_more":false})";
  }();
  return body;
}

const std::string& conflict_body() {
  static const std::string body =
      R"({"error":{"code":"CONFLICT","message":"checkpoint for step 2 already exists"},)"
      R"("existing":{"checkpoint_id":"cp_rs-demo-1_002","etag":"\"0f3c2b9a11d4e5f6\""}})";
  return body;
}

}  // namespace bench
