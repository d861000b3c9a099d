// The canonical text JSON.stringify produces: members in the Value's order, numbers written
// the JavaScript way (1.0 -> 1, 1e21 -> 1e+21, -0 -> 0), raw UTF-8 kept, lone surrogates escaped.
#pragma once

#include <string>

#include "json_value.hpp"

namespace snapstate::devserver::json {

std::string stringify(const Value& v);
void stringify_to(const Value& v, std::string& out);

}  // namespace snapstate::devserver::json
