#include "json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "json_depth.hpp"
#include "utf8.hpp"

namespace snapstate::detail {

namespace {

using nlohmann::json;

// Per byte: 0 = copied as is, 1 = escaped, 2 = starts a multi-byte UTF-8 sequence.
constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> classes{};
  for (int c = 0; c < 0x20; ++c) classes[static_cast<std::size_t>(c)] = 1;
  classes['"'] = 1;
  classes['\\'] = 1;
  for (int c = 0x80; c < 0x100; ++c) classes[static_cast<std::size_t>(c)] = 2;
  return classes;
}
constexpr std::array<std::uint8_t, 256> kClass = make_classes();

bool write_string(std::string& out, const std::string& text, std::size_t& bad_offset) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run of bytes copied as they are
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t kind = kClass[s[i]];
    if (kind == 0) {
      ++i;
      continue;
    }
    if (kind == 2) {
      const std::size_t length = utf8_sequence_length(s, i, n);
      if (length == 0) {
        bad_offset = i;
        return false;
      }
      i += length;  // valid multi-byte characters are written raw, as dump() does
      continue;
    }
    out.append(text, run, i - run);
    switch (s[i]) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[s[i] >> 4], kHex[s[i] & 0x0F]};
        out.append(escape, sizeof escape);
      }
    }
    run = ++i;
  }
  out.append(text, run, n - run);
  out.push_back('"');
  return true;
}

template <class Int>
void write_integer(std::string& out, Int value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void write_float(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out.append("null");  // as dump() does
    return;
  }
  // nlohmann's own shortest round-trip formatting, so the digits match dump() exactly.
  std::array<char, 64> buffer{};
  char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), end);
}

// The output ends where the writer began plus `limit` bytes; checked after each member, so a
// value far over it is refused without being written whole.
struct Writer {
  std::string& out;
  std::size_t& bad_offset;
  std::size_t end;  // out.size() may not pass this

  bool over() const { return out.size() > end; }

  JsonWriteStatus write(const json& value, std::size_t depth) {
    constexpr auto kOk = JsonWriteStatus::ok;
    // Deeper is refused, which also keeps the recursion far from the end of any stack.
    if (depth > kMaxJsonDepth) return JsonWriteStatus::too_deep;
    switch (value.type()) {
      case json::value_t::object: {
        const auto& object = value.get_ref<const json::object_t&>();
        out.push_back('{');
        bool first = true;
        for (const auto& [key, member] : object) {
          if (!first) out.push_back(',');
          first = false;
          if (!write_string(out, key, bad_offset)) return JsonWriteStatus::invalid_utf8;
          out.push_back(':');
          if (const auto status = write(member, depth + 1); status != kOk) return status;
          if (over()) return JsonWriteStatus::too_large;
        }
        out.push_back('}');
        return kOk;
      }
      case json::value_t::array: {
        const auto& array = value.get_ref<const json::array_t&>();
        out.push_back('[');
        for (std::size_t i = 0; i < array.size(); ++i) {
          if (i != 0) out.push_back(',');
          if (const auto status = write(array[i], depth + 1); status != kOk) return status;
          if (over()) return JsonWriteStatus::too_large;
        }
        out.push_back(']');
        return kOk;
      }
      case json::value_t::string:
        return write_string(out, value.get_ref<const std::string&>(), bad_offset)
                   ? kOk
                   : JsonWriteStatus::invalid_utf8;
      case json::value_t::boolean: out.append(value.get<bool>() ? "true" : "false"); return kOk;
      case json::value_t::number_integer: write_integer(out, value.get<std::int64_t>()); return kOk;
      case json::value_t::number_unsigned:
        write_integer(out, value.get<std::uint64_t>());
        return kOk;
      case json::value_t::number_float: write_float(out, value.get<double>()); return kOk;
      case json::value_t::binary: out.append(value.dump()); return kOk;  // never from JSON text
      case json::value_t::null:
      case json::value_t::discarded: out.append("null"); return kOk;
    }
    return kOk;
  }
};

}  // namespace

JsonWriteStatus write_json(std::string& out, const json& value, std::size_t& bad_offset,
                           std::size_t limit) {
  const std::size_t begin = out.size();
  Writer writer{out, bad_offset, limit > SIZE_MAX - begin ? SIZE_MAX : begin + limit};
  const JsonWriteStatus status = writer.write(value, 1);
  return status == JsonWriteStatus::ok && writer.over() ? JsonWriteStatus::too_large : status;
}

}  // namespace snapstate::detail
