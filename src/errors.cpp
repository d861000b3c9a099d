#include "snapstate/errors.hpp"

#include <utility>

namespace snapstate {

// Shared and immutable, so copying an exception only bumps a reference count.
struct SnapStateError::Details {
  int status_code = 0;
  std::string code;
  std::string request_id;
  std::optional<std::string> existing_checkpoint_id;
  std::optional<std::string> existing_etag;
  int retry_after = 0;
};

SnapStateError::SnapStateError(const std::string& message, int status_code, std::string code,
                               std::string request_id)
    : SnapStateError(
          message, std::make_shared<const Details>(
                       Details{status_code, std::move(code), std::move(request_id), {}, {}, 0})) {}

SnapStateError::SnapStateError(const std::string& message, std::shared_ptr<const Details> details)
    : std::runtime_error(message), details_(std::move(details)) {}

int SnapStateError::status_code() const noexcept {
  return details_->status_code;
}
const std::string& SnapStateError::code() const noexcept {
  return details_->code;
}
const std::string& SnapStateError::request_id() const noexcept {
  return details_->request_id;
}
const SnapStateError::Details& SnapStateError::details() const noexcept {
  return *details_;
}

ConflictError::ConflictError(const std::string& message, int status_code, std::string code,
                             std::string request_id,
                             std::optional<std::string> existing_checkpoint_id,
                             std::optional<std::string> existing_etag)
    : SnapStateError(
          message, std::make_shared<const Details>(
                       Details{status_code, std::move(code), std::move(request_id),
                               std::move(existing_checkpoint_id), std::move(existing_etag), 0})) {}

const std::optional<std::string>& ConflictError::existing_checkpoint_id() const noexcept {
  return details().existing_checkpoint_id;
}
const std::optional<std::string>& ConflictError::existing_etag() const noexcept {
  return details().existing_etag;
}

RateLimitError::RateLimitError(const std::string& message, int status_code, std::string code,
                               std::string request_id, int retry_after)
    : SnapStateError(
          message, std::make_shared<const Details>(Details{
                       status_code, std::move(code), std::move(request_id), {}, {}, retry_after})) {
}

int RateLimitError::retry_after() const noexcept {
  return details().retry_after;
}

}  // namespace snapstate
