#include "exit_codes.hpp"

#include <functional>

#include <snapstate/errors.hpp>

#include "safe_text.hpp"

namespace snapstate_cli {
namespace {

// Every piece of the line that came from the server or the command line goes through it.
using Clean = std::function<std::string(std::string_view)>;

std::string snapstate_line(const char* class_name, const snapstate::SnapStateError& e,
                           const std::string& extra, const Clean& clean) {
  std::string line = std::string("error: ") + class_name + " [" + std::to_string(e.status_code()) +
                     " " + clean(e.code()) + "] " + clean(e.what()) + extra;
  const std::string id = clean(e.request_id());
  if (id.find_first_not_of(' ') != std::string::npos) line += " (request " + id + ")";
  return line;
}

std::string conflict_hint(const snapstate::ConflictError& e, const Clean& clean) {
  if (!e.existing_etag()) return {};
  std::string hint = "; existing";
  if (e.existing_checkpoint_id()) hint += " checkpoint " + clean(*e.existing_checkpoint_id());
  return hint + " etag " + clean(*e.existing_etag()) + " (use --if-match to read it back)";
}

ErrorReport classify(const std::exception_ptr& error, const Clean& clean) {
  const auto line = [&clean](const char* class_name, const snapstate::SnapStateError& e,
                             const std::string& extra = {}) {
    return snapstate_line(class_name, e, extra, clean);
  };
  try {
    std::rethrow_exception(error);
  } catch (const UsageError& e) {
    return {kExitUsage, "error: usage: " + clean(e.what())};
  } catch (const snapstate::TimeoutError& e) {
    return {kExitTimeout, line("TimeoutError", e)};
  } catch (const snapstate::NetworkError& e) {
    return {kExitNetwork, line("NetworkError", e)};
  } catch (const snapstate::ValidationError& e) {
    return {kExitUsage, line("ValidationError", e)};
  } catch (const snapstate::AuthError& e) {
    return {kExitAuth, line("AuthError", e)};
  } catch (const snapstate::ForbiddenError& e) {
    return {kExitAuth, line("ForbiddenError", e)};
  } catch (const snapstate::NotFoundError& e) {
    return {kExitNotFound, line("NotFoundError", e)};
  } catch (const snapstate::ConflictError& e) {
    return {kExitConflict, line("ConflictError", e, conflict_hint(e, clean))};
  } catch (const snapstate::PayloadTooLargeError& e) {
    return {kExitPayloadTooLarge, line("PayloadTooLargeError", e)};
  } catch (const snapstate::RateLimitError& e) {
    return {kExitRateLimited,
            line("RateLimitError", e, "; retry after " + std::to_string(e.retry_after()) + " s")};
  } catch (const snapstate::ServerError& e) {
    return {kExitServer, line("ServerError", e)};
  } catch (const snapstate::ProtocolError& e) {
    return {kExitProtocol, line("ProtocolError", e)};
  } catch (const snapstate::SnapStateError& e) {
    return {kExitOther, line("SnapStateError", e)};
  } catch (const std::invalid_argument& e) {
    // The client's constructor refuses an empty key or a bad base URL this way.
    return {kExitUsage, "error: usage: " + clean(e.what())};
  } catch (const std::exception& e) {
    return {kExitOther, "error: " + clean(e.what())};
  } catch (...) {
    return {kExitOther, "error: unknown failure"};
  }
}

}  // namespace

std::string exit_code_help() {
  return "Global options (--api-key, --base-url, --timeout, --retries, --format) go before or\n"
         "after the subcommand; see snapstate --help.\n\n"
         "Exit codes:\n"
         "  0   success\n"
         "  1   any other error\n"
         "  2   usage or bad input (incl. ValidationError), missing API key\n"
         "  3   AuthError or ForbiddenError (401, 403)\n"
         "  4   NotFoundError (404)\n"
         "  5   ConflictError (409)\n"
         "  6   PayloadTooLargeError (413, or state over 1 MiB)\n"
         "  7   RateLimitError (429 after the last retry)\n"
         "  8   ServerError (5xx); health: server degraded\n"
         "  9   ProtocolError (unreadable response)\n"
         "  10  NetworkError (no response)\n"
         "  11  TimeoutError\n"
         "Environment: SNAPSTATE_API_KEY (the key, when --api-key is not given),\n"
         "  SNAPSTATE_BASE_URL or SNAPSTATE_API_URL (default http://localhost:3000).";
}

ErrorReport describe_error(const std::exception_ptr& error,
                           const std::vector<std::string>& secrets) {
  return classify(error, [&secrets](std::string_view text) { return printable(text, secrets); });
}

}  // namespace snapstate_cli
