// snapstate-bench-ref: the references the client is measured against, on the same server,
// with the same requests, bodies and headers.
//   --mode bare:      the limit; one reused libcurl easy handle, precomputed bodies, no JSON work.
//   --mode bare-safe: bare, plus what the client's wire does for data safety (issue 11): a fresh
//                     Request-Id header on every request and its echo checked, a PREREQFUNCTION
//                     that would refuse a re-sent write, the transfer run on a multi handle of
//                     its own (so close() can wake it). Against bare: the cost of data safety.
//   --mode naive:     the bare handle, requests written with nlohmann dump(), responses read
//                     with nlohmann::json::parse and moved into plain structs.
#include <curl/curl.h>

#include <cstring>
#include <iostream>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>
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
  Easy(int port, bool safe)
      : base_("http://127.0.0.1:" + std::to_string(port)),
        easy_(curl_easy_init()),
        multi_(safe ? curl_multi_init() : nullptr) {
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
    if (multi_ != nullptr) {
      curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &Easy::on_header);
      curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
      curl_easy_setopt(easy_, CURLOPT_PREREQFUNCTION, &Easy::on_prerequest);
      curl_easy_setopt(easy_, CURLOPT_PREREQDATA, this);
      // The id's line goes last in both lists (libcurl keeps copies); its digits are rewritten
      // in place before each request.
      get_ = curl_slist_append(get_, "Request-Id: 0000000000000000");
      post_ = curl_slist_append(post_, "Request-Id: 0000000000000000");
      for (curl_slist* list : {get_, post_}) {
        while (list->next != nullptr) list = list->next;
        id_digits_.push_back(list->data + std::strlen(list->data) - 16);
      }
    }
  }
  ~Easy() {
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
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
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
    const std::string_view line(data, size * count);
    constexpr std::string_view kName = "x-request-id: ";
    if (line.size() > kName.size() && line.compare(0, kName.size(), kName) == 0) {
      auto value = line.substr(kName.size());
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
        value.remove_suffix(1);
      static_cast<Easy*>(self)->echoed_.assign(value);
    }
    return size * count;
  }
  static int on_prerequest(void* self, char*, char*, int, int) {
    return ++static_cast<Easy*>(self)->sends_ > 1 ? CURL_PREREQFUNC_ABORT : CURL_PREREQFUNC_OK;
  }

  // As the client's handle does: a new id in the line libcurl sends, the transfer on the multi
  // handle, the echo compared.
  CURLcode run_safe() {
    static constexpr char kHex[] = "0123456789abcdef";
    std::uint64_t bits = rng_();
    char* id = id_digits_[0];
    for (int i = 0; i < 16; ++i, bits >>= 4) id[i] = kHex[bits & 0xF];
    std::memcpy(id_digits_[1], id, 16);
    sends_ = 0;
    echoed_.clear();
    curl_multi_add_handle(multi_, easy_);
    int running = 1;
    while (running > 0) {
      if (curl_multi_perform(multi_, &running) != CURLM_OK) break;
      if (running > 0) curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
    }
    CURLcode rc = CURLE_OK;
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg == CURLMSG_DONE) rc = message->data.result;
    }
    curl_multi_remove_handle(multi_, easy_);
    if (rc == CURLE_OK && echoed_ != std::string_view(id, 16)) {
      throw std::runtime_error("the answer echoes another Request-Id");
    }
    return rc;
  }

  const std::string& perform(long expected) {
    body_.clear();
    const CURLcode rc = multi_ != nullptr ? run_safe() : curl_easy_perform(easy_);
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) throw std::runtime_error(curl_easy_strerror(rc));
    if (status != expected) throw std::runtime_error("HTTP " + std::to_string(status));
    return body_;
  }

  std::string base_;
  CURL* easy_;
  CURLM* multi_;
  curl_slist* get_ = nullptr;
  curl_slist* post_ = nullptr;
  std::string body_;
  std::vector<char*> id_digits_;  // the 16 digits of the id in each header list
  std::string echoed_;
  std::mt19937_64 rng_{std::random_device{}()};
  int sends_ = 0;
};

nlohmann::json run(const bench::Args& args, const std::string& name) {
  const bool naive = args.mode == "naive";
  bench::Spec spec{args.mode, name, args.iterations, 0, 1, 0, args.port};
  const auto size = bench::scenario_size(name);
  if (name == "replay_100" || (size && *size != Size::small))
    spec.iterations = args.large_iterations;
  spec.warmup = args.warmup(spec.iterations);
  const bool full = args.full_check;
  Easy easy(args.port, args.mode == "bare-safe");

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
  if (args.mode != "bare" && args.mode != "bare-safe" && args.mode != "naive") {
    std::cerr << "snapstate-bench-ref: --mode bare|bare-safe|naive is required\n";
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const int status = bench::run_all(args, "snapstate-bench-ref", run);
  curl_global_cleanup();
  return status;
}
