// Command line shared by the bench executables:
//   --port P --scenarios a,b,c [--iterations N] [--large-iterations M] [--full-check]
// Small scenarios run N timed calls, large ones (≥ 100 KB bodies, replay) M; warm-up is 5%.
#pragma once

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

struct Args {
  int port = 0;
  std::vector<std::string> scenarios;
  int iterations = 2000;
  int large_iterations = 100;
  bool full_check = false;  // compare whole states, not just sizes (smoke mode)
  std::string mode;         // references only: bare or naive

  int warmup(int n) const { return n / 20 < 3 ? 3 : n / 20; }
};

inline Args parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << flag << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (flag == "--port")
      args.port = std::atoi(value().c_str());
    else if (flag == "--iterations")
      args.iterations = std::atoi(value().c_str());
    else if (flag == "--large-iterations")
      args.large_iterations = std::atoi(value().c_str());
    else if (flag == "--full-check")
      args.full_check = true;
    else if (flag == "--mode")
      args.mode = value();
    else if (flag == "--scenarios") {
      std::stringstream list(value());
      for (std::string item; std::getline(list, item, ',');) args.scenarios.push_back(item);
    } else {
      std::cerr << "unknown argument " << flag << "\n";
      std::exit(2);
    }
  }
  if (args.port <= 0 || args.scenarios.empty()) {
    std::cerr << "usage: " << argv[0] << " --port P --scenarios a,b [--iterations N] "
              << "[--large-iterations M] [--full-check] [--mode bare|naive]\n";
    std::exit(2);
  }
  return args;
}

// True when a result line shows a failed call, a wrong answer, a rejected or missing request,
// or a sequential scenario that opened more than one connection. Says why on stderr.
inline bool result_failed(const nlohmann::json& r) {
  const auto connections = r.at("connections").get<std::uint64_t>();
  const bool sequential = r.at("threads").get<int>() == 1 &&
                          r.at("scenario").get<std::string>().rfind("async_", 0) != 0;
  const bool failed = r.at("failures").get<int>() != 0 || r.at("wrong").get<int>() != 0 ||
                      r.at("server_bad").get<std::uint64_t>() != 0 ||
                      r.at("server_requests").get<std::uint64_t>() !=
                          r.at("requests_expected").get<std::uint64_t>() ||
                      (sequential && connections != 1);
  if (failed) std::cerr << "bench check failed: " << r.dump() << "\n";
  return failed;
}

// Runs every scenario of `args` through `run(args, name)`, printing one JSON line each; the
// exit code of a bench program (1 when any scenario failed its checks or threw).
template <class Run>
int run_all(const Args& args, const char* program, Run run) {
  bool failed = false;
  for (const auto& name : args.scenarios) {
    try {
      const auto result = run(args, name);
      failed = failed || result_failed(result);
      std::cout << result.dump() << std::endl;
    } catch (const std::exception& e) {
      std::cerr << program << ": " << name << ": " << e.what() << "\n";
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

}  // namespace bench
