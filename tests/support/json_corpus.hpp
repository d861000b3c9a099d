// JSON documents that exercise every corner of a reader or a writer: key order, duplicate keys,
// the number types, escapes, non-ASCII text, whitespace.
#pragma once

#include <string>
#include <vector>

namespace snapstate::testing {

inline const std::vector<std::string>& tricky_json_documents() {
  static const std::vector<std::string> docs = {
      R"({})",
      R"([])",
      R"({"b":1,"a":2,"c":{"z":[],"y":{}}})",
      R"({"dup":1,"dup":2})",
      R"([0,-0,1,-1,9007199254740992,18446744073709551615,-9223372036854775808])",
      R"([1.0,0.1,-2.5e-7,1e21,1.7976931348623157e308,5e-324,123456789.123456789])",
      R"(["", "\"\\\/\b\f\n\r\t", "\u0001\u001f\u007f", "\u00e9\u4e2d\ud83d\ude00", "é中😀"])",
      R"([true,false,null,[null],{"k":null}])",
      R"(  {"spaces" :  [ 1 , 2 ] }  )",
      "\xEF\xBB\xBF{\"after a byte order mark\":1}",
  };
  return docs;
}

}  // namespace snapstate::testing
