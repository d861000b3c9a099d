// libFuzzer target: every response decoder on arbitrary bytes. The first byte picks the
// decoder; the rest is the body. Only ProtocolError may come out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "codec.hpp"
#include "snapstate/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const snapstate::detail::ResponseContext context{200, "fuzz"};
  try {
    switch (data[0] % 8) {
      case 0: (void)snapstate::detail::decode_save_result(body, context); break;
      case 1: (void)snapstate::detail::decode_checkpoint(body, context); break;
      case 2: (void)snapstate::detail::decode_resume(body, context); break;
      case 3: (void)snapstate::detail::decode_replay(body, context); break;
      case 4: (void)snapstate::detail::decode_agent(body, context); break;
      case 5: (void)snapstate::detail::decode_agent_list(body, context); break;
      case 6: (void)snapstate::detail::decode_webhook(body, context); break;
      default: (void)snapstate::detail::decode_health(body, context); break;
    }
  } catch (const snapstate::ProtocolError&) {
    // the documented outcome for a body that does not fit
  }
  return 0;
}
