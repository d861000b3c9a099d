// A JSON value with JavaScript semantics: object members keep the order JSON.parse gives them
// (array-index keys first, ascending, then the rest in arrival order), numbers are doubles,
// strings are WTF-8 (lone surrogates from \u escapes survive, as in a JS string).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace snapstate::devserver::json {

enum class Type : std::uint8_t { Null, Bool, Number, String, Array, Object, Raw };

struct Value {
  Type type = Type::Null;
  bool boolean = false;
  double number = 0.0;
  std::string text;          ///< String: the characters; Raw: already-serialized JSON text
  std::vector<Value> items;  ///< Array elements, or Object members (each with `key` set)
  std::string key;           ///< the member name when this value sits in an object

  static Value null() { return {}; }
  static Value from_bool(bool b);
  static Value from_number(double d);
  static Value from_string(std::string s);
  static Value raw(std::string serialized);  ///< embedded verbatim by the writer
  static Value array();
  static Value object();

  bool is_object() const { return type == Type::Object; }
  bool is_array() const { return type == Type::Array; }
  bool is_string() const { return type == Type::String; }

  const Value* find(std::string_view name) const;  ///< object member lookup (linear)
  Value* find(std::string_view name);
  /// Object assignment with JS semantics: an existing key keeps its place, a new one is
  /// appended (array-index keys are placed in ascending order before the others).
  Value& set(std::string name, Value v);
  void push(Value v) { items.push_back(std::move(v)); }
};

/// Reorders the members of an object the way a JS engine enumerates them
/// (protocol::array_index keys first, ascending).
void apply_js_key_order(std::vector<Value>& members);

/// Number of Unicode code points (what Ajv's maxLength/minLength count).
std::size_t code_point_count(std::string_view wtf8);

}  // namespace snapstate::devserver::json
