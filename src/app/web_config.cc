#include "mailpath/app/web_config.h"

namespace mailpath::app {

std::string ParseWebConfig(std::string_view text, const std::string& filename, WebConfig& out) {
  out = WebConfig{};
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    if (line.empty() || line == "---") continue;
    if (line.front() == ' ' || line.front() == '\t' || line.front() == '-') continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return filename + ":" + std::to_string(line_no) + ": expected 'key:'";
    }
    const std::string_view key = line.substr(0, colon);
    if (key == "tls_server_config") out.has_tls_server_config = true;
    else if (key == "basic_auth_users") out.has_basic_auth_users = true;
    else if (key == "http_server_config") out.has_http_server_config = true;
    else if (key == "rate_limit") out.has_rate_limit = true;
    else {
      return filename + ":" + std::to_string(line_no) + ": field " + std::string(key) +
             " not found in type web.Config";
    }
  }
  return "";
}

}  // namespace mailpath::app
