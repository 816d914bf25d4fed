#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mailpath/common/deadline.h"

namespace mailpath::http {

/// Prometheus's default scrape timeout, used when a scrape does not say.
constexpr double kDefaultScrapeTimeoutSeconds = 10;
/// Left between our deadline and the scraper's, for the answer to travel
/// (blackbox_exporter's default --timeout-offset).
constexpr double kScrapeTimeoutOffsetSeconds = 0.5;

/// The deadline of a scrape received at `now` whose
/// X-Prometheus-Scrape-Timeout-Seconds is `timeout_seconds` (0 or less when
/// absent): the timeout (else 10 s) less the offset, and never less than half
/// the timeout. Pure.
[[nodiscard]] std::chrono::steady_clock::time_point ScrapeDeadline(
    double timeout_seconds, std::chrono::steady_clock::time_point now);

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
  /// Text exposition of one scrape that must be ready by the deadline.
  std::function<std::string(const Deadline&)> scrape;
  std::function<bool()> ready;  // /-/ready answers 200 only when true
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
