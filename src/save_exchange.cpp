#include "save_exchange.hpp"

#include <utility>

#include "answer.hpp"
#include "js_stringify.hpp"
#include "redact.hpp"
#include "snapstate/errors.hpp"

namespace snapstate::detail {

namespace {

using std::chrono::milliseconds;

// The stored checkpoint as the answer its first write got.
SaveResult as_save_result(Checkpoint&& stored, const HttpResponse& response) {
  if (!stored.etag || !stored.created_at || !stored.diff_from_previous || !stored.size_bytes) {
    throw ProtocolError(
        "invalid response from server: the checkpoint lacks etag, created_at, "
        "diff_from_previous or size_bytes",
        response.status, "INVALID_RESPONSE", response.request_id);
  }
  SaveResult out;
  out.checkpoint_id = std::move(stored.checkpoint_id);
  out.workflow_id = std::move(stored.workflow_id);
  out.step = stored.step;
  out.etag = std::move(*stored.etag);
  out.created_at = std::move(*stored.created_at);
  out.diff_from_previous = std::move(*stored.diff_from_previous);
  out.size_bytes = *stored.size_bytes;
  return out;
}

}  // namespace

const std::string& SaveExchange::own_etag() {
  if (!own_etag_) {
    const std::string_view state =
        std::string_view(save_.request.body).substr(save_.state_begin, save_.state_size);
    own_etag_ = state_etag(state).value_or(std::string());  // our own JSON: always readable
  }
  return *own_etag_;
}

Decision SaveExchange::decide(TransportResult& result, const Decision& standard,
                              milliseconds backoff) {
  error_ = nullptr;  // what was wrong with an earlier attempt is superseded by this one
  return looking_up_ ? after_lookup(result, standard, backoff)
                     : after_write(result, standard, backoff);
}

Decision SaveExchange::look_up(Verdict verdict, milliseconds delay) {
  looking_up_ = true;
  return Decision::again(verdict, delay);
}

Decision SaveExchange::after_write(TransportResult& result, const Decision& standard,
                                   milliseconds backoff) {
  switch (standard.verdict) {
    case Verdict::answer: {
      auto& response = std::get<HttpResponse>(result);
      try {
        auto saved = decode<SaveResult>(response, decode_save_result);
        if (saved.workflow_id != save_.workflow_id || saved.step != save_.step) {
          throw_not_ours(response, "the answer is about another step than the one saved");
        }
        result_ = std::move(saved);
        return standard;
      } catch (const ProtocolError&) {
        // An answer that cannot be this save's says nothing of what the server did.
        error_ = std::current_exception();
        uncertain_ = true;
        return look_up(Verdict::unknown, backoff);
      }
    }
    case Verdict::unknown: uncertain_ = true; return look_up(standard.verdict, backoff);
    case Verdict::refused:
      if (uncertain_ && std::get<HttpResponse>(result).status == 409) {
        return look_up(standard.verdict, milliseconds(0));  // perhaps our own earlier write
      }
      return standard;
    default: return standard;  // as for any call: a 429 waits, a failure before sending may retry
  }
}

Decision SaveExchange::after_lookup(TransportResult& result, const Decision& standard,
                                    milliseconds backoff) {
  switch (standard.verdict) {
    case Verdict::answer: {
      auto& response = std::get<HttpResponse>(result);
      try {
        auto stored = decode<Checkpoint>(response, decode_checkpoint);
        if (stored.checkpoint_id != save_.checkpoint_id) {
          throw_not_ours(response,
                         "the answer is about another checkpoint than " + save_.checkpoint_id);
        }
        const std::string etag = stored.etag.value_or(std::string());
        if (etag == own_etag() || (save_.if_match && etag == *save_.if_match)) {
          result_ = as_save_result(std::move(stored), response);
          return Decision::stop(standard.verdict, StopReason::answered);
        }
        error_ = std::make_exception_ptr(ConflictError(
            "Checkpoint " + save_.checkpoint_id + " already exists with a different state", 409,
            "CONFLICT", response.request_id, save_.checkpoint_id, redact(etag, secret_)));
        return Decision::stop(Verdict::refused, StopReason::refused);
      } catch (const ProtocolError&) {
        error_ = std::current_exception();
        return look_up(Verdict::unknown, backoff);  // ask again: a GET may
      }
    }
    case Verdict::refused:
      if (std::get<HttpResponse>(result).status == 404) {
        looking_up_ = false;  // not stored: write it
        return Decision::again(standard.verdict, milliseconds(0));
      }
      return standard;
    case Verdict::unknown:
    case Verdict::not_sent: return look_up(standard.verdict, backoff);
    default: return standard;
  }
}

}  // namespace snapstate::detail
