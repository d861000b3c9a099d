#include "transport.hpp"

namespace snapstate::detail {

const char* method_name(Method method) noexcept {
  switch (method) {
    case Method::get: return "GET";
    case Method::post: return "POST";
    case Method::patch: return "PATCH";
    case Method::del: return "DELETE";
  }
  return "GET";
}

std::string_view HttpRequest::path() const noexcept {
  std::string_view target = std::string_view(url).substr(target_begin);
  return target.substr(0, target.find('?'));
}

}  // namespace snapstate::detail
