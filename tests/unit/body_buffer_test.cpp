// The per-thread request-body buffer: a save's capacity is reused by the next one on the same
// thread, a buffer that grew past twice the body limit is let go, and threads never share one.
#include <gtest/gtest.h>

#include <thread>

#include "body_buffer.hpp"
#include "protocol/limits.hpp"

namespace {

using snapstate::detail::recycle_body_buffer;
using snapstate::detail::take_body_buffer;

TEST(BodyBuffer, TheNextBodyReusesTheLastOnesCapacity) {
  std::string body = take_body_buffer();
  body.assign(300000, 'x');
  const std::size_t capacity = body.capacity();
  recycle_body_buffer(std::move(body));
  const std::string next = take_body_buffer();
  EXPECT_TRUE(next.empty());
  EXPECT_EQ(next.capacity(), capacity);
}

TEST(BodyBuffer, AnOutsizedBufferIsNotKept) {
  std::string huge(2 * snapstate::protocol::kMaxBodyBytes + 1, 'x');
  recycle_body_buffer(std::move(huge));
  EXPECT_LE(take_body_buffer().capacity(), 2 * snapstate::protocol::kMaxBodyBytes);
}

TEST(BodyBuffer, EachThreadHasItsOwn) {
  std::string mine = take_body_buffer();
  mine.assign(100000, 'x');
  recycle_body_buffer(std::move(mine));
  std::size_t other_capacity = 1;
  std::thread([&] { other_capacity = take_body_buffer().capacity(); }).join();
  EXPECT_LT(other_capacity, 100000u);
  EXPECT_GE(take_body_buffer().capacity(), 100000u);
}

}  // namespace
