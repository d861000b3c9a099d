// Reading an answer into its typed result, and refusing one about something else than what was
// asked (client_impl and save_exchange both do).
#pragma once

#include <string>

#include "codec.hpp"
#include "http/transport.hpp"
#include "snapstate/errors.hpp"

namespace snapstate::detail {

template <class T, class Decode>
T decode(HttpResponse& response, Decode decoder) {
  return decoder(response.body, ResponseContext{response.status, response.request_id});
}

// An answer that cannot be this request's (`what` says why).
[[noreturn]] inline void throw_not_ours(const HttpResponse& response, const std::string& what) {
  throw ProtocolError("invalid response from server: " + what, response.status,
                      "MISMATCHED_RESPONSE", std::string(response.request_id));
}

// An answer about another resource than the one asked for cannot be this request's.
inline void expect_same(const std::string& answered, const std::string& asked, const char* what,
                        const HttpResponse& response) {
  if (answered != asked) {
    throw_not_ours(response,
                   std::string("the answer is about another ") + what + " than the one asked for");
  }
}

}  // namespace snapstate::detail
