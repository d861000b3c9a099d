// The listener: the cap on connections served at once, and reads and waits that a signal
// does not break (EINTR).
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "devserver_test_support.hpp"

namespace dstest {
namespace {

using std::chrono::milliseconds;

TEST(Listener, AConnectionOverTheCapIsAnswered503AtOnceAndClosed) {
  snapstate::devserver::ServerOptions o;
  o.max_connections = 2;
  auto server = start_server(o);
  auto first = std::make_unique<RawClient>(server->port());
  RawClient second(server->port());
  ASSERT_EQ(200, first->request("GET", "/ready").status);
  ASSERT_EQ(200, second.request("GET", "/ready").status);

  // Both slots are held by idle keep-alive connections.
  RawClient third(server->port());
  const HttpResponse refused = third.request("GET", "/ready");
  EXPECT_EQ(503, refused.status);
  ASSERT_NE(nullptr, refused.header("retry-after"));
  EXPECT_EQ("1", *refused.header("retry-after"));
  const Json body = refused.json();
  EXPECT_EQ(503, body["statusCode"]);
  EXPECT_EQ("Service Unavailable", body["error"]);
  EXPECT_NE(std::string::npos, body["message"].get<std::string>().find("--max-connections"));
  EXPECT_TRUE(third.closed_by_peer());

  // Once one closes, a new connection is served (the server notices the close at once; the
  // loop only absorbs the moment it takes).
  first.reset();
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    status = RawClient(server->port()).request("GET", "/ready").status;
    if (status != 200) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(200, status);
  EXPECT_EQ(200, second.request("GET", "/ready").status);  // the held one still works
}

void ignore(int) {}

// SIGUSR1 to every thread of this process: a signal sent to the process would go to one
// thread only, again and again.
int signal_every_thread() {
  int sent = 0;
  std::error_code error;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", error)) {
    const long tid = std::stol(task.path().filename().string());
    sent += ::syscall(SYS_tgkill, ::getpid(), tid, SIGUSR1) == 0 ? 1 : 0;
  }
  return sent;
}

// Signals every thread of this process until destroyed (also when an assertion ends the test).
class SignalStorm {
 public:
  SignalStorm()
      : thread_([this] {
          while (!stop_) {
            sent_ += signal_every_thread();
            std::this_thread::sleep_for(std::chrono::microseconds(500));
          }
        }) {}
  ~SignalStorm() {
    stop_ = true;
    thread_.join();
  }
  int sent() const { return sent_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> sent_{0};
  std::thread thread_;
};

class Signals : public ::testing::TestWithParam<Storage> {};

// SIGUSR1, with a handler installed without SA_RESTART, lands again and again on each of the
// server's threads while they wait for a request, read one sent in pieces, and store it.
TEST_P(Signals, DoNotBreakAConnection) {
  struct sigaction action {};
  action.sa_handler = ignore;  // left installed: a late signal must not end the test process
  sigemptyset(&action.sa_mask);
  ASSERT_EQ(0, ::sigaction(SIGUSR1, &action, nullptr));
  auto server = start_server({}, GetParam());  // its threads take the signal
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigset_t before;
  ASSERT_EQ(0, ::pthread_sigmask(SIG_BLOCK, &usr1, &before));  // held here until the end
  auto storm = std::make_unique<SignalStorm>();

  RawClient client(server->port());
  ASSERT_EQ(200, client.request("GET", "/ready").status);
  std::this_thread::sleep_for(milliseconds(200));  // an idle keep-alive wait
  const std::string body = R"({"workflow_id":"sig","step":1,"state":{"n":1}})";
  const std::string request =
      "POST /checkpoints HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kKey1 +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  for (std::size_t at = 0; at < request.size(); at += 16) {
    ASSERT_TRUE(client.send(request.substr(at, 16)));
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(201, client.read_response().status);
  EXPECT_EQ(1, client.request("GET", "/workflows/sig/resume", auth()).json()["total_checkpoints"]);

  EXPECT_GT(storm->sent(), 100);
  storm.reset();
  ASSERT_EQ(0, ::pthread_sigmask(SIG_SETMASK, &before, nullptr));
}

INSTANTIATE_TEST_SUITE_P(Storage, Signals, both_storages());

}  // namespace
}  // namespace dstest
