// How deep the client's JSON may nest: the one home of the limit for writing and reading.
#pragma once

#include <cstddef>

namespace snapstate::detail {

// The deepest value the client writes (a state, metadata, a webhook's fields): deeper is refused
// before anything is sent.
inline constexpr std::size_t kMaxJsonDepth = 1024;

// The deepest body it reads: a value that deep inside the deepest envelope that carries one (a
// replay: the body, its checkpoints, the checkpoint), so whatever was saved can be read back.
inline constexpr std::size_t kMaxReadDepth = kMaxJsonDepth + 3;

}  // namespace snapstate::detail
