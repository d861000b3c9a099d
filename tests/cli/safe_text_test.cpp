// tools/cli/safe_text: what reaches the terminal from server text, and redaction.
#include <gtest/gtest.h>

#include "safe_text.hpp"

namespace snapstate_cli {
namespace {

TEST(TerminalSafe, RemovesEscapeSequencesAndControls) {
  EXPECT_EQ("cleared", terminal_safe("clea\x1b[2Jred"));
  EXPECT_EQ("red text", terminal_safe("\x1b[1;31mred\x1b[0m text"));
  EXPECT_EQ("titled", terminal_safe("tit\x1b]0;pwned\x07led"));        // OSC ... BEL
  EXPECT_EQ("titled", terminal_safe("tit\x1b]8;;http://x\x1b\\led"));  // OSC ... ESC backslash
  EXPECT_EQ("ab", terminal_safe("a\x1bPq#0;2;0;0;0\x1b\\b"));          // DCS (sixel)
  EXPECT_EQ("ab", terminal_safe("a\x1b(Bb"));                          // charset designation
  EXPECT_EQ("ab", terminal_safe("a\x1b"
                                "cb"));    // RIS, the terminal reset
  EXPECT_EQ("a", terminal_safe("a\x1b"));  // cut short
  EXPECT_EQ("a b c d", terminal_safe("a\nb\tc\rd"));
  EXPECT_EQ("bell", terminal_safe("be\x07l\x7fl\x01\x08"));
}

TEST(TerminalSafe, RemovesC1ControlsAndTheirSequences) {
  EXPECT_EQ("red", terminal_safe("\xc2\x9b"
                                 "31mred"));  // CSI as U+009B
  EXPECT_EQ("ok", terminal_safe("o\xc2\x9d"
                                "0;x\x07k"));  // OSC as U+009D
  EXPECT_EQ("ab", terminal_safe("a\xc2\x85\xc2\x8d"
                                "b"));  // NEL, RI
  EXPECT_EQ("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
            terminal_safe("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
}

TEST(TerminalSafe, ReplacesBytesThatAreNotUtf8) {
  const std::string fffd = "\xef\xbf\xbd";
  EXPECT_EQ("a" + fffd + "b", terminal_safe("a\x9b"
                                            "b"));               // a raw 8-bit CSI byte
  EXPECT_EQ(fffd + fffd, terminal_safe("\xc0\xaf"));             // overlong '/'
  EXPECT_EQ(fffd + fffd + fffd, terminal_safe("\xed\xa0\x80"));  // a surrogate
  EXPECT_EQ("x" + fffd + fffd, terminal_safe("x\xe2\x82"));      // truncated: one per byte
}

TEST(Redact, ReplacesEveryOccurrenceInOnePass) {
  EXPECT_EQ("Invalid API k[redacted]y", redact("Invalid API key", {"e"}));
  EXPECT_EQ("[redacted][redacted]", redact("redactredact", {"redact"}));
  EXPECT_EQ("a [redacted] b", redact("a [redacted] b", {"[redacted]"}));
  EXPECT_EQ("x[redacted]y", redact("xsnp_longy", {"snp", "snp_long"}));  // the longest wins
  EXPECT_EQ("none", redact("none", {"", "zz"}));
}

// The old loop searched its own replacement again: with a key inside "[redacted]" it never
// ended (ctest's time limit fails this test if that comes back).
TEST(Redact, EndsForSecretsFoundInItsOwnReplacement) {
  const std::string out = redact(std::string(1000, 'e'), {"e", "d", "[redacted]", "acted"});
  EXPECT_EQ(1000u * 10u, out.size());
  EXPECT_EQ("[redacted]", redact("[redacted]", {"[redacted]", "e"}));
}

// The client library redacts the key in server text too; the CLI's pass must not take its
// markers apart.
TEST(Redact, TwiceIsOnce) {
  for (const std::string key : {"e", "d", "act", "[redacted]"}) {
    const std::string once = redact("Invalid API key: redacted", {key});
    EXPECT_EQ(once, redact(once, {key})) << key;
  }
}

TEST(Printable, StripsBeforeRedactingSoASplitSecretIsFound) {
  EXPECT_EQ("key [redacted]", printable("key snp_a\x1b[0mb\x01"
                                        "c",
                                        {"snp_abc"}));
}

TEST(EscapeC1, KeepsTheJsonAndEscapesWhatATerminalWouldAct) {
  EXPECT_EQ(R"({"a":"x\u009b31m\u007fy"})", escape_c1("{\"a\":\"x\xc2\x9b"
                                                      "31m\x7fy\"}"));
  EXPECT_EQ("{\"a\":\"\xc2\xa0\xc3\xa9\"}", escape_c1("{\"a\":\"\xc2\xa0\xc3\xa9\"}"));
}

}  // namespace
}  // namespace snapstate_cli
