// Hashes, signatures and random ids (OpenSSL).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace snapstate::devserver {

std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
std::string random_hex(std::size_t bytes);
std::string uuid_v4();

}  // namespace snapstate::devserver
