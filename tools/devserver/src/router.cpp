#include "router.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace snapstate::devserver {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int escape_at(const std::string& s, std::size_t i) {  // byte value of "%XX" at i, or -1
  if (i + 2 >= s.size() || s[i] != '%') return -1;
  int h = hex(s[i + 1]);
  int l = hex(s[i + 2]);
  return (h < 0 || l < 0) ? -1 : h * 16 + l;
}

// find-my-way keeps these encoded in the path so they cannot split or end a segment;
// '%' itself (%25) is kept too and only decoded with the parameter.
bool reserved(int byte) {
  switch (byte) {
    case '#':
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '?':
    case '@':
    case '%': return true;
    default: return false;
  }
}

// decodeURI: decodes escapes except reserved ones; nullopt where it would throw URIError.
std::optional<std::string> decode_uri(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '%') {
      out += s[i++];
      continue;
    }
    int b = escape_at(s, i);
    if (b < 0) return std::nullopt;
    if (b < 0x80) {
      if (reserved(b)) {
        out.append(s, i, 3);
      } else {
        out += static_cast<char>(b);
      }
      i += 3;
      continue;
    }
    // A UTF-8 sequence spelled as escapes: it must be complete and well-formed.
    std::size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
    if (n == 0 || b > 0xF4) return std::nullopt;
    std::uint32_t cp = static_cast<std::uint32_t>(b) & (n == 2 ? 0x1FU : n == 3 ? 0x0FU : 0x07U);
    std::string bytes(1, static_cast<char>(b));
    for (std::size_t k = 1; k < n; ++k) {
      int c = escape_at(s, i + 3 * k);
      if (c < 0 || (c & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (static_cast<std::uint32_t>(c) & 0x3FU);
      bytes += static_cast<char>(c);
    }
    const std::uint32_t min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out += bytes;
    i += 3 * n;
  }
  return out;
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // path starts with '/'
  while (true) {
    std::size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

}  // namespace

std::string percent_decode(const std::string& s, bool plus_as_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    int b = s[i] == '%' ? escape_at(s, i) : -1;
    if (b >= 0) {
      out += static_cast<char>(b);
      i += 2;
    } else if (plus_as_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

ParsedUrl parse_url(const std::string& target) {
  ParsedUrl url;
  bool must_decode = false;
  std::size_t cut = target.size();
  for (std::size_t i = 1; i < target.size(); ++i) {
    char c = target[i];
    if (c == '%') {
      int b = escape_at(target, i);
      if (b < 0 || !reserved(b)) must_decode = true;
      if (b >= 0) i += 2;
    } else if (c == '?' || c == ';' || c == '#') {
      cut = i;
      url.query = target.substr(i + 1);
      break;
    }
  }
  url.path = target.substr(0, cut);
  if (must_decode) {
    auto decoded = decode_uri(url.path);
    if (!decoded) {
      url.bad = true;
    } else {
      url.path = std::move(*decoded);
    }
  }
  return url;
}

std::optional<RouteMatch> match_route(const std::string& method_in, const std::string& path) {
  if (path.empty() || path[0] != '/') return std::nullopt;
  const std::string method = method_in == "HEAD" ? "GET" : method_in;
  const auto seg = segments(path);
  const std::size_t n = seg.size();
  auto param = [&](std::size_t i) { return percent_decode(std::string(seg[i])); };
  auto route = [](RouteId id, std::string p = {}) { return RouteMatch{id, std::move(p)}; };

  if (n == 1 && method == "GET") {
    if (seg[0] == "health") return route(RouteId::Health);
    if (seg[0] == "ready") return route(RouteId::Ready);
  }
  // A prefixed plugin's "/" route answers both "/prefix" and "/prefix/".
  const bool collection = n == 1 || (n == 2 && seg[1].empty());
  if (seg[0] == "checkpoints") {
    if (collection && method == "POST") return route(RouteId::CreateCheckpoint);
    if (n == 2 && method == "GET") return route(RouteId::GetCheckpoint, param(1));
  }
  if (seg[0] == "workflows" && n == 3 && method == "GET") {
    if (seg[2] == "resume") return route(RouteId::Resume, param(1));
    if (seg[2] == "replay") return route(RouteId::Replay, param(1));
  }
  if (seg[0] == "agents") {
    if (collection && method == "POST") return route(RouteId::CreateAgent);
    if (collection && method == "GET") return route(RouteId::ListAgents);
    if (n == 2) {
      if (method == "GET") return route(RouteId::GetAgent, param(1));
      if (method == "PATCH") return route(RouteId::PatchAgent, param(1));
      if (method == "DELETE") return route(RouteId::DeleteAgent, param(1));
    }
  }
  if (seg[0] == "webhooks") {
    if (collection && method == "POST") return route(RouteId::CreateWebhook);
    if (n == 2 && method == "DELETE") return route(RouteId::DeleteWebhook, param(1));
  }
  return std::nullopt;
}

}  // namespace snapstate::devserver
