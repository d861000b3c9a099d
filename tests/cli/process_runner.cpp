#include "process_runner.hpp"

#include <chrono>
#include <csignal>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char** environ;

namespace snapstate_cli_test {
namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() {
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  }
  ~Pipe() { close_both(); }
  void close_end(int i) {
    if (fds[i] >= 0) ::close(fds[i]);
    fds[i] = -1;
  }
  void close_both() {
    close_end(0);
    close_end(1);
  }
};

// A pseudo-terminal: the child writes to the terminal end, the test reads the other.
struct Terminal {
  int reader = -1;
  int terminal = -1;
  Terminal() {
    reader = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (reader < 0 || ::grantpt(reader) != 0 || ::unlockpt(reader) != 0) {
      throw std::runtime_error("no pseudo-terminal");
    }
    terminal = ::open(::ptsname(reader), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (terminal < 0) throw std::runtime_error("cannot open the pseudo-terminal");
    termios raw{};
    ::tcgetattr(terminal, &raw);
    ::cfmakeraw(&raw);  // bytes as written: no \r added to each \n
    ::tcsetattr(terminal, TCSANOW, &raw);
  }
  ~Terminal() {
    if (reader >= 0) ::close(reader);
    if (terminal >= 0) ::close(terminal);
  }
};

std::vector<std::string> child_environment(const std::map<std::string, std::string>& env) {
  std::vector<std::string> out;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "SNAPSTATE_", 10) != 0) out.emplace_back(*entry);
  }
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env,
                          const std::string& stdin_data, int time_limit_ms,
                          bool stderr_on_terminal) {
  std::signal(SIGPIPE, SIG_IGN);  // the child may exit before reading all of stdin
  Pipe in, out, err;
  std::unique_ptr<Terminal> tty;
  if (stderr_on_terminal) {
    tty = std::make_unique<Terminal>();
    err.close_both();
    err.fds[0] = tty->reader;  // read like the pipe's end; a closed terminal reads as EIO
    err.fds[1] = tty->terminal;
    tty->reader = tty->terminal = -1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fds[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fds[1], 2);

  std::vector<std::string> argv_strings{program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = child_environment(env);
  auto argv = pointers(argv_strings);
  auto envp = pointers(env_strings);

  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    throw std::runtime_error("cannot start " + program + ": " + std::strerror(spawned));
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);

  ProcessResult result;
  std::size_t written = 0;
  if (stdin_data.empty()) in.close_end(1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(time_limit_ms);
  bool killed = false;
  while (out.fds[0] >= 0 || err.fds[0] >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd fds[3] = {{out.fds[0], POLLIN, 0}, {err.fds[0], POLLIN, 0}, {in.fds[1], POLLOUT, 0}};
    if (::poll(fds, 3, static_cast<int>(left.count())) < 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        (i == 0 ? out : err).close_end(0);
      } else {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      }
    }
    if (fds[2].fd >= 0 && fds[2].revents != 0) {
      const ssize_t n =
          ::write(in.fds[1], stdin_data.data() + written, stdin_data.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n <= 0 || written == stdin_data.size()) in.close_end(1);
    }
  }
  in.close_end(1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = (!killed && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace snapstate_cli_test
