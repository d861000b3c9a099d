// snapstate-bench-report OUT_DIR [--rss rss.jsonl] [--codec codec.json] [--conditions c.json]
// rep-1.jsonl ...: aggregates the result lines of several repetitions (medians with min-max),
// pairs the client with each reference within a file for the ratios (a file is a repetition,
// or a further round of a repetition's small calls: bench/run measures those several times),
// checks the targets (issue 7's and issue 15's), writes OUT_DIR/latest.json and OUT_DIR/latest.dat
// (for gnuplot) and prints the tables. The conditions file (load, pinning) says whether the run was
// quiet.
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
    if (r.is_object() && r.contains(key) && r.at(key).is_number()) {
      out.push_back(r.at(key).get<double>());
    }
  }
  return out;
}

// Per file: a.key / b.key, for the files where both ran.
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

// A goal on the median of `a`'s `key` (over `b`'s, paired per repetition, unless b is empty).
struct Target {
  std::string scenario, a, b, key;
  bool at_least;  // the value must be >= limit (else <= limit)
  double limit;
  std::string goal;  // as printed
};

// The targets of issue 7 (large calls, threads) and issue 15 (small calls, flat keys, data
// safety). "before" values are the README table of the commit before issue 15.
const std::vector<Target>& targets() {
  static const std::vector<Target> all = {
      {"save_small", "client", "bare", "rps", true, 0.95, "client/bare req/s >= 0.95"},
      {"resume_small", "client", "bare", "rps", true, 0.95, "client/bare req/s >= 0.95"},
      {"save_small", "client", "bare", "cpu_ms_per_1k", false, 1.15, "client/bare CPU <= 1.15"},
      {"resume_small", "client", "bare", "cpu_ms_per_1k", false, 1.15, "client/bare CPU <= 1.15"},
      {"resume_small", "client", "", "allocations_per_call", false, 35, "client allocations <= 35"},
      {"save_small", "bare-safe", "bare", "rps", true, 0.97,
       "data safety (bare-safe/bare req/s) >= 0.97"},
      {"save_900k_keys", "client", "naive", "ms_per_call", false, 1.0, "client/naive <= 1.0"},
      {"save_900k_history", "client", "naive", "ms_per_call", false, 1.0, "client/naive <= 1.0"},
      {"resume_1m_flat", "client", "naive", "ms_per_call", false, 0.5, "client/naive <= 0.5"},
      {"resume_1m_flat", "client", "python", "ms_per_call", false, 1.0,
       "client/python floor < 1.0"},
      {"resume_1m_keys", "client", "naive", "ms_per_call", false, 0.6, "client/naive <= 0.6"},
      {"resume_1m_history", "client", "naive", "ms_per_call", false, 0.6,
       "client/naive <= 0.6 (before: 0.11)"},
      {"replay_100", "client", "naive", "ms_per_call", false, 0.6,
       "client/naive <= 0.6 (before: 0.50)"},
  };
  return all;
}

// The value a target is judged on, or null when its runs are missing.
json target_value(Rows& rows, const Target& t) {
  const auto& by_impl = rows[t.scenario];
  if (!by_impl.count(t.a) || (!t.b.empty() && !by_impl.count(t.b))) return nullptr;
  if (t.b.empty()) return summary(metric(by_impl.at(t.a), t.key.c_str()));
  return summary(paired(by_impl.at(t.a), by_impl.at(t.b), t.key.c_str()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: snapstate-bench-report OUT_DIR [--rss F] [--codec F] [--conditions F] "
                 "rep.jsonl...\n";
    return 2;
  }
  const std::string out_dir = argv[1];
  std::string rss_file, codec_file, conditions_file;
  std::vector<std::string> rep_files;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rss" && i + 1 < argc)
      rss_file = argv[++i];
    else if (arg == "--codec" && i + 1 < argc)
      codec_file = argv[++i];
    else if (arg == "--conditions" && i + 1 < argc)
      conditions_file = argv[++i];
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
  if (!conditions_file.empty()) {
    std::ifstream in(conditions_file);
    doc["conditions"] = json::parse(in, nullptr, false);
  }
  const auto& conditions = doc["conditions"];
  const bool quiet = conditions.is_object() && conditions.value("quiet", false);
  if (conditions.is_object()) {
    std::printf("conditions: %s — %s\n", quiet ? "QUIET" : "NOT QUIET",
                conditions.value("summary", std::string("?")).c_str());
  }

  std::ofstream dat(out_dir + "/latest.dat");
  dat << "# scenario client_med client_min client_max bare_med bare_min bare_max naive_med "
         "naive_min naive_max (ms per call)\n";
  for (const auto& scenario : order) {
    auto& entry = doc["scenarios"][scenario];
    for (const auto& [impl, runs] : rows[scenario]) {
      auto& m = entry[impl];
      for (const char* key :
           {"rps", "ms_per_call", "cpu_ms_per_1k", "p50_us", "p99_us", "server_cpu_share",
            "connections", "allocations_per_call", "minor_faults_per_call"}) {
        m[key] = summary(metric(runs, key));
      }
      std::vector<double> peak_over_base, samples_growth;
      for (const auto& r : runs) {
        if (!r.is_object() || !r.contains("rss_peak_kb")) continue;
        peak_over_base.push_back(r["rss_peak_kb"].get<double>() - r["rss_base_kb"].get<double>());
        const auto& s = r["rss_samples_kb"];
        if (s.size() >= 2)
          samples_growth.push_back(s.back().get<double>() - s.front().get<double>());
      }
      m["rss_peak_over_base_kb"] = summary(peak_over_base);
      m["rss_growth_over_loop_kb"] = summary(samples_growth);
      // From any file that ran it: the small calls' further rounds hold no large scenario.
      m["body_bytes"] = 0;
      for (const auto& r : runs) {
        if (r.is_object() && r.contains("body_bytes")) m["body_bytes"] = r["body_bytes"];
      }
    }
    dat << '"' << scenario << '"';
    for (const char* impl : {"client", "bare", "naive"}) {
      if (!entry.contains(impl)) {
        dat << " - - -";
        continue;
      }
      const auto& ms = entry[impl]["ms_per_call"];
      dat << ' ' << ms["median"] << ' ' << ms["min"] << ' ' << ms["max"];
    }
    dat << "\n";
  }

  // Ratios of the client to each reference, paired per repetition.
  for (const auto& scenario : order) {
    auto& by_impl = rows[scenario];
    auto& e = doc["scenarios"][scenario];
    if (by_impl.count("client") && by_impl.count("bare")) {
      e["client_over_bare_rps"] = summary(paired(by_impl["client"], by_impl["bare"], "rps"));
      e["client_over_bare_cpu"] =
          summary(paired(by_impl["client"], by_impl["bare"], "cpu_ms_per_1k"));
    }
    if (by_impl.count("bare-safe") && by_impl.count("bare")) {
      e["bare_safe_over_bare_rps"] = summary(paired(by_impl["bare-safe"], by_impl["bare"], "rps"));
      e["bare_safe_over_bare_cpu"] =
          summary(paired(by_impl["bare-safe"], by_impl["bare"], "cpu_ms_per_1k"));
    }
    if (by_impl.count("client") && by_impl.count("naive")) {
      // time ratio client/naive: below 1 means faster than naive
      e["client_over_naive_time"] =
          summary(paired(by_impl["client"], by_impl["naive"], "ms_per_call"));
    }
    if (by_impl.count("client") && by_impl.count("python")) {
      e["client_over_python_time"] =
          summary(paired(by_impl["client"], by_impl["python"], "ms_per_call"));
    }
  }

  std::printf("\n%-18s %-22s %-22s %-22s %-20s %-20s %-16s\n", "scenario", "client ms/call",
              "bare ms/call", "naive ms/call", "client/bare req/s", "client/naive time",
              "allocs/call c|b|n");
  for (const auto& scenario : order) {
    const auto& e = doc["scenarios"][scenario];
    const auto ms = [&](const char* impl) {
      return e.contains(impl) ? range(e[impl]["ms_per_call"]) : std::string("-");
    };
    const auto allocs = [&](const char* impl) {
      if (!e.contains(impl) || e[impl]["allocations_per_call"].is_null()) return std::string("-");
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.0f",
                    e[impl]["allocations_per_call"]["median"].get<double>());
      return std::string(buf);
    };
    const std::string a = allocs("client") + "|" + allocs("bare") + "|" + allocs("naive");
    std::printf("%-18s %-22s %-22s %-22s %-20s %-20s %-16s\n", scenario.c_str(),
                ms("client").c_str(), ms("bare").c_str(), ms("naive").c_str(),
                range(e.value("client_over_bare_rps", json())).c_str(),
                range(e.value("client_over_naive_time", json())).c_str(), a.c_str());
  }

  std::printf(
      "\ntargets (medians, [min–max] over n pairs: one a repetition, more for the small "
      "calls)\n");
  bool all_met = true;
  for (const auto& t : targets()) {
    const json s = target_value(rows, t);
    if (s.is_null()) {
      std::printf("  %-18s %-46s not measured\n", t.scenario.c_str(), t.goal.c_str());
      continue;
    }
    const double v = s["median"].get<double>();
    const bool met = t.at_least ? v >= t.limit : v <= t.limit;
    all_met = all_met && met;
    std::printf("  %-18s %-46s %-24s %-6s n=%d\n", t.scenario.c_str(), t.goal.c_str(),
                range(s).c_str(), met ? "MET" : "MISSED", s["n"].get<int>());
    doc["targets"].push_back(
        {{"scenario", t.scenario}, {"goal", t.goal}, {"value", s}, {"met", met}});
  }
  // Thread scaling: 4 threads sharing one client against one thread.
  if (rows.count("threads_1") && rows.count("threads_4")) {
    const auto s = summary(paired(rows["threads_4"]["client"], rows["threads_1"]["client"], "rps"));
    const bool met = s["median"].get<double>() >= 1.6;
    all_met = all_met && met;
    doc["targets"].push_back({{"scenario", "threads_4 / threads_1"},
                              {"goal", "req/s >= 1.6"},
                              {"value", s},
                              {"met", met}});
    std::printf("  %-18s %-46s %-24s %-6s n=%d\n", "threads_4/threads_1", "req/s >= 1.6",
                range(s).c_str(), met ? "MET" : "MISSED", s["n"].get<int>());
  }
  for (const char* scenario : {"save_small", "resume_small"}) {
    const auto& e = doc["scenarios"][scenario];
    if (!e.contains("bare_safe_over_bare_rps") || e["bare_safe_over_bare_rps"].is_null()) continue;
    std::printf("  data safety on %-13s: bare-safe/bare req/s %s, CPU %s\n", scenario,
                range(e["bare_safe_over_bare_rps"]).c_str(),
                range(e["bare_safe_over_bare_cpu"]).c_str());
  }
  if (!quiet) {
    std::printf("  (the run was not quiet: every ratio above carries the machine's noise)\n");
  }
  doc["all_targets_met"] = all_met;

  std::printf("\n%-18s %-10s %-22s %-18s %-14s %-10s %-9s %s\n", "scenario", "impl", "req/s",
              "CPU ms/1k req", "p50/p99 us", "server CPU", "faults",
              "RSS peak-base / growth KiB (bound)");
  for (const auto& scenario : order) {
    for (const auto& [impl, m] : doc["scenarios"][scenario].items()) {
      if (!m.is_object() || !m.contains("rps") || m["rps"].is_null()) continue;
      char lat[64], rss[96], faults[32];
      std::snprintf(lat, sizeof lat, "%.0f/%.0f", m["p50_us"]["median"].get<double>(),
                    m["p99_us"]["median"].get<double>());
      const double bound = 4.0 * m["body_bytes"].get<double>() / 1024.0;
      const auto& peak = m["rss_peak_over_base_kb"];
      const auto& growth = m["rss_growth_over_loop_kb"];
      std::snprintf(rss, sizeof rss, "%.0f / %.0f (%.0f)",
                    peak.is_null() ? 0.0 : peak["max"].get<double>(),
                    growth.is_null() ? 0.0 : growth["max"].get<double>(), bound);
      const auto& f = m["minor_faults_per_call"];
      std::snprintf(faults, sizeof faults, "%.1f", f.is_null() ? 0.0 : f["median"].get<double>());
      std::printf("%-18s %-10s %-22s %-18s %-14s %-10s %-9s %s\n", scenario.c_str(), impl.c_str(),
                  range(m["rps"], "%.0f").c_str(), range(m["cpu_ms_per_1k"], "%.1f").c_str(), lat,
                  range(m["server_cpu_share"], "%.2f").c_str(), faults, rss);
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
