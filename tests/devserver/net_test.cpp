// snapstate::net (tools/net): the loopback socket module under the dev server's listener, the
// test servers and the bench's canned server, held to what its header promises.
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "snapstate/net/socket.hpp"

namespace {

namespace net = snapstate::net;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using Status = net::Received::Status;

// A connected pair over loopback: `client` dialled, `server` accepted.
struct Pair {
  net::ListenSocket listener = net::listen_tcp("127.0.0.1", 0);
  net::Fd client = net::connect_tcp("127.0.0.1", listener.port());
  net::Fd server = listener.accept_for(milliseconds(2000));
};

net::Received recv_for(const net::Fd& fd, std::string& out, milliseconds timeout) {
  return net::recv_some(fd.get(), out, timeout);
}

TEST(Net, ListensOnAFreePortAndCarriesBytesBothWays) {
  Pair p;
  EXPECT_GT(p.listener.port(), 0);
  ASSERT_TRUE(p.server);
  ASSERT_TRUE(net::send_all(p.client.get(), "ping"));
  std::string got;
  ASSERT_EQ(Status::data, recv_for(p.server, got, milliseconds(2000)).status);
  EXPECT_EQ("ping", got);
  const std::string big(1 << 20, 'x');  // more than the socket buffers hold: send_all loops
  std::thread reader([&] {
    std::string all;
    while (all.size() < big.size() && recv_for(p.client, all, milliseconds(2000))) continue;
    EXPECT_EQ(big, all);
  });
  EXPECT_TRUE(net::send_all(p.server.get(), big));
  reader.join();
}

TEST(Net, ATakenPortOrAnUnreachableOneIsAnError) {
  const net::ListenSocket taken = net::listen_tcp("127.0.0.1", 0);
  const std::string port = std::to_string(taken.port());
  try {
    net::listen_tcp("127.0.0.1", taken.port());
    ADD_FAILURE() << "a second listener on " << port;
  } catch (const std::runtime_error& e) {
    EXPECT_EQ("cannot listen on 127.0.0.1:" + port + ": Address already in use",
              std::string(e.what()));
  }
  const int closed = net::listen_tcp("127.0.0.1", 0).port();
  EXPECT_THROW(net::connect_tcp("127.0.0.1", closed), std::runtime_error);
}

TEST(Net, AcceptForTimesOutAndReturnsAtOnceWhenWoken) {
  const net::ListenSocket listener = net::listen_tcp("127.0.0.1", 0);
  net::Waker waker;
  EXPECT_FALSE(waker.woken());
  auto start = Clock::now();
  EXPECT_FALSE(listener.accept_for(milliseconds(0), &waker));
  EXPECT_FALSE(listener.accept_for(milliseconds(100), &waker));
  EXPECT_GE(Clock::now() - start, milliseconds(100));

  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    waker.wake();
  });
  start = Clock::now();
  EXPECT_FALSE(listener.accept_for(net::kForever, &waker));
  stopper.join();
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  // Woken for good, even with a connection pending.
  const net::Fd pending = net::connect_tcp("127.0.0.1", listener.port());
  EXPECT_TRUE(waker.woken());
  EXPECT_FALSE(listener.accept_for(net::kForever, &waker));
  EXPECT_TRUE(listener.accept_for(milliseconds(2000)));
}

TEST(Net, RecvSomeTellsTimeoutFinAndResetApart) {
  Pair idle;
  std::string got;
  EXPECT_EQ(Status::timed_out, recv_for(idle.client, got, milliseconds(50)).status);

  Pair fin;
  net::send_all(fin.server.get(), "last");
  net::shutdown_write(fin.server.get());
  EXPECT_EQ(Status::data, recv_for(fin.client, got, milliseconds(2000)).status);
  EXPECT_EQ("last", got);
  EXPECT_EQ(Status::closed, recv_for(fin.client, got, milliseconds(2000)).status);

  Pair reset;
  net::close_with_reset(std::move(reset.server));
  EXPECT_EQ(Status::failed, recv_for(reset.client, got, milliseconds(2000)).status);
}

TEST(Net, ShutdownBothEndsABlockedRecv) {
  Pair p;
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    net::shutdown_both(p.server.get());
  });
  std::string got;
  EXPECT_EQ(Status::closed, recv_for(p.server, got, net::kForever).status);
  stopper.join();
}

// Writing where the connection is gone is an error, never a SIGPIPE that ends the process.
TEST(Net, SendAllFailsWithoutSigpipe) {
  Pair p;
  net::shutdown_write(p.client.get());
  EXPECT_FALSE(net::send_all(p.client.get(), "after the FIN"));

  Pair reset;
  net::close_with_reset(std::move(reset.server));
  const std::string chunk(64 * 1024, 'x');
  int failures = 0;  // the reset is reported once; every later write fails with EPIPE
  for (int i = 0; i < 100 && failures < 2; ++i)
    failures += net::send_all(reset.client.get(), chunk) ? 0 : 1;
  EXPECT_EQ(2, failures);
}

// A reply before the whole request was read (a 413): without the drain, closing would reset
// the connection under the peer, which is still sending.
TEST(Net, DrainLetsThePeerFinishSendingAndReadTheReply) {
  Pair p;
  std::thread peer([&] {
    EXPECT_TRUE(net::send_all(p.client.get(), std::string(32 << 20, 'b')))
        << "more than the socket buffers hold, and the server reads none of it";
    std::string reply;
    net::Received got;
    while ((got = recv_for(p.client, reply, milliseconds(5000)))) continue;
    EXPECT_EQ(Status::closed, got.status);
    EXPECT_EQ("413", reply);
    p.client.reset();
  });
  ASSERT_TRUE(net::send_all(p.server.get(), "413"));
  const auto start = Clock::now();
  net::drain(p.server.get(), milliseconds(10000));
  EXPECT_LT(Clock::now() - start, milliseconds(5000)) << "drain ends when the peer closes";
  p.server.reset();
  peer.join();
}

}  // namespace
