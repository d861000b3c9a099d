/// @file webhook.hpp
/// @brief Verifying the signature of a webhook delivery.
#pragma once

#include <string_view>

#include "snapstate/export.hpp"

namespace snapstate {

/// Checks a delivery's `X-Checkpoint-Signature` header.
///
/// @param raw_body          the request body exactly as received (not re-serialized).
/// @param signature_header  the header's value, `sha256=<64 hex digits>`.
/// @param secret            the secret given to register_webhook().
/// @return true when the hex digest equals HMAC-SHA256(secret, raw_body), compared in
///         constant time; false on any mismatch or malformed input. Never throws.
SNAPSTATE_EXPORT bool verify_webhook_signature(std::string_view raw_body,
                                               std::string_view signature_header,
                                               std::string_view secret) noexcept;

}  // namespace snapstate
