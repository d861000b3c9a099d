// The snapstate-devserver executable as a child process: started with flags and environment
// variables, its output read line by line with a time limit, stopped by a signal.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dstest {

class DevserverProcess {
 public:
  /// Starts the executable with `args`, in this process's environment without any
  /// SNAPSTATE_DEVSERVER_* variable, plus `env`. stdout and stderr share one pipe.
  explicit DevserverProcess(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env = {});
  ~DevserverProcess();  ///< SIGKILL if it still runs
  DevserverProcess(const DevserverProcess&) = delete;
  DevserverProcess& operator=(const DevserverProcess&) = delete;

  /// The next output line without its '\n'; nullopt at the end of the output or after
  /// `timeout`.
  std::optional<std::string> next_line(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Reads lines up to "listening on http://127.0.0.1:PORT" and returns PORT; 0 when the
  /// output ends first (every line read is kept in output()).
  int wait_listening();
  /// Everything read so far.
  const std::string& output() const { return output_; }

  void signal(int signal_number);
  /// Waits for the process to end: its exit code, or 128 + the signal that ended it.
  int wait_exit();

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
  std::string output_;
};

/// "http://127.0.0.1:PORT"
std::string local_url(int port);

}  // namespace dstest
