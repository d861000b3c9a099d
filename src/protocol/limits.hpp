// Limits of the SnapState protocol, shared by the client and the local server.
#pragma once

#include <cstddef>

namespace snapstate::protocol {

// The most a request body may hold: over it the server answers 413 before looking at the key,
// and closes the connection. A state is measured against it too (its JSON, UTF-8 bytes).
inline constexpr std::size_t kMaxBodyBytes = 1048576;

}  // namespace snapstate::protocol
