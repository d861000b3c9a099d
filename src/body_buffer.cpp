#include "body_buffer.hpp"

#include <utility>

#include "protocol/limits.hpp"

namespace snapstate::detail {

namespace {

// Twice the largest body the server accepts: room for any save, never more.
constexpr std::size_t kKeepAtMost = 2 * protocol::kMaxBodyBytes;

std::string& spare() {
  thread_local std::string buffer;
  return buffer;
}

}  // namespace

std::string take_body_buffer() {
  std::string buffer = std::move(spare());
  buffer.clear();
  return buffer;
}

void recycle_body_buffer(std::string&& buffer) noexcept {
  if (buffer.capacity() <= kKeepAtMost) spare() = std::move(buffer);
}

}  // namespace snapstate::detail
