// The exception types: accessors carry what they were built with, copies never throw and share
// their details, every class is a SnapStateError and a std::runtime_error.
#include <gtest/gtest.h>

#include <type_traits>

#include "snapstate/client.hpp"
#include "snapstate/errors.hpp"

namespace {

using namespace snapstate;

template <class E>
constexpr bool is_cheap_and_rooted() {
  return std::is_nothrow_copy_constructible_v<E> && std::is_nothrow_copy_assignable_v<E> &&
         std::is_base_of_v<SnapStateError, E> && std::is_base_of_v<std::runtime_error, E>;
}

static_assert(is_cheap_and_rooted<SnapStateError>());
static_assert(is_cheap_and_rooted<ValidationError>());
static_assert(is_cheap_and_rooted<AuthError>());
static_assert(is_cheap_and_rooted<ForbiddenError>());
static_assert(is_cheap_and_rooted<NotFoundError>());
static_assert(is_cheap_and_rooted<ConflictError>());
static_assert(is_cheap_and_rooted<PayloadTooLargeError>());
static_assert(is_cheap_and_rooted<RateLimitError>());
static_assert(is_cheap_and_rooted<ServerError>());
static_assert(is_cheap_and_rooted<ProtocolError>());
static_assert(is_cheap_and_rooted<NetworkError>());
static_assert(is_cheap_and_rooted<TimeoutError>());
static_assert(std::is_base_of_v<NetworkError, TimeoutError>);

// The seed SDKs' names, deprecated but kept.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static_assert(std::is_same_v<CheckpointError, SnapStateError>);
static_assert(std::is_same_v<CheckpointClient, SnapStateClient>);
#pragma GCC diagnostic pop

TEST(Errors, AccessorsReturnWhatTheErrorWasBuiltWith) {
  const NotFoundError e("Checkpoint cp_x_001 not found", 404, "NOT_FOUND", "rid-1");
  EXPECT_STREQ(e.what(), "Checkpoint cp_x_001 not found");
  EXPECT_EQ(e.status_code(), 404);
  EXPECT_EQ(e.code(), "NOT_FOUND");
  EXPECT_EQ(e.request_id(), "rid-1");
}

TEST(Errors, ConflictAndRateLimitCarryTheirExtras) {
  const ConflictError conflict("exists", 409, "CONFLICT", "rid", "cp_x_002", "\"abc\"");
  EXPECT_EQ(conflict.existing_checkpoint_id(), "cp_x_002");
  EXPECT_EQ(conflict.existing_etag(), "\"abc\"");
  const ConflictError mismatch("mismatch", 409, "CONFLICT", "rid", std::nullopt, std::nullopt);
  EXPECT_FALSE(mismatch.existing_etag().has_value());
  const RateLimitError limited("slow down", 429, "RATE_LIMITED", "rid", 60);
  EXPECT_EQ(limited.retry_after(), 60);
}

TEST(Errors, ACopyKeepsEverythingAndWhatStaysStable) {
  const RateLimitError original("slow down", 429, "RATE_LIMITED", "rid-9", 7);
  const RateLimitError copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_STREQ(copy.what(), original.what());
  EXPECT_EQ(copy.retry_after(), 7);
  EXPECT_EQ(copy.request_id(), "rid-9");
  const SnapStateError& sliced = copy;
  const SnapStateError base_copy = sliced;  // slicing keeps the shared details
  EXPECT_EQ(base_copy.status_code(), 429);
  EXPECT_EQ(base_copy.code(), "RATE_LIMITED");
}

}  // namespace
