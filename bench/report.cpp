// snapstate-bench-report OUT_DIR [--rss rss.jsonl] [--codec codec.json] rep-1.jsonl ...: aggregates
// the result lines of several repetitions (medians with min-max), pairs client and references
// within each repetition for the ratios, checks issue 7's targets, writes OUT_DIR/latest.json and
// OUT_DIR/latest.dat (for gnuplot) and prints the ratio table.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

// rows[scenario][impl] = one result per repetition (null where that run is missing)
using Rows = std::map<std::string, std::map<std::string, std::vector<json>>>;

json summary(std::vector<double> v) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  const double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return json{{"median", median}, {"min", v.front()}, {"max", v.back()}, {"n", n}};
}

std::vector<double> metric(const std::vector<json>& runs, const char* key) {
  std::vector<double> out;
  for (const auto& r : runs) {
    if (r.is_object()) out.push_back(r.at(key).get<double>());
  }
  return out;
}

// Per repetition: a.key / b.key, for the repetitions where both ran.
std::vector<double> paired(const std::vector<json>& a, const std::vector<json>& b,
                           const char* key) {
  std::vector<double> out;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].is_object() && b[i].is_object()) {
      out.push_back(a[i].at(key).get<double>() / b[i].at(key).get<double>());
    }
  }
  return out;
}

std::string range(const json& s, const char* fmt = "%.3f") {
  if (s.is_null()) return "-";
  char buf[96];
  std::snprintf(buf, sizeof buf, fmt, s["median"].get<double>());
  std::string out = buf;
  std::snprintf(buf, sizeof buf, fmt, s["min"].get<double>());
  out += std::string(" [") + buf;
  std::snprintf(buf, sizeof buf, fmt, s["max"].get<double>());
  return out + "–" + buf + "]";
}

struct Target {
  std::string scenario, against, metric, goal;  // metric: rps (higher) or ms_per_call (lower)
  double limit;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: snapstate-bench-report OUT_DIR rep.jsonl...\n";
    return 2;
  }
  const std::string out_dir = argv[1];
  std::string rss_file, codec_file;
  std::vector<std::string> rep_files;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rss" && i + 1 < argc)
      rss_file = argv[++i];
    else if (arg == "--codec" && i + 1 < argc)
      codec_file = argv[++i];
    else
      rep_files.push_back(arg);
  }
  const std::size_t reps = rep_files.size();
  Rows rows;
  std::vector<std::string> order;
  for (std::size_t rep = 0; rep < reps; ++rep) {
    std::ifstream in(rep_files[rep]);
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] != '{') continue;
      const auto r = json::parse(line);
      const auto scenario = r.at("scenario").get<std::string>();
      if (rows.find(scenario) == rows.end()) order.push_back(scenario);
      auto& runs = rows[scenario][r.at("impl").get<std::string>()];
      runs.resize(reps);
      runs[rep] = r;
    }
  }

  json doc = {{"repetitions", reps}, {"scenarios", json::object()}, {"targets", json::array()}};
  std::ofstream dat(out_dir + "/latest.dat");
  dat << "# scenario client_med client_min client_max bare_med bare_min bare_max naive_med "
         "naive_min naive_max (ms per call)\n";
  for (const auto& scenario : order) {
    auto& entry = doc["scenarios"][scenario];
    dat << '"' << scenario << '"';
    for (const char* impl : {"client", "bare", "naive"}) {
      const auto it = rows[scenario].find(impl);
      if (it == rows[scenario].end()) {
        dat << " - - -";
        continue;
      }
      auto& m = entry[impl];
      for (const char* key : {"rps", "ms_per_call", "cpu_ms_per_1k", "p50_us", "p99_us",
                              "server_cpu_share", "connections"}) {
        m[key] = summary(metric(it->second, key));
      }
      std::vector<double> growth, peak_over_base, samples_growth;
      for (const auto& r : it->second) {
        if (!r.is_object()) continue;
        peak_over_base.push_back(r["rss_peak_kb"].get<double>() - r["rss_base_kb"].get<double>());
        const auto& s = r["rss_samples_kb"];
        if (s.size() >= 2)
          samples_growth.push_back(s.back().get<double>() - s.front().get<double>());
      }
      m["rss_peak_over_base_kb"] = summary(peak_over_base);
      m["rss_growth_over_loop_kb"] = summary(samples_growth);
      m["body_bytes"] = it->second.back().is_object() ? it->second.back()["body_bytes"] : json(0);
      const auto& ms = m["ms_per_call"];
      dat << ' ' << ms["median"] << ' ' << ms["min"] << ' ' << ms["max"];
    }
    dat << "\n";
  }

  const std::vector<Target> targets = {
      {"save_small", "bare", "rps", ">= 0.90", 0.90},
      {"resume_small", "bare", "rps", ">= 0.90", 0.90},
      {"save_900k_keys", "naive", "ms_per_call", "<= 1.0 (aim 0.6)", 1.0},
      {"save_900k_history", "naive", "ms_per_call", "<= 1.0 (aim 0.6)", 1.0},
      {"resume_1m_keys", "naive", "ms_per_call", "<= 0.6", 0.6},
      {"resume_1m_history", "naive", "ms_per_call", "<= 0.6", 0.6},
      {"replay_100", "naive", "ms_per_call", "<= 0.6", 0.6},
  };
  std::printf("\n%-20s %-24s %-24s %-24s %-22s %-22s %s\n", "scenario", "client ms/call",
              "bare ms/call", "naive ms/call", "client/bare rps", "client/naive time", "target");
  for (const auto& scenario : order) {
    auto& by_impl = rows[scenario];
    const auto& e = doc["scenarios"][scenario];
    const auto ms = [&](const char* impl) {
      return e.contains(impl) ? range(e[impl]["ms_per_call"]) : std::string("-");
    };
    std::string vs_bare = "-", vs_naive = "-", verdict;
    if (by_impl.count("client") && by_impl.count("bare")) {
      const auto s = summary(paired(by_impl["client"], by_impl["bare"], "rps"));
      doc["scenarios"][scenario]["client_over_bare_rps"] = s;
      vs_bare = range(s);
    }
    if (by_impl.count("client") && by_impl.count("naive")) {
      // time ratio client/naive: below 1 means faster than naive
      const auto s = summary(paired(by_impl["client"], by_impl["naive"], "ms_per_call"));
      doc["scenarios"][scenario]["client_over_naive_time"] = s;
      vs_naive = range(s);
    }
    for (const auto& t : targets) {
      if (t.scenario != scenario) continue;
      const auto& s = doc["scenarios"][scenario]
                         [t.against == "bare" ? "client_over_bare_rps" : "client_over_naive_time"];
      if (s.is_null()) continue;
      const double v = s["median"].get<double>();
      const bool met = t.metric == "rps" ? v >= t.limit : v <= t.limit;
      verdict = std::string(met ? "MET " : "MISSED ") + "client/" + t.against + " " + t.goal;
      doc["targets"].push_back({{"scenario", scenario},
                                {"against", t.against},
                                {"goal", t.goal},
                                {"median", v},
                                {"met", met}});
    }
    std::printf("%-20s %-24s %-24s %-24s %-22s %-22s %s\n", scenario.c_str(), ms("client").c_str(),
                ms("bare").c_str(), ms("naive").c_str(), vs_bare.c_str(), vs_naive.c_str(),
                verdict.c_str());
  }

  // Thread scaling: 4 threads sharing one client against one thread.
  if (rows.count("threads_1") && rows.count("threads_4")) {
    const auto s = summary(paired(rows["threads_4"]["client"], rows["threads_1"]["client"], "rps"));
    const bool met = s["median"].get<double>() >= 1.6;
    doc["targets"].push_back({{"scenario", "threads_4 / threads_1"},
                              {"goal", ">= 1.6"},
                              {"median", s["median"]},
                              {"met", met}});
    std::printf("\nthreads: 4 threads / 1 thread requests/s = %s  %s (target >= 1.6)\n",
                range(s).c_str(), met ? "MET" : "MISSED");
  }
  std::printf("\n%-20s %-10s %-22s %-18s %-18s %-14s %s\n", "scenario", "impl", "req/s",
              "CPU ms/1k req", "p50/p99 us", "server CPU", "RSS peak-base / growth KiB (bound)");
  for (const auto& scenario : order) {
    for (const auto& [impl, m] : doc["scenarios"][scenario].items()) {
      if (!m.is_object() || !m.contains("rps")) continue;
      char lat[64], rss[96];
      std::snprintf(lat, sizeof lat, "%.0f/%.0f", m["p50_us"]["median"].get<double>(),
                    m["p99_us"]["median"].get<double>());
      const double bound = 4.0 * m["body_bytes"].get<double>() / 1024.0;
      const auto& peak = m["rss_peak_over_base_kb"];
      const auto& growth = m["rss_growth_over_loop_kb"];
      std::snprintf(rss, sizeof rss, "%.0f / %.0f (%.0f)",
                    peak.is_null() ? 0.0 : peak["max"].get<double>(),
                    growth.is_null() ? 0.0 : growth["max"].get<double>(), bound);
      std::printf("%-20s %-10s %-22s %-18s %-18s %-14s %s\n", scenario.c_str(), impl.c_str(),
                  range(m["rps"], "%.0f").c_str(), range(m["cpu_ms_per_1k"], "%.1f").c_str(), lat,
                  range(m["server_cpu_share"], "%.2f").c_str(), rss);
    }
  }
  // RSS over long loops of the large calls (client): peak above the pre-loop baseline within
  // 4 x the body size, and flat: no growth from the second sample (20% in) to the last beyond
  // half a body (a leak of 1 KiB per call would show 800 KiB).
  if (!rss_file.empty()) {
    std::ifstream in(rss_file);
    std::printf("\n%-20s %-10s %-14s %-14s %-20s %s\n", "RSS loop", "calls", "base KiB",
                "peak-base KiB", "growth 20%->100%", "verdict (bound = 4 x body)");
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] != '{') continue;
      const auto r = json::parse(line);
      const double body_kb = r["body_bytes"].get<double>() / 1024.0;
      const double over = r["rss_peak_kb"].get<double>() - r["rss_base_kb"].get<double>();
      const auto& samples = r["rss_samples_kb"];
      const double growth =
          samples.size() >= 2 ? samples.back().get<double>() - samples[1].get<double>() : 0.0;
      const bool met = over <= 4 * body_kb && growth <= body_kb / 2;
      std::printf("%-20s %-10d %-14.0f %-14.0f %-20.0f %s (%.0f KiB)\n",
                  r["scenario"].get<std::string>().c_str(), r["iterations"].get<int>(),
                  r["rss_base_kb"].get<double>(), over, growth, met ? "MET" : "MISSED",
                  4 * body_kb);
      doc["rss"].push_back({{"scenario", r["scenario"]},
                            {"iterations", r["iterations"]},
                            {"rss_base_kb", r["rss_base_kb"]},
                            {"peak_over_base_kb", over},
                            {"growth_kb", growth},
                            {"samples_kb", samples},
                            {"bound_kb", 4 * body_kb},
                            {"met", met}});
      doc["targets"].push_back({{"scenario", r["scenario"].get<std::string>() + " RSS"},
                                {"goal", "peak <= baseline + 4 x body, flat"},
                                {"met", met}});
    }
  }
  if (!codec_file.empty()) {
    std::ifstream in(codec_file);
    if (in) {
      const auto codec = json::parse(in, nullptr, false);
      if (!codec.is_discarded() && codec.contains("benchmarks")) {
        for (const auto& b : codec["benchmarks"]) {
          doc["codec"].push_back({{"name", b["name"]},
                                  {"label", b.value("label", "")},
                                  {"real_time", b["real_time"]},
                                  {"cpu_time", b["cpu_time"]},
                                  {"time_unit", b["time_unit"]}});
        }
      }
    }
  }
  std::ofstream(out_dir + "/latest.json") << doc.dump(2) << "\n";
  return 0;
}
