// HTTP-dates read by curl_getdate: the three forms of RFC 9110, and nothing else.
#include <gtest/gtest.h>

#include "http/http_date.hpp"

namespace {

using snapstate::detail::parse_http_date;

constexpr std::int64_t kRfcExample = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST(HttpDate, ReadsTheThreeForms) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), kRfcExample);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), kRfcExample);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), kRfcExample);
  EXPECT_EQ(parse_http_date("Mon, 30 Nov 2026 04:30:41 GMT"), 1796013041);
  EXPECT_EQ(parse_http_date("Thursday, 01-Jan-26 00:00:10 GMT"), 1767225610)
      << "two-digit 26: 2026";
}

TEST(HttpDate, RefusesOtherZonesMissingZonesAndTrailingWords) {
  for (const char* bad :
       {"Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 GMT x", "Sun, 06 Nov 1994 08:49:37 +0200", "06 Nov 1994"}) {
    EXPECT_EQ(parse_http_date(bad), std::nullopt) << bad;
  }
}

TEST(HttpDate, RefusesImpossibleDatesAndGarbage) {
  for (const char* bad :
       {"", " GMT", "soon GMT", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:49:37 GMT", "1994", "Sun Nov  6 1994"}) {
    EXPECT_EQ(parse_http_date(bad), std::nullopt) << bad;
  }
}

TEST(HttpDate, AValueWithAnEmbeddedNulIsReadWhole) {
  const std::string with_nul("Sun, 06 Nov 1994 08:49:37 GMT\0junk", 34);
  EXPECT_EQ(parse_http_date(with_nul), std::nullopt) << "the view is read whole, NUL included";
}

}  // namespace
