// Parsing response bodies into nlohmann::json, fast: simdjson validates and indexes the body,
// then the tree is built directly (objects and arrays reserved, strings moved in). The result
// is the value nlohmann::json::parse would give; nesting deeper than 1024 is refused.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace snapstate::detail {

enum class JsonReadStatus { ok, invalid, too_deep };

// Bytes read_json needs past the end of a buffer (simdjson's padding): reserve them up front
// and it reads the buffer in place.
inline constexpr std::size_t kJsonPadding = 64;

// The largest document whose parsing buffers a thread keeps for the next one: a resume of the
// largest state the server accepts, with room for its envelope.
inline constexpr std::size_t kMaxRetainedDocumentBytes = (1u << 20) + (256u << 10);

// `buffer` may gain spare capacity (simdjson reads up to 64 bytes past the end); its contents
// are unchanged. On failure `out` is left null. Nesting deeper than 1024 is refused before any
// of it is built.
JsonReadStatus read_json(std::string& buffer, nlohmann::json& out);

// The document size this thread's parser is sized for now (never above
// kMaxRetainedDocumentBytes between two reads).
std::size_t json_reader_retained_capacity() noexcept;

}  // namespace snapstate::detail
