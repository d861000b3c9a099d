// Wall-clock helpers: epoch milliseconds and the two text forms the server writes.
#pragma once

#include <cstdint>
#include <string>

namespace snapstate::devserver {

std::int64_t now_ms();
/// "2026-11-30T04:30:41.074Z"
std::string iso8601(std::int64_t epoch_ms);
/// "Mon, 30 Nov 2026 04:30:41 GMT" (locale-independent)
std::string http_date(std::int64_t epoch_ms);

}  // namespace snapstate::devserver
