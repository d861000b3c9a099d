#include "context.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <iostream>

#include <unistd.h>

#include <snapstate/version.hpp>

#include "attempt_log.hpp"
#include "exit_codes.hpp"
#include "safe_text.hpp"

namespace snapstate_cli {

snapstate::ClientOptions Context::client_options() const {
  snapstate::ClientOptions options = snapstate::ClientOptions::from_env();
  if (globals.api_key) options.api_key = *globals.api_key;
  if (globals.base_url) options.base_url = *globals.base_url;
  if (globals.timeout_seconds) {
    // Capped at a day, so a huge value cannot overflow the conversion.
    const double seconds = std::min(*globals.timeout_seconds, 86400.0);
    const auto ms =
        std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000.0)));
    options.timeout = ms;
    if (options.connect_timeout > ms) options.connect_timeout = ms;
  }
  if (globals.retries) options.max_retries = *globals.retries;
  options.user_agent = "snapstate-cli/" + std::string(snapstate::version());
  options.on_attempt = attempt_observer(globals.verbose, ::isatty(STDERR_FILENO) == 1,
                                        std::max(1, options.max_retries), std::cerr);
  return options;
}

snapstate::SnapStateClient Context::client(bool key_required) const {
  snapstate::ClientOptions options = client_options();
  if (options.api_key.empty()) {
    if (key_required) {
      throw UsageError("no API key: pass --api-key or set SNAPSTATE_API_KEY");
    }
    // GET /health needs no key, but the client insists on one; it is never checked there.
    options.api_key = "snp_health_check_without_key";
  }
  return snapstate::SnapStateClient(std::move(options));
}

void Context::emit(const nlohmann::ordered_json& json,
                   const std::function<void(std::ostream&)>& table_renderer) const {
  if (table()) {
    table_renderer(std::cout);
  } else {
    std::cout << escape_c1(
                     json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace))
              << '\n';
  }
  std::cout.flush();
}

}  // namespace snapstate_cli
