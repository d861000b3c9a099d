#include "snapstate/version.hpp"

namespace snapstate {

const char* version() noexcept {
  return SNAPSTATE_VERSION_STRING;
}

}  // namespace snapstate
