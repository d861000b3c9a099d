// Shared setup of the loopback tests: client options that keep every back-off tiny, and a
// helper that expects one exact exception type.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include "snapstate/snapstate.hpp"

namespace snapstate::testing {

inline constexpr const char* kLoopbackKey = "snp_loopback_test_key_0123456789ab";

// Real back-off logic, but waits of a few milliseconds so retries stay fast.
inline ClientOptions loopback_options(const std::string& base_url, int max_retries = 3) {
  ClientOptions options;
  options.api_key = kLoopbackKey;
  options.base_url = base_url;
  options.max_retries = max_retries;
  options.max_retry_wait = std::chrono::milliseconds(5);
  options.timeout = std::chrono::milliseconds(10000);
  options.connect_timeout = std::chrono::milliseconds(2000);
  return options;
}

// Runs `fn`, expects it to throw exactly E (not a subclass), and returns the exception.
template <class E, class F>
E expect_exact(F&& fn) {
  try {
    fn();
  } catch (const E& e) {
    EXPECT_EQ(typeid(e), typeid(E)) << "got a " << typeid(e).name() << ": " << e.what();
    EXPECT_EQ(std::string(e.what()).find(kLoopbackKey), std::string::npos);
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected " << typeid(E).name() << ", got " << typeid(e).name() << ": "
                  << e.what();
    throw;
  }
  ADD_FAILURE() << "expected " << typeid(E).name() << ", nothing was thrown";
  throw std::logic_error("nothing thrown");
}

}  // namespace snapstate::testing
