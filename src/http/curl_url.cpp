#include "curl_url.hpp"

#include "curl_easy.hpp"

namespace snapstate::detail {

void RequestUrl::parse_base(std::string_view base) {
  base_.assign(base);
  have_base_ = true;
  base_path_.clear();
  parsed_.reset(curl_url());
  if (!parsed_) return;
  // The flags libcurl parses a CURLOPT_URL string with (the scheme is always given here).
  const unsigned flags = CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS;
  char* path = nullptr;
  if (curl_url_set(parsed_.get(), CURLUPART_URL, base_.c_str(), flags) != CURLUE_OK ||
      curl_url_get(parsed_.get(), CURLUPART_PATH, &path, 0) != CURLUE_OK) {
    parsed_.reset();
    return;
  }
  if (std::string_view(path) != "/") base_path_ = path;
  curl_free(path);
  if (base_path_.find('%') != std::string::npos) parsed_.reset();
}

bool RequestUrl::set_target(std::string_view target) {
  const auto question = target.find('?');
  path_.assign(base_path_).append(target.substr(0, question));
  if (curl_url_set(parsed_.get(), CURLUPART_PATH, path_.c_str(), 0) != CURLUE_OK) return false;
  if (question == std::string_view::npos) {
    return curl_url_set(parsed_.get(), CURLUPART_QUERY, nullptr, 0) == CURLUE_OK;
  }
  query_.assign(target.substr(question + 1));
  return curl_url_set(parsed_.get(), CURLUPART_QUERY, query_.c_str(), 0) == CURLUE_OK;
}

void RequestUrl::apply(CURL* easy, const HttpRequest& request) {
  // Both options stay set between transfers: the URL the last request went to needs neither.
  if (have_applied_ && request.url == applied_) return;
  const std::string_view url(request.url);
  const std::string_view base = url.substr(0, request.target_begin);
  if (!have_base_ || base != base_) parse_base(base);
  const std::string_view target = url.substr(request.target_begin);
  const bool parsed = parsed_ && target.find('%') == std::string_view::npos && set_target(target);
  // The string is the URL when the parsed one is not used, and libcurl's text of it when it
  // is (7.x keeps it as given, 8.x writes it anew from the parsed one).
  have_applied_ = false;  // until both options are set
  set_option(easy, CURLOPT_URL, request.url.c_str(), "URL");
  set_option(easy, CURLOPT_CURLU, parsed ? parsed_.get() : nullptr, "CURLU");
  applied_.assign(request.url);
  have_applied_ = true;
}

}  // namespace snapstate::detail
