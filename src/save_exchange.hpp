// Exactly-once saves. A save whose outcome is unknown (the connection dropped or timed out after
// the request went out, the answer was another request's, or a 500/502/503/504 came back) is
// not handed back as an ambiguity: within the same attempt budget the client looks the
// checkpoint up by its deterministic id and
//   - returns the stored record when the step holds this state (same etag),
//   - writes it again when the step is not stored,
//   - throws ConflictError only when the step holds a different state.
// A 409 after an unknown outcome is the client's own earlier attempt until the lookup says
// otherwise; a 409 with no failure before it is the caller's conflict, as always.
#pragma once

#include <exception>
#include <optional>
#include <string>

#include "http/transport.hpp"
#include "retry.hpp"
#include "snapstate/types.hpp"

namespace snapstate::detail {

// A save validated and serialized, ready to go out (async_save prepares it on the caller's
// thread, so the state is never copied).
struct PreparedSave {
  HttpRequest request;  // POST /checkpoints
  HttpRequest lookup;   // GET /checkpoints/<the id the server will give it>
  std::string workflow_id;
  std::int64_t step = 0;
  std::string checkpoint_id;
  std::size_t state_begin = 0;  // where the state's JSON sits in request.body
  std::size_t state_size = 0;
  std::optional<std::string> if_match;
};

class SaveExchange final : public Exchange {
 public:
  // `secret` (the API key) is redacted from what the server's answers put in an error.
  SaveExchange(const PreparedSave& save, const std::string& secret)
      : save_(save), secret_(secret) {}

  const HttpRequest& request() const override { return looking_up_ ? save_.lookup : save_.request; }
  CallKind kind() const override { return CallKind{looking_up_, 0}; }
  Decision decide(TransportResult& result, const Decision& standard,
                  std::chrono::milliseconds backoff) override;

  // The save's result, once known.
  std::optional<SaveResult>& result() { return result_; }
  // What to throw instead of the mapped outcome: a conflict with a different stored state, or
  // an answer that could not be read and was not resolved in time.
  std::exception_ptr error() const { return error_; }

 private:
  Decision after_write(TransportResult& result, const Decision& standard,
                       std::chrono::milliseconds backoff);
  Decision after_lookup(TransportResult& result, const Decision& standard,
                        std::chrono::milliseconds backoff);
  // Look the checkpoint up before the next attempt.
  Decision look_up(Verdict verdict, std::chrono::milliseconds delay);
  const std::string& own_etag();

  const PreparedSave& save_;
  const std::string& secret_;
  bool looking_up_ = false;
  bool uncertain_ = false;  // an earlier attempt may have stored the step
  std::optional<std::string> own_etag_;
  std::optional<SaveResult> result_;
  std::exception_ptr error_;
};

}  // namespace snapstate::detail
