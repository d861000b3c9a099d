#include "json_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

namespace snapstate::detail {

static_assert(kJsonPadding == simdjson::SIMDJSON_PADDING,
              "keep kJsonPadding in step with simdjson");

namespace {

using nlohmann::json;
using simdjson::dom::element;
using simdjson::dom::element_type;

json build(element value);

// nlohmann objects are std::maps. Inserting keys in document order costs a tree search each;
// for larger objects, sorting the keys first lets every insertion go at the end in O(1).
json build_object(simdjson::dom::object fields) {
  json out(json::value_t::object);
  auto& object = out.get_ref<json::object_t&>();
  constexpr std::size_t kSortFrom = 16;
  if (fields.size() < kSortFrom) {
    for (const auto field : fields) {
      // Later duplicates win, as in nlohmann's own parser.
      object.insert_or_assign(std::string(field.key), build(field.value));
    }
    return out;
  }
  std::vector<std::pair<std::string_view, element>> sorted;
  sorted.reserve(fields.size());
  for (const auto field : fields) sorted.emplace_back(field.key, field.value);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i + 1 < sorted.size() && sorted[i + 1].first == sorted[i].first) continue;  // last wins
    object.emplace_hint(object.end(), std::string(sorted[i].first), build(sorted[i].second));
  }
  return out;
}

// Recursion is bounded by simdjson's depth limit (1024), well within any thread's stack.
json build(element value) {
  switch (value.type()) {
    case element_type::OBJECT: return build_object(simdjson::dom::object(value));
    case element_type::ARRAY: {
      json out(json::value_t::array);
      auto& array = out.get_ref<json::array_t&>();
      const simdjson::dom::array items(value);
      array.reserve(items.size());
      for (const auto item : items) array.push_back(build(item));
      return out;
    }
    case element_type::STRING: return json(std::string(value.get_string().value_unsafe()));
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

// A parser keeps buffers of about 13 times the largest document it has read. Those of a
// document up to this size (any resume of a state the server accepts) stay warm; after a
// larger one they are given back.
constexpr std::size_t kKeepCapacity = kMaxRetainedDocumentBytes;

void release_if_outsized(simdjson::dom::parser& parser) {
  if (parser.capacity() > kKeepCapacity) parser = simdjson::dom::parser{};
}

}  // namespace

JsonReadStatus read_json(std::string& buffer, json& out) {
  out = nullptr;
  // Zero-filled padding in spare capacity lets simdjson read in place without a copy.
  const std::size_t size = buffer.size();
  buffer.resize(size + kJsonPadding, '\0');
  buffer.resize(size);
  try {
    auto& parser = thread_parser();
    // A UTF-8 byte order mark is skipped, as nlohmann does; simdjson would refuse it.
    const std::size_t bom = buffer.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    const auto parsed = parser.parse(buffer.data() + bom, size - bom, /*realloc_if_needed=*/false);
    const auto error = parsed.error();
    if (error == simdjson::SUCCESS) out = build(parsed.value_unsafe());
    release_if_outsized(parser);
    if (error == simdjson::SUCCESS) return JsonReadStatus::ok;
    if (error == simdjson::DEPTH_ERROR) return JsonReadStatus::too_deep;
    // Only a number simdjson cannot hold (beyond uint64, or past a double's range) is worth a
    // second reading; any other refusal is final, so a hostile body is never read twice.
    if (error != simdjson::NUMBER_ERROR && error != simdjson::NUMBER_OUT_OF_RANGE) {
      return JsonReadStatus::invalid;
    }
  } catch (const std::bad_alloc&) {
    throw;
  } catch (...) {
    // simdjson reports through error codes; nothing else is expected here.
  }
  // Rare inputs simdjson refuses but nlohmann accepts (numbers beyond double or uint64 range):
  // defer to nlohmann so the answer is always the one nlohmann::json::parse gives.
  bool too_deep = false;
  const json::parser_callback_t depth_guard = [&too_deep](int depth, json::parse_event_t, json&) {
    if (depth > static_cast<int>(simdjson::DEFAULT_MAX_DEPTH)) too_deep = true;
    return !too_deep;
  };
  out = json::parse(buffer, depth_guard, /*allow_exceptions=*/false);
  if (too_deep || out.is_discarded()) {
    out = nullptr;
    return too_deep ? JsonReadStatus::too_deep : JsonReadStatus::invalid;
  }
  return JsonReadStatus::ok;
}

std::size_t json_reader_retained_capacity() noexcept {
  return thread_parser().capacity();
}

}  // namespace snapstate::detail
