#include "snapstate/webhook.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <limits>

namespace snapstate {

namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool verify_webhook_signature(std::string_view raw_body, std::string_view signature_header,
                              std::string_view secret) noexcept {
  constexpr std::string_view kPrefix = "sha256=";
  constexpr std::size_t kDigestSize = 32;
  if (signature_header.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::string_view hex = signature_header.substr(kPrefix.size());
  if (hex.size() != kDigestSize * 2) return false;

  std::array<unsigned char, kDigestSize> expected{};
  for (std::size_t i = 0; i < kDigestSize; ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    expected[i] = static_cast<unsigned char>((hi << 4) | lo);
  }
  if (secret.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return false;

  std::array<unsigned char, EVP_MAX_MD_SIZE> actual{};
  unsigned int actual_size = 0;
  // An empty view may hold a null data(); OpenSSL wants valid pointers.
  static const unsigned char kEmpty = 0;
  const auto* data =
      raw_body.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(raw_body.data());
  const void* key = secret.empty() ? &kEmpty : static_cast<const void*>(secret.data());
  if (HMAC(EVP_sha256(), key, static_cast<int>(secret.size()), data, raw_body.size(), actual.data(),
           &actual_size) == nullptr ||
      actual_size != kDigestSize) {
    return false;
  }
  return CRYPTO_memcmp(expected.data(), actual.data(), kDigestSize) == 0;
}

}  // namespace snapstate
