#include "devserver_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

extern char** environ;

namespace dstest {

DevserverProcess::DevserverProcess(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& env) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);

  // The variables the server reads come from `env` only, whatever the caller's shell has.
  std::vector<std::string> strings{SNAPSTATE_DEVSERVER_EXE};
  strings.insert(strings.end(), args.begin(), args.end());
  const std::size_t env_at = strings.size();
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "SNAPSTATE_DEVSERVER_", 20) != 0) strings.emplace_back(*entry);
  }
  for (const auto& [name, value] : env) strings.push_back(name + "=" + value);
  std::vector<char*> argv;
  std::vector<char*> envp;
  for (std::size_t i = 0; i < strings.size(); ++i) {
    (i < env_at ? argv : envp).push_back(strings[i].data());
  }
  argv.push_back(nullptr);
  envp.push_back(nullptr);

  const int spawned = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  out_ = fds[0];
  if (spawned != 0) {
    ::close(out_);
    throw std::runtime_error(std::string("cannot start the dev server: ") + std::strerror(spawned));
  }
}

DevserverProcess::~DevserverProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait_exit();
  }
  ::close(out_);
}

std::optional<std::string> DevserverProcess::next_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const std::size_t eol = buffer_.find('\n'); eol != std::string::npos) {
      std::string line = buffer_.substr(0, eol);
      buffer_.erase(0, eol + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{out_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      return std::nullopt;
    }
    char chunk[4096];
    const ssize_t n = ::read(out_, chunk, sizeof chunk);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    output_.append(chunk, static_cast<std::size_t>(n));
  }
}

int DevserverProcess::wait_listening() {
  const std::string prefix = "listening on http://127.0.0.1:";
  while (const auto line = next_line()) {
    if (line->rfind(prefix, 0) == 0) return std::stoi(line->substr(prefix.size()));
  }
  return 0;
}

void DevserverProcess::signal(int signal_number) {
  if (pid_ > 0) ::kill(pid_, signal_number);
}

int DevserverProcess::wait_exit() {
  int status = 0;
  if (pid_ <= 0 || ::waitpid(pid_, &status, 0) != pid_) return -1;
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string local_url(int port) {
  return "http://127.0.0.1:" + std::to_string(port);
}

}  // namespace dstest
