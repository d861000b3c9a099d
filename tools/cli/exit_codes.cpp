#include "exit_codes.hpp"

#include <snapstate/errors.hpp>

namespace snapstate_cli {
namespace {

std::string snapstate_line(const char* class_name, const snapstate::SnapStateError& e,
                           const std::string& extra) {
  std::string line = std::string("error: ") + class_name + " [" + std::to_string(e.status_code()) +
                     " " + e.code() + "] " + e.what() + extra;
  if (!e.request_id().empty()) line += " (request " + e.request_id() + ")";
  return line;
}

std::string conflict_hint(const snapstate::ConflictError& e) {
  if (!e.existing_etag()) return {};
  std::string hint = "; existing";
  if (e.existing_checkpoint_id()) hint += " checkpoint " + *e.existing_checkpoint_id();
  return hint + " etag " + *e.existing_etag() + " (use --if-match to read it back)";
}

ErrorReport classify(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const UsageError& e) {
    return {kExitUsage, std::string("error: usage: ") + e.what()};
  } catch (const snapstate::TimeoutError& e) {
    return {kExitTimeout, snapstate_line("TimeoutError", e, "")};
  } catch (const snapstate::NetworkError& e) {
    return {kExitNetwork, snapstate_line("NetworkError", e, "")};
  } catch (const snapstate::ValidationError& e) {
    return {kExitUsage, snapstate_line("ValidationError", e, "")};
  } catch (const snapstate::AuthError& e) {
    return {kExitAuth, snapstate_line("AuthError", e, "")};
  } catch (const snapstate::ForbiddenError& e) {
    return {kExitAuth, snapstate_line("ForbiddenError", e, "")};
  } catch (const snapstate::NotFoundError& e) {
    return {kExitNotFound, snapstate_line("NotFoundError", e, "")};
  } catch (const snapstate::ConflictError& e) {
    return {kExitConflict, snapstate_line("ConflictError", e, conflict_hint(e))};
  } catch (const snapstate::PayloadTooLargeError& e) {
    return {kExitPayloadTooLarge, snapstate_line("PayloadTooLargeError", e, "")};
  } catch (const snapstate::RateLimitError& e) {
    return {kExitRateLimited,
            snapstate_line("RateLimitError", e,
                           "; retry after " + std::to_string(e.retry_after()) + " s")};
  } catch (const snapstate::ServerError& e) {
    return {kExitServer, snapstate_line("ServerError", e, "")};
  } catch (const snapstate::ProtocolError& e) {
    return {kExitProtocol, snapstate_line("ProtocolError", e, "")};
  } catch (const snapstate::SnapStateError& e) {
    return {kExitOther, snapstate_line("SnapStateError", e, "")};
  } catch (const std::invalid_argument& e) {
    // The client's constructor refuses an empty key or a bad base URL this way.
    return {kExitUsage, std::string("error: usage: ") + e.what()};
  } catch (const std::exception& e) {
    return {kExitOther, std::string("error: ") + e.what()};
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

std::string sanitize_line(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "[redacted]");
    }
  }
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == '\0') c = ' ';
  }
  return text;
}

ErrorReport describe_error(const std::exception_ptr& error,
                           const std::vector<std::string>& secrets) {
  ErrorReport report = classify(error);
  report.line = sanitize_line(std::move(report.line), secrets);
  return report;
}

}  // namespace snapstate_cli
