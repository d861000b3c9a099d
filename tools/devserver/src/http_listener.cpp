#include "http_listener.hpp"

#include <chrono>
#include <stdexcept>

#include "clock.hpp"

namespace snapstate::devserver {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kMaxHeadBytes = 16 * 1024;  // Node's default max header size
constexpr milliseconds kIdleTimeout{72000};       // Keep-Alive: timeout=72
constexpr milliseconds kIoTimeout{30000};
constexpr milliseconds kDrainLimit{5000};
// Over the connection cap: how many 503s may be in progress at once (past that, a connection
// is closed unanswered), and how long each waits for the client to read it.
constexpr std::size_t kMaxRefusing = 32;
constexpr milliseconds kRefusalDrain{1000};

std::string trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

// Buffered socket I/O with timeouts.
class ConnIo {
 public:
  explicit ConnIo(int fd) : fd_(fd) {}
  std::string buf;

  bool fill(milliseconds timeout) { return static_cast<bool>(net::recv_some(fd_, buf, timeout)); }

  bool write_all(std::string_view data) { return net::send_all(fd_, data); }

  // One CRLF-terminated line (without the CRLF); false on timeout, EOF or an over-long line.
  bool read_line(std::string& line, std::size_t max) {
    while (true) {
      std::size_t eol = buf.find("\r\n");
      if (eol != std::string::npos) {
        line = buf.substr(0, eol);
        buf.erase(0, eol + 2);
        return true;
      }
      if (buf.size() > max || !fill(kIoTimeout)) return false;
    }
  }

  // Moves up to `n` bytes from the socket into `out` (or drops them if out is null).
  bool take(std::size_t n, std::string* out) {
    while (n > 0) {
      if (buf.empty() && !fill(kIoTimeout)) return false;
      std::size_t k = std::min(n, buf.size());
      if (out != nullptr) out->append(buf, 0, k);
      buf.erase(0, k);
      n -= k;
    }
    return true;
  }

  // After a response that closes the connection, so that closing does not reset it before the
  // client read the response.
  void drain() { net::drain(fd_, kDrainLimit); }

 private:
  int fd_;
};

class ConnBodyReader final : public BodyReader {
 public:
  ConnBodyReader(ConnIo& io, bool chunked, std::size_t length)
      : io_(io), chunked_(chunked), remaining_(length) {}

  bool declared() const override { return chunked_ || remaining_ > 0; }

  Result read_all(std::size_t limit, std::string& out) override {
    out.clear();
    return read(limit, &out);
  }

  // Consumes what the app did not read; false if the connection cannot be reused.
  bool finish() {
    if (broken_) return false;
    if (done_) return true;
    return read(static_cast<std::size_t>(-1), nullptr) == Result::Ok;
  }

 private:
  Result read(std::size_t limit, std::string* out) {
    if (done_ || broken_) return broken_ ? Result::Failed : Result::Ok;
    Result r = chunked_ ? read_chunked(limit, out) : read_length(limit, out);
    if (r == Result::Ok) {
      done_ = true;
    } else {
      broken_ = true;
    }
    return r;
  }

  Result read_length(std::size_t limit, std::string* out) {
    if (remaining_ > limit) return Result::TooLarge;
    if (out != nullptr) out->reserve(remaining_);
    bool ok = io_.take(remaining_, out);
    remaining_ = 0;
    return ok ? Result::Ok : Result::Failed;
  }

  Result read_chunked(std::size_t limit, std::string* out) {
    std::size_t total = 0;
    std::string line;
    while (true) {
      if (!io_.read_line(line, 4096)) return Result::Failed;
      std::size_t size = 0;
      std::size_t i = 0;
      for (; i < line.size(); ++i) {
        char c = line[i];
        int h = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (h < 0) break;
        if (size > (static_cast<std::size_t>(-1) >> 8)) return Result::Failed;
        size = size * 16 + static_cast<std::size_t>(h);
      }
      if (i == 0) return Result::Failed;
      if (size == 0) {
        do {  // trailers, up to the empty line
          if (!io_.read_line(line, 8192)) return Result::Failed;
        } while (!line.empty());
        return Result::Ok;
      }
      total += size;
      if (total > limit) return Result::TooLarge;
      if (!io_.take(size, out)) return Result::Failed;
      if (!io_.read_line(line, 2) || !line.empty()) return Result::Failed;
    }
  }

  ConnIo& io_;
  bool chunked_;
  std::size_t remaining_;
  bool done_ = false;
  bool broken_ = false;
};

bool parse_head(std::string_view text, RequestHead& head) {
  std::size_t eol = text.find("\r\n");
  std::string_view line = text.substr(0, eol);
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return false;
  head.method = std::string(line.substr(0, sp1));
  head.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  head.version = std::string(line.substr(sp2 + 1));
  if (head.method.empty() || head.target.empty() || head.target.find(' ') != std::string::npos)
    return false;
  if (head.version != "HTTP/1.1" && head.version != "HTTP/1.0") return false;
  for (char c : head.method) {
    if (c < 'A' || c > 'Z') return false;
  }
  std::size_t pos = eol + 2;
  while (pos < text.size()) {
    std::size_t end = text.find("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view h = text.substr(pos, end - pos);
    pos = end + 2;
    if (h.empty()) continue;
    std::size_t colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    std::string name(h.substr(0, colon));
    if (name.find_first_of(" \t") != std::string::npos) return false;
    head.headers.emplace_back(std::move(name), trim(h.substr(colon + 1)));
  }
  return true;
}

bool write_response(ConnIo& io, const RequestHead& head, const Response& res, bool keep_alive) {
  std::string out =
      "HTTP/1.1 " + std::to_string(res.status) + " " + reason_phrase(res.status) + "\r\n";
  for (const auto& [name, value] : res.headers) out += name + ": " + value + "\r\n";
  out += "Date: " + http_date(now_ms()) + "\r\n";
  if (!res.close) {
    out += keep_alive ? "Connection: keep-alive\r\nKeep-Alive: timeout=72\r\n"
                      : "Connection: close\r\n";
  }
  out += "\r\n";
  if (head.method != "HEAD") out += res.body;
  return io.write_all(out);
}

void bare_response(ConnIo& io, const char* status_line) {
  io.write_all(std::string(status_line) + "\r\nConnection: close\r\n\r\n");
  io.drain();
}

// The answer over the connection cap, in Fastify's shape C; a client that retries 503 after
// Retry-After gets in once a connection closes.
std::string refusal(std::size_t max_connections) {
  const std::string body =
      R"({"statusCode":503,"error":"Service Unavailable","message":"snapstate-devserver serves )" +
      std::to_string(max_connections) +
      R"( connections at once (--max-connections) and all are open: close idle ones or raise the )"
      R"(limit"})";
  return "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\n"
         "retry-after: 1\r\ncontent-length: " +
         std::to_string(body.size()) + "\r\nDate: " + http_date(now_ms()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

// Every TLS connection opens with a handshake record (content type 22); no HTTP request line
// can start with that byte.
bool tls_handshake(const std::string& first_bytes) {
  return !first_bytes.empty() && first_bytes[0] == '\x16';
}

}  // namespace

HttpListener::~HttpListener() {
  stop();
}

void HttpListener::start(const std::string& host, int port, std::size_t max_connections,
                         Handler handler, Notice notice) {
  if (socket_) throw std::runtime_error("server already started");
  waker_.emplace();
  socket_ = net::listen_tcp(host, port);
  port_ = socket_->port();
  max_connections_ = max_connections;
  handler_ = std::move(handler);
  notice_ = std::move(notice);
  stopping_ = false;
  accept_thread_ = std::thread([this] { accept_loop(); });
}

void HttpListener::stop() {
  if (!socket_ || stopping_.exchange(true)) return;
  waker_->wake();
  if (accept_thread_.joinable()) accept_thread_.join();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& c : connections_) {
      if (c->fd) net::shutdown_both(c->fd.get());
    }
  }
  reap(true);
  socket_.reset();
  waker_.reset();
}

void HttpListener::reap(bool all) {
  std::list<std::unique_ptr<Connection>> finished;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      if (all || (*it)->done) {
        finished.push_back(std::move(*it));
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& c : finished) {
    if (c->thread.joinable()) c->thread.join();
  }
}

void HttpListener::accept_loop() {
  while (!stopping_) {
    net::Fd fd = socket_->accept_for(std::chrono::seconds(1), &*waker_);
    reap(false);
    if (fd) admit(std::move(fd));
  }
}

void HttpListener::admit(net::Fd fd) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t serving = 0;
  std::size_t refusing = 0;
  for (const auto& c : connections_) {
    if (!c->done) ++(c->refused ? refusing : serving);
  }
  const bool refused = serving >= max_connections_;
  if (refused && refusing >= kMaxRefusing) return;  // a flood: closed unanswered
  if (refused) {
    notice_("answered 503 to a new connection: " + std::to_string(serving) +
            " are open, the most --max-connections allows");
  }
  auto conn = std::make_unique<Connection>();
  conn->fd = std::move(fd);
  conn->refused = refused;
  Connection& ref = *conn;
  connections_.push_back(std::move(conn));
  ref.thread = std::thread([this, &ref] { ref.refused ? refuse(ref) : serve(ref); });
}

void HttpListener::refuse(Connection& conn) {
  ConnIo io(conn.fd.get());
  if (io.write_all(refusal(max_connections_))) net::drain(conn.fd.get(), kRefusalDrain);
  finish(conn);
}

void HttpListener::finish(Connection& conn) {
  std::lock_guard<std::mutex> lock(mutex_);
  conn.fd.reset();
  conn.done = true;
}

void HttpListener::serve(Connection& conn) {
  ConnIo io(conn.fd.get());
  bool keep_alive = true;
  bool first = true;
  while (keep_alive && !stopping_) {
    std::size_t head_end;
    milliseconds wait = io.buf.empty() ? kIdleTimeout : kIoTimeout;
    while ((head_end = io.buf.find("\r\n\r\n")) == std::string::npos) {
      if (io.buf.size() > kMaxHeadBytes) break;
      if (!io.fill(wait)) {
        keep_alive = false;
        break;
      }
      if (first && tls_handshake(io.buf)) {
        notice_(
            "closed a connection that opened with a TLS handshake: this is a plain-HTTP "
            "server, so use an http:// URL, not https://");
        keep_alive = false;
        break;
      }
      wait = kIoTimeout;
    }
    first = false;
    if (!keep_alive) break;
    if (head_end == std::string::npos || head_end > kMaxHeadBytes) {
      bare_response(io, "HTTP/1.1 431 Request Header Fields Too Large");
      break;
    }
    RequestHead head;
    const bool parsed = parse_head(std::string_view(io.buf).substr(0, head_end), head);
    io.buf.erase(0, head_end + 4);
    if (!parsed) {
      bare_response(io, "HTTP/1.1 400 Bad Request");
      break;
    }
    // Body framing: chunked wins over Content-Length; anything else is refused.
    bool chunked = false;
    std::size_t length = 0;
    bool bad = false;
    if (const std::string* te = head.header("transfer-encoding")) {
      chunked = iequals(*te, "chunked");
      bad = !chunked;
    } else if (const std::string* cl = head.header("content-length")) {
      bad = cl->empty() || cl->size() > 15 ||
            cl->find_first_not_of("0123456789") != std::string::npos;
      if (!bad) length = std::stoull(*cl);
    }
    if (bad) {
      bare_response(io, "HTTP/1.1 400 Bad Request");
      break;
    }
    const std::string* connection = head.header("connection");
    keep_alive = head.version == "HTTP/1.1" ? !(connection && iequals(*connection, "close"))
                                            : (connection && iequals(*connection, "keep-alive"));
    // Node answers Expect: 100-continue before the route sees the request.
    if (const std::string* expect = head.header("expect");
        expect && iequals(*expect, "100-continue") && head.version == "HTTP/1.1") {
      if (!io.write_all("HTTP/1.1 100 Continue\r\n\r\n")) break;
    }
    ConnBodyReader body(io, chunked, length);
    Response res;
    try {
      res = handler_(head, body);
    } catch (const std::exception&) {
      res = Response{};
      res.status = 500;
      res.headers = {{"content-length", "0"}};
    }
    // An unread body is skipped so the connection can be reused; if that fails, it closes.
    const bool body_done = !res.close && body.finish();
    if (!body_done) keep_alive = false;
    if (!write_response(io, head, res, keep_alive)) break;
    if (!body_done) io.drain();
  }
  finish(conn);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

const std::string* RequestHead::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return &v;
  }
  return nullptr;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

}  // namespace snapstate::devserver
