// Parsing response bodies into nlohmann::json, fast: simdjson validates and indexes the body,
// then the tree is built directly (objects and arrays reserved, strings moved in). The result
// is the value nlohmann::json::parse would give; nesting deeper than 1024 is refused.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace snapstate::detail {

enum class JsonReadStatus { ok, invalid, too_deep };

// `buffer` may gain spare capacity (simdjson reads up to 64 bytes past the end); its contents
// are unchanged. On failure `out` is left null.
JsonReadStatus read_json(std::string& buffer, nlohmann::json& out);

}  // namespace snapstate::detail
