// Exit codes of the snapstate tool and the one-line error report on stderr.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace snapstate_cli {

/// One exit code per error class; documented in --help and README.md.
enum ExitCode : int {
  kExitOk = 0,
  kExitOther = 1,
  kExitUsage = 2,     // bad command line or input, ValidationError, missing API key
  kExitAuth = 3,      // AuthError, ForbiddenError
  kExitNotFound = 4,  // NotFoundError
  kExitConflict = 5,  // ConflictError
  kExitPayloadTooLarge = 6,
  kExitRateLimited = 7,
  kExitServer = 8,  // ServerError (also: health reports "degraded")
  kExitProtocol = 9,
  kExitNetwork = 10,
  kExitTimeout = 11,
};

/// Input the tool refuses itself, before anything is sent (exit code 2).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The exit-code table as shown in the --help footer.
std::string exit_code_help();

/// An error's exit code and its single stderr line (no trailing newline).
struct ErrorReport {
  int exit_code = kExitOther;
  std::string line;
};

/// Describes `error`: "error: <Class> [<status> <code>] <message> (request <id>)" for
/// SnapStateError ("(request …)" only when there is an id), "error: usage: <message>" for bad
/// input. Each piece that came from the server or the command line is printable(): one line,
/// no terminal escapes, every value in `secrets` replaced by "[redacted]".
ErrorReport describe_error(const std::exception_ptr& error,
                           const std::vector<std::string>& secrets);

}  // namespace snapstate_cli
