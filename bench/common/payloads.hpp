// The bench's data: deterministic states of three shapes, the exact request bodies a save sends,
// and the response bodies the real server gives (fixture shapes) for save, resume and replay.
// Shared by the canned server, the client bench, the references and the codec micro-benchmarks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bench {

inline constexpr const char* kApiKey = "snp_bench_key_0123456789";
inline constexpr const char* kUserAgent = "snapstate-bench/1.0";

// small: a few fields (~80 B); keys: many small keys (~28k in 900 KB) in 100-key sections;
// flat: the same kind of keys and values, all in the top-level object (~31k in 1 MiB);
// history: a message history, few long strings with escapes and non-ASCII text.
enum class Shape { small, keys, flat, history };

nlohmann::json make_state(Shape shape, std::size_t target_bytes, unsigned seed = 1);

// What one benchmarked call sends or receives; every field is built once, on first use.
struct SaveCase {
  std::string workflow_id;
  std::int64_t step = 1;
  nlohmann::json state;
  std::string body;           // the exact request body: {"workflow_id":..,"step":..,"state":..}
  std::string checkpoint_id;  // cp_<workflow_id>_007
  std::string response;       // the 201 body, about this workflow and step (fixture 02's shape)
};
struct ResumeCase {
  std::string workflow_id;  // GET /workflows/<id>/resume
  std::int64_t step = 0;    // latest_checkpoint.step in the response
  nlohmann::json state;     // latest_checkpoint.state
  std::string body;         // the response body
};

// small, then ~900 KB saves and ~1 MiB resumes of the large shapes (flat: resumes only).
enum class Size { small, keys, flat, history };
const SaveCase& save_case(Size size);  // not for Size::flat
// The size a scenario name speaks of ("resume_1m_flat": flat), none for replay and threads.
std::optional<Size> scenario_size(std::string_view scenario);
const ResumeCase& resume_case(Size size);

inline constexpr const char* kReplayWorkflow = "bench-replay";
inline constexpr int kReplayCheckpoints = 100;
const std::string& replay_body();    // 100 checkpoints of ~1.5 KB states
const std::string& conflict_body();  // a 409 with "existing" (error-body mapping)

// Request body for a save, built the way the client writes it (same key order, dump() bytes).
std::string save_body(std::string_view workflow_id, std::int64_t step, const nlohmann::json& state);

}  // namespace bench
