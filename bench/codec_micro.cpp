// snapstate-bench-codec: Google Benchmark micro-benchmarks of the codec (src/, private), each
// next to its naive nlohmann equivalent (dump() / json::parse).
#include <benchmark/benchmark.h>

#include <vector>

#include "codec.hpp"
#include "common/naive.hpp"
#include "common/payloads.hpp"
#include "error_mapping.hpp"

namespace {

using bench::Shape;
using bench::Size;
using nlohmann::json;
namespace detail = snapstate::detail;

const json& state_for(std::int64_t which) {
  static const std::vector<json> states = {
      json{{"ab", 123}},  // 10 bytes
      bench::make_state(Shape::keys, 100 * 1024),
      bench::save_case(Size::keys).state,
      bench::save_case(Size::history).state,
  };
  return states[static_cast<std::size_t>(which)];
}

void label(benchmark::State& st, std::int64_t which) {
  static const char* names[] = {"10B", "100KB keys", "900KB keys", "900KB history"};
  st.SetLabel(names[which]);
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(state_for(which).dump().size()));
}

void BM_encode_save(benchmark::State& st) {
  const auto& state = state_for(st.range(0));
  const snapstate::SaveOptions options;
  for (auto _ : st) benchmark::DoNotOptimize(detail::encode_save("bench-wf", 7, state, options));
  label(st, st.range(0));
}
void BM_naive_encode_save(benchmark::State& st) {
  const auto& state = state_for(st.range(0));
  for (auto _ : st) benchmark::DoNotOptimize(bench::save_body("bench-wf", 7, state));
  label(st, st.range(0));
}
BENCHMARK(BM_encode_save)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_naive_encode_save)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

const std::string& resume_body(std::int64_t which) {
  return bench::resume_case(which == 0 ? Size::keys : Size::history).body;
}

// The decoders read the transport's buffer in place and hand it back to the thread, so each
// iteration gets a fresh copy, made outside the timed region.
void BM_decode_resume_1MiB(benchmark::State& st) {
  const auto& body = resume_body(st.range(0));
  const detail::ResponseContext context{200, "req"};
  for (auto _ : st) {
    st.PauseTiming();
    std::string buffer = body;
    st.ResumeTiming();
    benchmark::DoNotOptimize(detail::decode_resume(buffer, context));
  }
  st.SetLabel(st.range(0) == 0 ? "keys" : "history");
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(body.size()));
}
void BM_naive_decode_resume_1MiB(benchmark::State& st) {
  const auto& body = resume_body(st.range(0));
  for (auto _ : st) {
    auto doc = json::parse(body);
    benchmark::DoNotOptimize(bench::naive_checkpoint(doc.at("latest_checkpoint")));
  }
  st.SetLabel(st.range(0) == 0 ? "keys" : "history");
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_decode_resume_1MiB)->DenseRange(0, 1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_naive_decode_resume_1MiB)->DenseRange(0, 1)->Unit(benchmark::kMillisecond);

void BM_decode_replay_100(benchmark::State& st) {
  const auto& body = bench::replay_body();
  const detail::ResponseContext context{200, "req"};
  for (auto _ : st) {
    st.PauseTiming();
    std::string buffer = body;
    st.ResumeTiming();
    benchmark::DoNotOptimize(detail::decode_replay(buffer, context));
  }
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(body.size()));
}
void BM_naive_decode_replay_100(benchmark::State& st) {
  const auto& body = bench::replay_body();
  for (auto _ : st) {
    auto doc = json::parse(body);
    std::vector<bench::NaiveCheckpoint> checkpoints;
    for (auto& item : doc.at("checkpoints")) checkpoints.push_back(bench::naive_checkpoint(item));
    benchmark::DoNotOptimize(checkpoints);
  }
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_decode_replay_100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_naive_decode_replay_100)->Unit(benchmark::kMicrosecond);

// A 409 with "existing": body to ConflictError, thrown and caught.
void BM_error_mapping(benchmark::State& st) {
  detail::HttpResponse response;
  response.status = 409;
  response.body = bench::conflict_body();
  response.request_id = "e515ec7a-0818-4a9a-b2f6-eab2629395c9";
  for (auto _ : st) {
    try {
      detail::throw_http_error(response, bench::kApiKey);
    } catch (const snapstate::ConflictError& e) {
      benchmark::DoNotOptimize(e.existing_checkpoint_id());
    }
  }
}
void BM_error_body(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(detail::parse_error_body(bench::conflict_body()));
}
void BM_naive_error_body(benchmark::State& st) {
  for (auto _ : st) {
    const auto doc = json::parse(bench::conflict_body());
    const auto& error = doc.at("error");
    detail::ErrorBody out{error.at("code").get<std::string>(),
                          error.at("message").get<std::string>(),
                          doc.at("existing").at("checkpoint_id").get<std::string>(),
                          doc.at("existing").at("etag").get<std::string>()};
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_error_mapping);
BENCHMARK(BM_error_body);
BENCHMARK(BM_naive_error_body);

}  // namespace

BENCHMARK_MAIN();
