// snapstate-bench-server: the canned server as a process of its own (so bench/run can pin it to
// one CPU). Prints "port N" once listening; runs until SIGINT/SIGTERM, then prints its counters.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "common/canned_server.hpp"

int main(int argc, char** argv) {
  int port = 0;
  if (argc == 3 && std::string(argv[1]) == "--port") port = std::atoi(argv[2]);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts: all inherit it

  bench::CannedServer server;
  std::cout << "port " << server.start(port) << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  const auto s = server.stats();
  server.stop();
  std::cerr << "snapstate-bench-server: " << s.accepts << " connections, " << s.requests
            << " requests, " << s.bad << " rejected, " << s.cpu_us / 1000 << " ms CPU\n";
  return 0;
}
