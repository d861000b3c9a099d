// libFuzzer target: the fast reader must accept exactly what nlohmann::json::parse accepts
// (within the 1024 nesting limit) and build the same value; the fast writer must write exactly
// what dump() writes.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "json_reader.hpp"
#include "json_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  nlohmann::json fast;
  const auto status = snapstate::detail::read_json(text, fast);
  if (status == snapstate::detail::JsonReadStatus::too_deep) return 0;
  const auto reference = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const bool accepted = status == snapstate::detail::JsonReadStatus::ok;
  if (accepted != !reference.is_discarded()) __builtin_trap();
  if (!accepted) return 0;
  if (fast != reference && fast.dump() != reference.dump()) __builtin_trap();
  std::string written;
  std::size_t bad_offset = 0;
  if (snapstate::detail::write_json(written, fast, bad_offset) !=
      snapstate::detail::JsonWriteStatus::ok) {
    __builtin_trap();
  }
  if (written != fast.dump()) __builtin_trap();
  return 0;
}
