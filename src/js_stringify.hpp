// What the server does to a state before it hashes and measures it: JSON.stringify(JSON.parse
// (text)). Numbers become JavaScript doubles spelled the JavaScript way (1.0 -> 1, 1e21 ->
// 1e+21, integers past 2^53 rounded), object members go in JavaScript's order (array-index keys
// first, ascending, then the rest as they arrived; a repeated key keeps its first place and its
// last value), strings are escaped as JSON.stringify escapes them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace snapstate::detail {

// nullopt when `json_text` is not JSON.
std::optional<std::string> js_restringify(std::string_view json_text);

// The etag the server gives a state sent as `state_json` (quotes included), nullopt when it is
// not JSON.
std::optional<std::string> state_etag(std::string_view state_json);

}  // namespace snapstate::detail
