// snapstate-devserver: run the local SnapState server until SIGINT/SIGTERM.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>

#include "snapstate/devserver/server.hpp"

int main(int argc, char** argv) {
  snapstate::devserver::ServerOptions options;
  options.port = 3000;
  std::size_t rate_window_ms = 60000;
  bool quiet = false;

  CLI::App cli{
      "snapstate-devserver: a local SnapState server speaking the real server's wire protocol "
      "(quirks included), in memory or, with --data, in a SQLite file that survives restarts. "
      "Rate limits and webhooks are kept per API key (upstream shares them among all keys). "
      "A flag wins over its environment variable."};
  cli.set_version_flag("--version", std::string("snapstate-devserver ") +
                                        SNAPSTATE_DEVSERVER_VERSION +
                                        " (the SnapState server protocol " +
                                        snapstate::devserver::kProtocolVersion + ")");
  cli.add_option("--host", options.host, "Address to bind")->capture_default_str();
  cli.add_option("--port", options.port, "Port to listen on; 0 picks a free port")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535))
      ->envname("SNAPSTATE_DEVSERVER_PORT");
  cli.add_option("--api-key", options.api_keys,
                 std::string("Accepted API key, repeatable; each key is its own account "
                             "(default: ") +
                     snapstate::devserver::kDefaultApiKey + "); the variable holds one key")
      ->envname("SNAPSTATE_DEVSERVER_API_KEY");
  cli.add_option("--data", options.data_path,
                 "Keep everything in this SQLite file (created when missing) instead of in "
                 "memory; several servers may share it")
      ->envname("SNAPSTATE_DEVSERVER_DATA");
  cli.add_option("--rate-limit", options.rate_limit,
                 "Requests per window per API key on /checkpoints, /workflows and /webhooks; "
                 "0 turns the limit off")
      ->capture_default_str();
  cli.add_option("--rate-window-ms", rate_window_ms,
                 "Sliding rate-limit window in ms; 0 turns "
                 "the limit off")
      ->capture_default_str();
  cli.add_option("--default-ttl", options.default_ttl_seconds,
                 "Checkpoint TTL in seconds when X-Checkpoint-TTL is absent or not > 0")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cli.add_option("--max-connections", options.max_connections,
                 "Connections served at once; one more is answered 503 and closed")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000}));
  cli.add_flag("--quiet", quiet, "No per-request log lines on stderr");
  CLI11_PARSE(cli, argc, argv);
  options.rate_window = std::chrono::milliseconds(static_cast<long long>(rate_window_ms));
  options.quiet = quiet;

  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  snapstate::devserver::Server server(options);
  try {
    server.start();
  } catch (const std::exception& e) {
    std::cerr << "snapstate-devserver: " << e.what() << "\n";
    return 1;
  }
  // The development key, for scripts that start the server without one (devserver.sh).
  if (options.api_keys.empty()) std::cerr << "API key: " << server.api_keys().front() << "\n";
  std::cerr << "data: "
            << (options.data_path.empty() ? "in memory, lost when the server stops"
                                          : options.data_path)
            << "\n";
  std::cout << "listening on " << server.base_url() << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  server.stop();
  return 0;
}
