#include "js_stringify.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/etag.hpp"
#include "protocol/js_number.hpp"
#include "protocol/js_object.hpp"
#include "protocol/js_quote.hpp"

namespace snapstate::detail {

namespace {

using nlohmann::json;

// Builds the JSON.stringify text bottom-up from nlohmann's SAX events: each finished value is
// text, handed to the container it sits in; an object orders its members when it closes.
class Restringifier final : public json::json_sax_t {
 public:
  std::string result;

  bool null() override { return value("null"); }
  bool boolean(bool b) override { return value(b ? "true" : "false"); }
  bool number_integer(std::int64_t n) override {
    return value(protocol::js_number(static_cast<double>(n)));
  }
  bool number_unsigned(std::uint64_t n) override {
    return value(protocol::js_number(static_cast<double>(n)));
  }
  bool number_float(double n, const std::string&) override { return value(protocol::js_number(n)); }
  bool string(std::string& s) override {
    std::string quoted;
    protocol::append_js_quoted(quoted, s);
    return value(std::move(quoted));
  }
  bool binary(json::binary_t&) override { return false; }
  bool start_object(std::size_t) override {
    stack_.push_back(Frame{true, {}, {}, {}});
    return true;
  }
  bool key(std::string& k) override {
    stack_.back().key = std::move(k);
    return true;
  }
  bool end_object() override {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    return value(object_text(frame.members));
  }
  bool start_array(std::size_t) override {
    stack_.push_back(Frame{false, {}, {}, "["});
    return true;
  }
  bool end_array() override {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    frame.text.push_back(']');
    return value(std::move(frame.text));
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct Member {
    std::string key;
    std::string text;
  };
  struct Frame {
    bool object = false;
    std::vector<Member> members;  // objects
    std::string key;              // objects: the key of the value to come
    std::string text;             // arrays: "[" and the items so far
  };

  bool value(std::string text) {
    if (stack_.empty()) {
      result = std::move(text);
    } else if (Frame& top = stack_.back(); top.object) {
      top.members.push_back(Member{std::move(top.key), std::move(text)});
    } else {
      if (top.text.size() > 1) top.text.push_back(',');
      top.text += text;
    }
    return true;
  }

  static std::string object_text(std::vector<Member>& members) {
    // Indices in JavaScript's enumeration order.
    std::vector<std::size_t> order(members.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    // A repeated key keeps its first place and takes its last value.
    std::vector<std::size_t> by_key = order;
    std::stable_sort(by_key.begin(), by_key.end(),
                     [&](std::size_t a, std::size_t b) { return members[a].key < members[b].key; });
    std::vector<bool> dropped(members.size(), false);
    for (std::size_t i = 0; i + 1 < by_key.size(); ++i) {
      std::size_t j = i;
      while (j + 1 < by_key.size() && members[by_key[j + 1]].key == members[by_key[i]].key) ++j;
      if (j > i) {
        members[by_key[i]].text = std::move(members[by_key[j]].text);
        for (std::size_t d = i + 1; d <= j; ++d) dropped[by_key[d]] = true;
        i = j;
      }
    }
    std::stable_partition(order.begin(), order.end(), [&](std::size_t i) {
      return protocol::array_index(members[i].key).has_value();
    });
    const auto first_name = std::find_if(order.begin(), order.end(), [&](std::size_t i) {
      return !protocol::array_index(members[i].key).has_value();
    });
    std::stable_sort(order.begin(), first_name, [&](std::size_t a, std::size_t b) {
      return *protocol::array_index(members[a].key) < *protocol::array_index(members[b].key);
    });
    std::string out = "{";
    for (const std::size_t i : order) {
      if (dropped[i]) continue;
      if (out.size() > 1) out.push_back(',');
      protocol::append_js_quoted(out, members[i].key);
      out.push_back(':');
      out += members[i].text;
    }
    out.push_back('}');
    return out;
  }

  std::vector<Frame> stack_;
};

}  // namespace

std::optional<std::string> js_restringify(std::string_view json_text) {
  Restringifier sax;
  if (!json::sax_parse(json_text, &sax, json::input_format_t::json, /*strict=*/true)) {
    return std::nullopt;
  }
  return std::move(sax.result);
}

std::optional<std::string> state_etag(std::string_view state_json) {
  auto stringified = js_restringify(state_json);
  if (!stringified) return std::nullopt;
  return protocol::etag_of_stringified(*stringified);
}

}  // namespace snapstate::detail
