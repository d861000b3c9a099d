// The HTTP/1.1 request head, response and body reader shared by the listener and the app.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace snapstate::devserver {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

bool iequals(std::string_view a, std::string_view b);

struct RequestHead {
  std::string method;
  std::string target;   ///< raw request target, never decoded
  std::string version;  ///< "HTTP/1.1"
  HeaderList headers;   ///< as received

  /// First header with this name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
};

struct Response {
  int status = 200;
  HeaderList headers;  ///< written in this order and spelling; Date/Connection are added after
  std::string body;
  bool close = false;  ///< close after writing; the app wrote its own `connection` header
};

/// Reads the request body on demand, so the app can reject a request before its body is read.
class BodyReader {
 public:
  enum class Result { Ok, TooLarge, Failed };
  /// True when the request declares a body (Content-Length > 0 or chunked).
  virtual bool declared() const = 0;
  /// Reads the whole body into `out`. TooLarge as soon as it is known to exceed `limit`
  /// (from Content-Length before reading anything); the connection is then closed.
  virtual Result read_all(std::size_t limit, std::string& out) = 0;

 protected:
  ~BodyReader() = default;
};

/// The reason phrase Node writes for a status.
const char* reason_phrase(int status);

}  // namespace snapstate::devserver
