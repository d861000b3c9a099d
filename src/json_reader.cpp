#include "json_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

#include "json_depth.hpp"

namespace snapstate::detail {

static_assert(kJsonPadding == simdjson::SIMDJSON_PADDING,
              "keep kJsonPadding in step with simdjson");

namespace {

using nlohmann::json;
using simdjson::dom::element;
using simdjson::dom::element_type;

json build(element value);

// nlohmann objects are std::maps. Keys arrive in order more often than not (the server writes
// them in the order the client sent them, and the client writes a std::map's order), so each
// key is placed at the end with the map's own one-comparison check against the last key; only
// a key out of order pays for a search. No sort, no copy of the field list.
void fill_object(json::object_t& object, simdjson::dom::object fields) {
  for (const auto field : fields) {
    const std::size_t before = object.size();
    auto at = object.emplace_hint(object.end(), std::piecewise_construct,
                                  std::forward_as_tuple(field.key),
                                  std::forward_as_tuple(build(field.value)));
    // A duplicate key finds the first one in place: the last value wins, as in nlohmann.
    if (object.size() == before) at->second = build(field.value);
  }
}

void fill_array(json::array_t& array, simdjson::dom::array items) {
  array.reserve(items.size());
  for (const auto item : items) array.push_back(build(item));
}

// Recursion is bounded by the parser's depth limit (kMaxReadDepth), well within any stack.
json build(element value) {
  switch (value.type()) {
    case element_type::OBJECT: {
      json out(json::value_t::object);
      fill_object(out.get_ref<json::object_t&>(), simdjson::dom::object(value));
      return out;
    }
    case element_type::ARRAY: {
      json out(json::value_t::array);
      fill_array(out.get_ref<json::array_t&>(), simdjson::dom::array(value));
      return out;
    }
    case element_type::STRING: return json(value.get_string().value_unsafe());
    case element_type::INT64: {
      // nlohmann stores non-negative integers as unsigned: keep the same types.
      const std::int64_t n = value.get_int64().value_unsafe();
      if (n >= 0) return json(static_cast<std::uint64_t>(n));
      return json(n);
    }
    case element_type::UINT64: return json(value.get_uint64().value_unsafe());
    case element_type::DOUBLE: return json(value.get_double().value_unsafe());
    case element_type::BOOL: return json(value.get_bool().value_unsafe());
    case element_type::NULL_VALUE: break;
  }
  return json(nullptr);
}

simdjson::dom::parser& thread_parser() {
  // One per thread: a parser is not thread-safe, and reusing it keeps its buffers warm.
  thread_local simdjson::dom::parser parser;
  return parser;
}

#ifndef NDEBUG
thread_local bool document_open = false;  // one JsonDocument per thread at a time
#endif

// A parser keeps buffers of about 13 times the largest document it has read. Those of a
// document up to this size (any resume of a state the server accepts) stay warm; after a
// larger one they are given back.
void release_if_outsized(simdjson::dom::parser& parser) noexcept {
  if (parser.capacity() > kMaxRetainedDocumentBytes) parser = simdjson::dom::parser{};
}

simdjson::error_code parse_in_place(simdjson::dom::parser& parser, std::string& buffer) {
  // Zero-filled padding in spare capacity lets simdjson read in place without a copy.
  const std::size_t size = buffer.size();
  buffer.resize(size + kJsonPadding, '\0');
  buffer.resize(size);
  // A UTF-8 byte order mark is skipped, as nlohmann does; simdjson would refuse it.
  const std::size_t bom = buffer.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  // nlohmann reads a NUL byte as the end of the input (one inside a string is an error either
  // way, since the string is then unterminated): the document is what comes before it.
  const void* nul = std::memchr(buffer.data() + bom, '\0', size - bom);
  const std::size_t end =
      nul != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nul) - buffer.data())
                     : size;
  // A new parser refuses documents deeper than simdjson's default; the depth given to its first
  // allocation is the one every later growth keeps.
  if (parser.max_depth() != kMaxReadDepth) {
    const std::size_t capacity = std::max(end - bom, simdjson::dom::MINIMAL_DOCUMENT_CAPACITY);
    if (const auto error = parser.allocate(capacity, kMaxReadDepth)) return error;
  }
  return parser.parse(buffer.data() + bom, end - bom, /*realloc_if_needed=*/false).error();
}

JsonReadStatus status_of(simdjson::error_code error) noexcept {
  if (error == simdjson::SUCCESS) return JsonReadStatus::ok;
  if (error == simdjson::DEPTH_ERROR) return JsonReadStatus::too_deep;
  return JsonReadStatus::invalid;
}

// Rare bodies simdjson refuses but nlohmann accepts (numbers beyond double or uint64 range):
// nlohmann reads them (as doubles), and its text of the result, which simdjson reads, is what
// the document becomes. The answer is always the one nlohmann::json::parse gives.
JsonReadStatus read_through_nlohmann(simdjson::dom::parser& parser, const std::string& buffer) {
  bool too_deep = false;
  const json::parser_callback_t depth_guard = [&too_deep](int depth, json::parse_event_t, json&) {
    if (depth > static_cast<int>(kMaxReadDepth)) too_deep = true;
    return !too_deep;
  };
  const json parsed = json::parse(buffer, depth_guard, /*allow_exceptions=*/false);
  if (too_deep) return JsonReadStatus::too_deep;
  if (parsed.is_discarded()) return JsonReadStatus::invalid;
  std::string text = parsed.dump();
  return status_of(parse_in_place(parser, text));  // the document does not point into `text`
}

}  // namespace

JsonDocument::JsonDocument(std::string& buffer) {
#ifndef NDEBUG
  assert(!document_open && "one JsonDocument per thread at a time");
  document_open = true;
#endif
  auto& parser = thread_parser();
  try {
    const auto error = parse_in_place(parser, buffer);
    status_ = status_of(error);
    // Only a number simdjson cannot hold (beyond uint64, or past a double's range) is worth a
    // second reading; any other refusal is final, so a hostile body is never read twice.
    if (error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE) {
      status_ = read_through_nlohmann(parser, buffer);
    }
  } catch (const std::bad_alloc&) {
    release_if_outsized(parser);
#ifndef NDEBUG
    document_open = false;
#endif
    throw;
  } catch (...) {
    // simdjson reports through error codes and nlohmann was asked not to throw: nothing else
    // is expected here.
    status_ = JsonReadStatus::invalid;
  }
}

JsonDocument::~JsonDocument() {
  release_if_outsized(thread_parser());
#ifndef NDEBUG
  document_open = false;
#endif
}

element JsonDocument::root() const noexcept {
  return thread_parser().doc.root();
}

void assign_json(json& out, const element& value) {
  if (value.type() == element_type::OBJECT && out.is_object()) {
    auto& object = out.get_ref<json::object_t&>();
    object.clear();
    fill_object(object, simdjson::dom::object(value));
    return;
  }
  out = build(value);
}

JsonReadStatus read_json(std::string& buffer, json& out) {
  out = nullptr;
  const JsonDocument document(buffer);
  if (document.status() == JsonReadStatus::ok) assign_json(out, document.root());
  return document.status();
}

std::size_t json_reader_retained_capacity() noexcept {
  return thread_parser().capacity();
}

}  // namespace snapstate::detail
