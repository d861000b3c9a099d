// Owning libcurl handles, checked curl_easy_setopt, and the once-per-process global init.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <stdexcept>

namespace snapstate::detail {

struct EasyDeleter {
  void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;

// A failure to configure a handle: a bug or an unsupported libcurl build, never a network error.
struct CurlSetupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws CurlSetupError naming `what` when libcurl refuses.
void check_curl(CURLcode rc, const char* what);

template <class T>
void set_option(CURL* easy, CURLoption option, T value, const char* what) {
  check_curl(curl_easy_setopt(easy, option, value), what);
}

// curl_global_init is not thread-safe and must run once per process; it is never undone,
// since other code in the process may still use libcurl.
void curl_global_init_once();

}  // namespace snapstate::detail
