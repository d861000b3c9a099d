// Reading response bodies, fast: simdjson validates and indexes the body once, in place, with
// this thread's parser. The typed decoders walk that document straight into their results
// (JsonDocument); the values that are JSON in the API are built from it into nlohmann::json
// directly (objects filled in key order, strings copied once). Either way the result is the one
// nlohmann::json::parse would give; nesting deeper than kMaxReadDepth (json_depth.hpp) is refused.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/limits.hpp"

namespace simdjson::dom {
class element;
}  // namespace simdjson::dom

namespace snapstate::detail {

enum class JsonReadStatus { ok, invalid, too_deep };

// Bytes the reader needs past the end of a buffer (simdjson's padding): reserve them up front
// and it reads the buffer in place.
inline constexpr std::size_t kJsonPadding = 64;

// The largest document whose parsing buffers a thread keeps for the next one: a resume of the
// largest state the server accepts, with room for its envelope.
inline constexpr std::size_t kMaxRetainedDocumentBytes = protocol::kMaxBodyBytes + (256u << 10);

// A body read by this thread's simdjson parser, for readers that walk it into their own types.
// root() and every element reached from it are valid while the JsonDocument lives. A thread
// holds one at a time: any other read on the thread (read_json too) reuses the same parser.
// The destructor gives back the parser memory of a document over kMaxRetainedDocumentBytes.
class JsonDocument {
 public:
  // `buffer` may gain spare capacity (simdjson reads up to 64 bytes past the end); its contents
  // are unchanged. Nesting deeper than kMaxReadDepth is refused before anything is built.
  explicit JsonDocument(std::string& buffer);
  ~JsonDocument();
  JsonDocument(const JsonDocument&) = delete;
  JsonDocument& operator=(const JsonDocument&) = delete;

  JsonReadStatus status() const noexcept { return status_; }
  // The document's value; only when status() is ok.
  simdjson::dom::element root() const noexcept;

 private:
  JsonReadStatus status_ = JsonReadStatus::invalid;
};

// Sets `out` to the value nlohmann::json::parse gives for the text of `value` (the last of
// duplicate keys wins; non-negative integers are unsigned, as nlohmann stores them). When both
// are objects, `out`'s own map is emptied and filled, which saves allocating another.
void assign_json(nlohmann::json& out, const simdjson::dom::element& value);

// Parses `buffer` into `out`, as JsonDocument reads it. On failure `out` is left null.
JsonReadStatus read_json(std::string& buffer, nlohmann::json& out);

// The document size this thread's parser is sized for now (never above
// kMaxRetainedDocumentBytes between two reads).
std::size_t json_reader_retained_capacity() noexcept;

}  // namespace snapstate::detail
