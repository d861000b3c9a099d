// verify_webhook_signature against the delivery the real server signed (fixture 56).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "snapstate/webhook.hpp"

namespace {

using snapstate::verify_webhook_signature;

constexpr const char* kSecret = "whsec_local_test_secret";

// The signed delivery of fixture 56: its raw body and its X-Checkpoint-Signature value.
struct SignedDelivery {
  std::string body;
  std::string signature;
};

SignedDelivery signed_delivery() {
  std::istringstream in(snapstate::testing::fixture_text("56-webhook-delivery-captured"));
  SignedDelivery d;
  const std::string header = "X-Checkpoint-Signature: ";
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(header, 0) == 0) d.signature = line.substr(header.size());
    if (!d.signature.empty() && line.rfind("{\"event\"", 0) == 0) {
      d.body = line;
      break;
    }
  }
  return d;
}

class WebhookSignature : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(delivery.body.size(), 189u) << "content-length of the recorded delivery";
    ASSERT_EQ(delivery.signature,
              "sha256=70b6737b6e71df1308f8ae1da393e7e874992b46cdb3e01d1dee1759b63c2763");
  }
  std::string hex() const { return delivery.signature.substr(7); }

  const SignedDelivery delivery = signed_delivery();
};

TEST_F(WebhookSignature, TheRealDeliveryVerifies) {
  EXPECT_TRUE(verify_webhook_signature(delivery.body, delivery.signature, kSecret));
}

TEST_F(WebhookSignature, UppercaseHexIsAccepted) {
  std::string upper = hex();
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  EXPECT_TRUE(verify_webhook_signature(delivery.body, "sha256=" + upper, kSecret));
}

TEST_F(WebhookSignature, WrongSecretFails) {
  EXPECT_FALSE(verify_webhook_signature(delivery.body, delivery.signature, "whsec_other"));
  EXPECT_FALSE(
      verify_webhook_signature(delivery.body, delivery.signature, "whsec_local_test_secreT"));
  EXPECT_FALSE(verify_webhook_signature(delivery.body, delivery.signature, ""));
}

TEST_F(WebhookSignature, TamperedBodyFails) {
  std::string tampered = delivery.body;
  tampered[tampered.find("\"step\":1") + 7] = '2';
  EXPECT_FALSE(verify_webhook_signature(tampered, delivery.signature, kSecret));
  EXPECT_FALSE(verify_webhook_signature(delivery.body + "\n", delivery.signature, kSecret));
  EXPECT_FALSE(verify_webhook_signature(delivery.body.substr(1), delivery.signature, kSecret));
  EXPECT_FALSE(verify_webhook_signature("", delivery.signature, kSecret));
}

TEST_F(WebhookSignature, MalformedHeadersFail) {
  const std::string h = hex();
  for (const std::string& header : std::vector<std::string>{
           h,                                   // no prefix
           "sha1=" + h,                         // wrong algorithm
           "SHA256=" + h,                       // the prefix is case-sensitive
           " sha256=" + h,                      // leading space
           "sha256=" + h.substr(0, 63),         // short
           "sha256=" + h.substr(0, 62),         // short by a byte
           "sha256=" + h + "0",                 // long
           "sha256=" + h + "00",                // long by a byte
           "sha256=" + h.substr(0, 62) + "zz",  // not hex
           "sha256=" + h.substr(0, 63) + " ",
           std::string("sha256=") + std::string(64, '0'),
           std::string("sha256="),
           std::string(),
       }) {
    EXPECT_FALSE(verify_webhook_signature(delivery.body, header, kSecret)) << '"' << header << '"';
  }
}

TEST_F(WebhookSignature, AFlippedDigitFails) {
  std::string flipped = hex();
  flipped[10] = flipped[10] == '0' ? '1' : '0';
  EXPECT_FALSE(verify_webhook_signature(delivery.body, "sha256=" + flipped, kSecret));
}

TEST(WebhookSignatureEmpty, EmptyBodyAndSecretAreOrdinaryInputs) {
  // HMAC-SHA256 with an empty key over an empty message (a well-known vector).
  const std::string empty_sig =
      "sha256=b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
  EXPECT_TRUE(verify_webhook_signature("", empty_sig, ""));
  EXPECT_FALSE(verify_webhook_signature("", empty_sig, "x"));
  EXPECT_FALSE(verify_webhook_signature("x", empty_sig, ""));
  EXPECT_FALSE(verify_webhook_signature("", "", ""));
}

}  // namespace
