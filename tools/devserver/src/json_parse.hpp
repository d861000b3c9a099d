// JSON.parse as the real server runs it on a request body (Node's UTF-8 decoding, then
// secure-json-parse over V8's JSON.parse), with V8's error messages.
#pragma once

#include <string>
#include <string_view>

#include "json_value.hpp"

namespace snapstate::devserver::json {

struct ParseResult {
  bool ok = false;
  Value value;
  std::string error;  ///< V8's message, e.g. "Unexpected end of JSON input"
};

/// Parses UTF-8 text (run sanitize_utf8 first on untrusted bytes). A leading BOM is skipped;
/// a "__proto__" key or a constructor.prototype is rejected as secure-json-parse does.
ParseResult parse(std::string_view text);

/// Decodes bytes the way Node decodes a body: each invalid UTF-8 sequence becomes U+FFFD.
std::string sanitize_utf8(std::string_view bytes);

/// Length of a WTF-8 string in UTF-16 code units (what a JS string's .length counts).
std::size_t utf16_length(std::string_view wtf8);

}  // namespace snapstate::devserver::json
