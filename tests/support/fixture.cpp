#include "fixture.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#ifndef SNAPSTATE_FIXTURE_DIR
#error "SNAPSTATE_FIXTURE_DIR must be defined by the build"
#endif

namespace snapstate::testing {

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Fixture load_fixture(const std::string& name) {
  std::ifstream in(std::string(SNAPSTATE_FIXTURE_DIR) + "/" + name + ".txt");
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(trim(line));

  Fixture f;
  std::size_t i = 0;
  const auto seek = [&](const std::string& prefix) {
    while (i < lines.size() && lines[i].rfind(prefix, 0) != 0) ++i;
    if (i == lines.size()) throw std::runtime_error(name + ": no '" + prefix + "' section");
    ++i;
  };
  seek("### REQUEST");
  f.request_line = lines.at(i);
  while (i < lines.size() && !lines[i].empty()) ++i;  // request headers
  ++i;
  if (i < lines.size() && lines[i].rfind("<", 0) != 0 && lines[i].rfind("###", 0) != 0) {
    f.request_body = lines[i];
  }
  seek("### RESPONSE");
  // Skip interim responses: the last status line before the body is the final one.
  for (;;) {
    const std::string& status_line = lines.at(i);
    f.status = std::stoi(status_line.substr(status_line.find(' ') + 1, 3));
    ++i;
    f.response_headers.clear();
    while (i < lines.size() && !lines[i].empty()) {
      const auto colon = lines[i].find(':');
      std::string header_name = lines[i].substr(0, colon);
      std::transform(header_name.begin(), header_name.end(), header_name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string value = lines[i].substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      f.response_headers.emplace_back(header_name, value);
      ++i;
    }
    ++i;
    if (f.status != 100) break;
  }
  std::string body;
  for (; i < lines.size(); ++i) {
    if (!body.empty()) body += "\n";
    body += lines[i];
  }
  f.response_body = trim(body);
  while (!f.response_body.empty() && f.response_body.back() == '\n') f.response_body.pop_back();
  return f;
}

std::string fixture_text(const std::string& name) {
  std::ifstream in(std::string(SNAPSTATE_FIXTURE_DIR) + "/" + name + ".txt", std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ScriptedResponse fixture_response(const std::string& name) {
  const Fixture f = load_fixture(name);
  ScriptedResponse response;
  response.status = f.status;
  response.body = f.response_body;
  for (const auto& [header_name, value] : f.response_headers) {
    if (header_name == "content-type") {
      response.content_type = value;
    } else if (header_name == "x-request-id" || header_name == "retry-after") {
      response.headers.emplace_back(header_name, value);
    }
  }
  return response;
}

}  // namespace snapstate::testing
