// The etag the server gives a checkpoint, shared by the client (to recognise its own write)
// and the local server (to compute it): `"` + the first 16 hex digits of SHA-256 of the state's
// JSON.stringify text + `"` (the quotes are part of it).
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <new>
#include <string>
#include <string_view>

namespace snapstate::protocol {

inline std::string etag_of_stringified(std::string_view stringified) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(stringified.data(), stringified.size(), digest, &size, EVP_sha256(), nullptr) !=
      1) {
    throw std::bad_alloc();  // OpenSSL fails a SHA-256 only when it cannot allocate
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string etag = "\"";
  for (std::size_t i = 0; i < 8; ++i) {  // 8 bytes: 16 hex digits
    etag.push_back(kHex[digest[i] >> 4]);
    etag.push_back(kHex[digest[i] & 0xF]);
  }
  etag.push_back('"');
  return etag;
}

}  // namespace snapstate::protocol
