// The UTF-8 decoder: code points counted, malformed sequences refused.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "utf8.hpp"

namespace {

const std::string kE = "\xC3\xA9";  // é: two bytes, one character

// ---- UTF-8 ----------------------------------------------------------------------------------

TEST(Utf8Length, CountsCodePoints) {
  using snapstate::detail::utf8_length;
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length(kE), 1u);
  EXPECT_EQ(utf8_length("\xE2\x82\xAC"), 1u);      // €
  EXPECT_EQ(utf8_length("\xF0\x9F\x98\x80"), 1u);  // 😀
  EXPECT_EQ(utf8_length("\xF4\x8F\xBF\xBF"), 1u);  // U+10FFFF
  EXPECT_EQ(utf8_length("a" + kE + "b"), 3u);
}

TEST(Utf8Length, RefusesMalformedSequences) {
  using snapstate::detail::utf8_length;
  for (const std::string bad :
       {"\x80", "\xC3", "a\xC3", "\xC3\x28", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
        "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80", "\xFF", "\xE2\x82"}) {
    EXPECT_EQ(utf8_length(bad), std::nullopt) << ::testing::PrintToString(bad);
  }
}

}  // namespace
