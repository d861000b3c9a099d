// snapstate-bench-ref: the two references the client is measured against, on the same server,
// with the same requests, bodies and headers.
//   --mode bare:  the limit; one reused libcurl easy handle, precomputed bodies, no JSON work.
//   --mode naive: the same handle, requests written with nlohmann dump(), responses read with
//                 nlohmann::json::parse and moved into plain structs.
#include <curl/curl.h>

#include <iostream>
#include <optional>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/cli.hpp"
#include "common/naive.hpp"
#include "common/payloads.hpp"
#include "common/runner.hpp"

namespace {

using bench::Clock;
using bench::Size;
using nlohmann::json;

class Easy {
 public:
  explicit Easy(int port)
      : base_("http://127.0.0.1:" + std::to_string(port)), easy_(curl_easy_init()) {
    const std::string auth = std::string("Authorization: Bearer ") + bench::kApiKey;
    get_ = curl_slist_append(get_, auth.c_str());
    get_ = curl_slist_append(get_, "Accept: application/json");
    post_ = curl_slist_append(post_, auth.c_str());
    post_ = curl_slist_append(post_, "Accept: application/json");
    post_ = curl_slist_append(post_, "Content-Type: application/json");
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy_, CURLOPT_USERAGENT, bench::kUserAgent);
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &Easy::on_body);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &body_);
  }
  ~Easy() {
    curl_easy_cleanup(easy_);
    curl_slist_free_all(get_);
    curl_slist_free_all(post_);
  }
  Easy(const Easy&) = delete;
  Easy& operator=(const Easy&) = delete;

  // The response body stays valid until the next call.
  const std::string& get(const std::string& path) {
    const std::string url = base_ + path;
    curl_easy_setopt(easy_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, get_);
    return perform(200);
  }
  const std::string& post(const std::string& path, const std::string& request) {
    const std::string url = base_ + path;
    curl_easy_setopt(easy_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy_, CURLOPT_POST, 1L);
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.size()));
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request.c_str());
    curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, post_);
    return perform(201);
  }

 private:
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
  }
  const std::string& perform(long expected) {
    body_.clear();
    const CURLcode rc = curl_easy_perform(easy_);
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) throw std::runtime_error(curl_easy_strerror(rc));
    if (status != expected) throw std::runtime_error("HTTP " + std::to_string(status));
    return body_;
  }

  std::string base_;
  CURL* easy_;
  curl_slist* get_ = nullptr;
  curl_slist* post_ = nullptr;
  std::string body_;
};

nlohmann::json run(const bench::Args& args, const std::string& name) {
  const bool naive = args.mode == "naive";
  bench::Spec spec{args.mode, name, args.iterations, 0, 1, 0, args.port};
  const auto size = bench::scenario_size(name);
  if (name == "replay_100" || (size && *size != Size::small))
    spec.iterations = args.large_iterations;
  spec.warmup = args.warmup(spec.iterations);
  const bool full = args.full_check;
  Easy easy(args.port);

  if (name.rfind("save_", 0) == 0 && size) {
    const auto& c = bench::save_case(*size);
    spec.body_bytes = c.body.size();
    return bench::run_scenario(spec, [&](int, int, Clock::time_point&) {
      if (!naive) return !easy.post("/checkpoints", c.body).empty();
      auto doc =
          json::parse(easy.post("/checkpoints", bench::save_body(c.workflow_id, c.step, c.state)));
      return doc.at("checkpoint_id").get_ref<const std::string&>() == c.checkpoint_id;
    });
  }
  if (name.rfind("resume_", 0) == 0 && size) {
    const auto& c = bench::resume_case(*size);
    spec.body_bytes = c.body.size();
    const std::string path = "/workflows/" + c.workflow_id + "/resume";
    return bench::run_scenario(spec, [&](int, int, Clock::time_point&) {
      const auto& body = easy.get(path);
      if (!naive) return body.size() == c.body.size();
      auto doc = json::parse(body);
      const auto latest = bench::naive_checkpoint(doc.at("latest_checkpoint"));
      return latest.step == c.step && latest.state.size() == c.state.size() &&
             (!full || latest.state == c.state);
    });
  }
  if (name == "replay_100") {
    spec.body_bytes = bench::replay_body().size();
    const std::string path = std::string("/workflows/") + bench::kReplayWorkflow + "/replay";
    return bench::run_scenario(spec, [&](int, int, Clock::time_point&) {
      const auto& body = easy.get(path);
      if (!naive) return body.size() == bench::replay_body().size();
      auto doc = json::parse(body);
      std::vector<bench::NaiveCheckpoint> checkpoints;
      auto& list = doc.at("checkpoints");
      checkpoints.reserve(list.size());
      for (auto& item : list) checkpoints.push_back(bench::naive_checkpoint(item));
      return checkpoints.size() == static_cast<std::size_t>(bench::kReplayCheckpoints);
    });
  }
  throw std::invalid_argument("no reference for scenario " + name);
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = bench::parse_args(argc, argv);
  if (args.mode != "bare" && args.mode != "naive") {
    std::cerr << "snapstate-bench-ref: --mode bare|naive is required\n";
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const int status = bench::run_all(args, "snapstate-bench-ref", run);
  curl_global_cleanup();
  return status;
}
