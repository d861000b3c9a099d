// Runs a program with its own environment and stdin, capturing stdout, stderr and the exit
// code separately.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace snapstate_cli_test {

struct ProcessResult {
  std::string out;
  std::string err;
  int exit_code = -1;  // -1: killed by a signal or by the time limit
};

/// Runs `program args...` with the test process's environment minus every SNAPSTATE_*
/// variable, plus `env`; writes `stdin_data` to its stdin, then closes it. A run longer than
/// `time_limit_ms` is killed. With `stderr_on_terminal` the program's stderr is a terminal (a
/// pseudo-terminal in raw mode), as when a person runs it; stdout stays a pipe.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env,
                          const std::string& stdin_data = "", int time_limit_ms = 30000,
                          bool stderr_on_terminal = false);

}  // namespace snapstate_cli_test
