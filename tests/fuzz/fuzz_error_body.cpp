// libFuzzer target: the error-body parser and the status-to-exception mapping. Every input
// must end in a SnapStateError subclass, never in another exception or a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "error_mapping.hpp"
#include "snapstate/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::string body(reinterpret_cast<const char*>(data) + 2, size - 2);
  (void)snapstate::detail::parse_error_body(body);
  snapstate::detail::HttpResponse response;
  response.status = 400 + (data[0] | (data[1] << 8)) % 200;  // 400..599
  response.body = body;
  constexpr const char* kKey = "snp_fuzz";
  try {
    snapstate::detail::throw_http_error(response, kKey);
  } catch (const snapstate::SnapStateError& e) {
    if (e.status_code() != response.status || e.code().empty()) __builtin_trap();
    // Whatever the body echoes, the key never comes back out.
    if (std::string(e.what()).find(kKey) != std::string::npos ||
        e.code().find(kKey) != std::string::npos) {
      __builtin_trap();
    }
  }
  return 0;
}
