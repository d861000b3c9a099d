// URL handling and route matching as Fastify 4 (find-my-way) does it: the path is cut at the
// first '?', ';' or '#', bad %-escapes make the whole URL invalid (shape E), params are
// percent-decoded, HEAD is served by the GET routes, and an unknown method is a plain 404.
#pragma once

#include <optional>
#include <string>

namespace snapstate::devserver {

enum class RouteId {
  Health,
  Ready,
  CreateCheckpoint,
  GetCheckpoint,
  Resume,
  Replay,
  CreateAgent,
  ListAgents,
  GetAgent,
  PatchAgent,
  DeleteAgent,
  CreateWebhook,
  DeleteWebhook,
};

struct ParsedUrl {
  bool bad = false;   ///< decodeURI would throw: answer shape E
  std::string path;   ///< decoded except for escapes of reserved characters (%2F stays)
  std::string query;  ///< raw text after the first '?', ';' or '#'
};

ParsedUrl parse_url(const std::string& target);

struct RouteMatch {
  RouteId id;
  std::string param;  ///< the decoded :checkpoint_id / :workflow_id / :agent_id / :webhook_id
};

std::optional<RouteMatch> match_route(const std::string& method, const std::string& path);

/// decodeURIComponent over text whose escapes are known to be valid.
std::string percent_decode(const std::string& s, bool plus_as_space = false);

}  // namespace snapstate::devserver
