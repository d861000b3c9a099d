// The id the server gives a checkpoint: `cp_` + workflow_id + `_` + String(step) padded with
// zeros to three digits (cp_x_001, cp_x_1000). Deterministic, so the client can look up a save
// whose answer it never got.
#pragma once

#include <string>
#include <string_view>

#include "js_number.hpp"

namespace snapstate::protocol {

inline std::string checkpoint_id(std::string_view workflow_id, double step) {
  std::string digits = js_number_to_string(step);  // the server's step is a JavaScript number
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  std::string id = "cp_";
  id.append(workflow_id);
  id.push_back('_');
  id += digits;
  return id;
}

}  // namespace snapstate::protocol
