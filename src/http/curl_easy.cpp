#include "curl_easy.hpp"

#include <string>

namespace snapstate::detail {

void check_curl(CURLcode rc, const char* what) {
  if (rc != CURLE_OK) {
    throw CurlSetupError(std::string("libcurl refused ") + what + ": " + curl_easy_strerror(rc));
  }
}

void curl_global_init_once() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  check_curl(rc, "curl_global_init");
}

}  // namespace snapstate::detail
