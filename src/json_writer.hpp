// Writing nlohmann::json as compact JSON text, fast, straight into a request buffer. The output
// is byte-for-byte what nlohmann's dump() writes (same escapes, same number formatting, keys
// in the same order); strings that are not valid UTF-8 are refused as dump() refuses them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace snapstate::detail {

enum class JsonWriteStatus { ok, invalid_utf8, too_deep, too_large };

// Appends `value` to `out`. Fails (with `out` partly written) when a string in it is not valid
// UTF-8 (`bad_offset` then tells where in that string), when it nests deeper than
// kMaxJsonDepth (json_depth.hpp; the reader accepts that back inside any envelope), or when its
// text would be longer than `limit` bytes (noticed after the member that crosses it, not after
// writing the whole value).
JsonWriteStatus write_json(std::string& out, const nlohmann::json& value, std::size_t& bad_offset,
                           std::size_t limit = SIZE_MAX);

}  // namespace snapstate::detail
