// The key never leaves in server text: every occurrence replaced, markers kept whole, no loop
// for a key that occurs in the marker itself.
#include <gtest/gtest.h>

#include "redact.hpp"

namespace {

using snapstate::detail::redact;

TEST(Redact, ReplacesEveryOccurrence) {
  EXPECT_EQ(redact("key snp_k and snp_k again", "snp_k"), "key [redacted] and [redacted] again");
  EXPECT_EQ(redact("snp_ksnp_k", "snp_k"), "[redacted][redacted]");
  EXPECT_EQ(redact("nothing here", "snp_k"), "nothing here");
  EXPECT_EQ(redact("anything", ""), "anything");
}

TEST(Redact, AKeyInsideTheMarkerNeitherLoopsNorBreaksIt) {
  EXPECT_EQ(redact("e-mail me", "e"), "[redacted]-mail m[redacted]");
  EXPECT_EQ(redact("[redacted]", "e"), "[redacted]");
  EXPECT_EQ(redact("d", "d"), "[redacted]");
}

TEST(Redact, RedactingTwiceChangesNothing) {
  for (const char* key : {"e", "d", "[", "ed]", "snp_key"}) {
    const std::string once = redact("request e-d-[ed]-snp_key", key);
    EXPECT_EQ(redact(once, key), once) << key;
  }
  EXPECT_EQ(redact("request e-d-[ed]-snp_key", "snp_key"), "request e-d-[ed]-[redacted]");
}

}  // namespace
