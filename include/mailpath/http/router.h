#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailpath::http {

struct Request {
  std::string method;           // "GET", "HEAD", ...
  std::string path;             // without the query string
  std::string accept_encoding;  // the Accept-Encoding header, or empty
  /// X-Prometheus-Scrape-Timeout-Seconds, or 0 when absent or malformed.
  double scrape_timeout_seconds = 0;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// HEAD: headers (with the GET body's Content-Length) but no body.
  bool omit_body = false;
};

/// What the router needs from the rest of the exporter.
struct RouterConfig {
  std::string telemetry_path = "/metrics";
  std::string version;
  std::vector<std::string> collectors;  // enabled, for the landing page
  std::function<std::string()> scrape;  // text exposition of one scrape
  std::function<bool()> ready;          // /-/ready answers 200 only when true
};

/// Maps a request to a response without any socket: `/` (landing page), the
/// telemetry path, `/-/healthy`, `/-/ready`; 405 for methods other than GET
/// and HEAD, 404 for other paths. gzip is applied to the metrics body when the
/// client accepts it.
class Router {
 public:
  explicit Router(RouterConfig config);
  [[nodiscard]] Response Handle(const Request& request) const;

 private:
  [[nodiscard]] Response Landing() const;
  [[nodiscard]] Response Metrics(const Request& request) const;
  RouterConfig config_;
};

}  // namespace mailpath::http
