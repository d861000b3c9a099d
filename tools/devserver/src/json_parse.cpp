#include "json_parse.hpp"

#include <cstdlib>
#include <unordered_map>

namespace snapstate::devserver::json {
namespace {

constexpr int kMaxDepth = 10000;

struct Failure {
  std::string message;
};

bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_code_point(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {  // lone surrogates land here too (WTF-8)
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  return 2;
}

// The text of one JS "character" (UTF-16 unit, approximated by a code point) at `pos`.
std::string char_at(std::string_view s, std::size_t pos) {
  std::size_t n = sequence_length(static_cast<unsigned char>(s[pos]));
  return std::string(s.substr(pos, n));
}

// The substring between two UTF-16 offsets (an astral character counts 2, kept whole).
std::string utf16_substr(std::string_view s, std::size_t from, std::size_t to) {
  std::string out;
  std::size_t units = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = sequence_length(static_cast<unsigned char>(s[i]));
    std::size_t w = n == 4 ? 2 : 1;
    if (units >= to) break;
    if (units + w > from) out.append(s.substr(i, n));
    units += w;
    i += n;
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  ParseResult run() {
    ParseResult r;
    try {
      skip_ws();
      r.value = parse_value(0);
      skip_ws();
      if (pos_ < s_.size()) {
        fail_at(pos_, "Unexpected non-whitespace character after JSON at position %");
      }
      if (poisoned_) throw Failure{"Object contains forbidden prototype property"};
      r.ok = true;
    } catch (const Failure& f) {
      r.error = f.message;
      r.value = Value{};
    }
    return r;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
  bool poisoned_ = false;

  void skip_ws() {
    while (pos_ < s_.size() && is_ws(s_[pos_])) ++pos_;
  }

  [[noreturn]] void fail_at(std::size_t at, std::string_view templ) {
    std::string msg;
    std::string p = std::to_string(utf16_length(s_.substr(0, at)));
    for (char c : templ) {
      if (c == '%') {
        msg += p;
      } else {
        msg += c;
      }
    }
    throw Failure{msg};
  }

  // V8's LookUpErrorMessageForJsonToken: the message for an unexpected token at `at`.
  [[noreturn]] void unexpected(std::size_t at) {
    if (at >= s_.size()) throw Failure{"Unexpected end of JSON input"};
    char c = s_[at];
    if (c == '-' || is_digit(c)) fail_at(at, "Unexpected number in JSON at position %");
    if (c == '"') fail_at(at, "Unexpected string in JSON at position %");
    if (s_ == "NaN" || s_ == "Infinity" || s_ == "undefined" || s_ == "[object Object]") {
      throw Failure{"\"" + std::string(s_) + "\" is not valid JSON"};
    }
    constexpr std::size_t kContext = 10;
    const std::size_t length = utf16_length(s_);
    const std::size_t p = utf16_length(s_.substr(0, at));
    std::string token = char_at(s_, at);
    std::string msg = "Unexpected token '" + token + "', ";
    if (length <= 2 * kContext + 1) {
      msg += "\"" + std::string(s_) + "\" is not valid JSON";
    } else if (p < kContext) {
      msg += "\"" + utf16_substr(s_, 0, p + kContext) + "\"... is not valid JSON";
    } else if (p < length - kContext) {
      msg += "...\"" + utf16_substr(s_, p - kContext, p + kContext) + "\"... is not valid JSON";
    } else {
      msg += "...\"" + utf16_substr(s_, p - kContext, length) + "\" is not valid JSON";
    }
    throw Failure{msg};
  }

  Value parse_value(int depth) {
    if (depth > kMaxDepth) throw Failure{"Maximum call stack size exceeded"};
    if (pos_ >= s_.size()) unexpected(pos_);
    switch (s_[pos_]) {
      case '{': return parse_object(depth);
      case '[': return parse_array(depth);
      case '"': return Value::from_string(parse_string());
      case 't': literal("true"); return Value::from_bool(true);
      case 'f': literal("false"); return Value::from_bool(false);
      case 'n': literal("null"); return Value::null();
      default:
        if (s_[pos_] == '-' || is_digit(s_[pos_])) return Value::from_number(parse_number());
        unexpected(pos_);
    }
  }

  void literal(std::string_view word) {
    for (std::size_t i = 1; i < word.size(); ++i) {
      if (pos_ + i >= s_.size()) unexpected(s_.size());
      if (s_[pos_ + i] != word[i]) unexpected(pos_ + i);
    }
    pos_ += word.size();
  }

  double parse_number() {
    const std::size_t start = pos_;
    if (s_[pos_] == '-') {
      ++pos_;
      if (pos_ >= s_.size() || !is_digit(s_[pos_])) {
        fail_at(pos_, "No number after minus sign in JSON at position %");
      }
    }
    if (s_[pos_] == '0') {
      ++pos_;
      if (pos_ < s_.size() && is_digit(s_[pos_])) unexpected(pos_);
    } else {
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (pos_ >= s_.size() || !is_digit(s_[pos_])) {
        fail_at(pos_, "Unterminated fractional number in JSON at position %");
      }
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (pos_ >= s_.size() || !is_digit(s_[pos_])) {
        fail_at(pos_, "Exponent part is missing a number in JSON at position %");
      }
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    }
    std::string digits(s_.substr(start, pos_ - start));
    return std::strtod(digits.c_str(), nullptr);
  }

  std::string parse_string() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      std::size_t run = pos_;
      while (run < s_.size() && s_[run] != '"' && s_[run] != '\\' &&
             static_cast<unsigned char>(s_[run]) >= 0x20) {
        ++run;
      }
      out.append(s_.substr(pos_, run - pos_));
      pos_ = run;
      if (pos_ >= s_.size()) fail_at(pos_, "Unterminated string in JSON at position %");
      char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c != '\\') fail_at(pos_, "Bad control character in string literal in JSON at position %");
      ++pos_;
      if (pos_ >= s_.size()) fail_at(pos_, "Bad escaped character in JSON at position %");
      switch (s_[pos_]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = read_hex4(pos_ + 1);
          pos_ += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 6 < s_.size() && s_[pos_ + 1] == '\\' &&
              s_[pos_ + 2] == 'u') {
            bool ok = true;
            for (std::size_t i = 3; i < 7; ++i) ok = ok && hex_value(s_[pos_ + i]) >= 0;
            if (ok) {
              std::uint32_t low = read_hex4(pos_ + 3);
              if (low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                pos_ += 6;
              }
            }
          }
          append_code_point(out, cp);
          break;
        }
        default: fail_at(pos_, "Bad escaped character in JSON at position %");
      }
      ++pos_;
    }
  }

  std::uint32_t read_hex4(std::size_t at) {
    std::uint32_t cp = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      if (at + i >= s_.size()) fail_at(at + i, "Bad Unicode escape in JSON at position %");
      int h = hex_value(s_[at + i]);
      if (h < 0) fail_at(at + i, "Bad Unicode escape in JSON at position %");
      cp = cp * 16 + static_cast<std::uint32_t>(h);
    }
    return cp;
  }

  Value parse_array(int depth) {
    ++pos_;
    Value arr = Value::array();
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return arr;
    }
    while (true) {
      skip_ws();
      arr.items.push_back(parse_value(depth + 1));
      skip_ws();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        return arr;
      }
      fail_at(pos_, "Expected ',' or ']' after array element in JSON at position %");
    }
  }

  Value parse_object(int depth) {
    ++pos_;
    Value obj = Value::object();
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return obj;
    }
    if (pos_ >= s_.size() || s_[pos_] != '"') {
      fail_at(pos_, "Expected property name or '}' in JSON at position %");
    }
    std::unordered_map<std::string, std::size_t> index;  // only for large objects
    while (true) {
      std::string key = parse_string();
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != ':') {
        fail_at(pos_, "Expected ':' after property name in JSON at position %");
      }
      ++pos_;
      skip_ws();
      Value v = parse_value(depth + 1);
      check_poison(key, v);
      add_member(obj.items, index, std::move(key), std::move(v));
      skip_ws();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        skip_ws();
        if (pos_ >= s_.size() || s_[pos_] != '"') {
          fail_at(pos_, "Expected double-quoted property name in JSON at position %");
        }
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        apply_js_key_order(obj.items);
        return obj;
      }
      fail_at(pos_, "Expected ',' or '}' after property value in JSON at position %");
    }
  }

  void check_poison(const std::string& key, const Value& v) {
    if (key == "__proto__") poisoned_ = true;
    if (key == "constructor" && v.is_object() && v.find("prototype") != nullptr) poisoned_ = true;
  }

  // A repeated key keeps its first position and takes the last value, as in JSON.parse.
  static void add_member(std::vector<Value>& members,
                         std::unordered_map<std::string, std::size_t>& index, std::string key,
                         Value v) {
    constexpr std::size_t kIndexFrom = 16;  // linear search below this many members
    if (index.empty() && members.size() >= kIndexFrom) {
      for (std::size_t i = 0; i < members.size(); ++i) index.emplace(members[i].key, i);
    }
    std::size_t found = members.size();
    if (index.empty()) {
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (members[i].key == key) found = i;
      }
    } else if (auto it = index.find(key); it != index.end()) {
      found = it->second;
    }
    if (found < members.size()) {
      v.key = std::move(members[found].key);
      members[found] = std::move(v);
      return;
    }
    if (!index.empty()) index.emplace(key, members.size());
    v.key = std::move(key);
    members.push_back(std::move(v));
  }
};

}  // namespace

ParseResult parse(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return Parser(text).run();
}

std::size_t utf16_length(std::string_view wtf8) {
  std::size_t n = 0;
  for (char ch : wtf8) {
    auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0U) == 0x80U) continue;
    n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

std::string sanitize_utf8(std::string_view in) {
  static const std::string kReplacement = "\xEF\xBF\xBD";
  std::string out;
  std::size_t i = 0;
  std::size_t clean_from = 0;
  bool copied = false;
  auto cont = [&](std::size_t at, unsigned lo, unsigned hi) {
    if (at >= in.size()) return false;
    auto c = static_cast<unsigned char>(in[at]);
    return c >= lo && c <= hi;
  };
  while (i < in.size()) {
    auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Valid ranges per the WHATWG decoder; `good` counts bytes of a maximal valid prefix.
    std::size_t need = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    }
    std::size_t good = 0;
    if (need > 0) {
      good = 1;
      if (cont(i + 1, lo, hi)) {
        good = 2;
        for (std::size_t k = 2; k <= need && cont(i + k, 0x80, 0xBF); ++k) good = k + 1;
      }
    }
    if (need > 0 && good == need + 1) {
      i += good;
      continue;
    }
    if (!copied) {
      out.reserve(in.size() + 16);
      copied = true;
    }
    out.append(in.substr(clean_from, i - clean_from));
    out += kReplacement;
    i += good == 0 ? 1 : good;
    clean_from = i;
  }
  if (!copied) return std::string(in);
  out.append(in.substr(clean_from));
  return out;
}

}  // namespace snapstate::devserver::json
