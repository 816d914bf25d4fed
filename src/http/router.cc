#include "mailpath/http/router.h"

#include <algorithm>

#include "mailpath/http/gzip.h"
#include "mailpath/metrics/exposition.h"

namespace mailpath::http {
namespace {

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Response Text(int status, std::string body) {
  Response r;
  r.status = status;
  r.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
  r.body = std::move(body);
  return r;
}

}  // namespace

std::chrono::steady_clock::time_point ScrapeDeadline(double timeout_seconds,
                                                     std::chrono::steady_clock::time_point now) {
  // A header of days or NaN is not a deadline anyone waits for.
  if (!(timeout_seconds > 0) || timeout_seconds > 3600)
    timeout_seconds = kDefaultScrapeTimeoutSeconds;
  const double budget =
      std::max(timeout_seconds - kScrapeTimeoutOffsetSeconds, timeout_seconds / 2);
  return now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(budget));
}

Router::Router(RouterConfig config) : config_(std::move(config)) {}

Response Router::Handle(const Request& request) const {
  const bool head = request.method == "HEAD";
  Response r;
  if (request.method != "GET" && !head) {
    r = Text(405, "Method Not Allowed\n");
    r.headers.push_back({"Allow", "GET, HEAD"});
    return r;
  }
  if (request.path == config_.telemetry_path) {
    r = Metrics(request);
  } else if (request.path == "/") {
    r = Landing();
  } else if (request.path == "/-/healthy") {
    r = Text(200, "Healthy\n");
  } else if (request.path == "/-/ready") {
    r = (!config_.ready || config_.ready()) ? Text(200, "Ready\n") : Text(503, "Not ready\n");
  } else {
    r = Text(404, "Not Found\n");
  }
  r.omit_body = head;
  return r;
}

Response Router::Landing() const {
  std::string body =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
      "<title>mailpath_exporter</title></head><body>\n"
      "<h1>mailpath_exporter</h1>\n<p>Postfix, Dovecot and TCP path health "
      "for Prometheus. Version " +
      HtmlEscape(config_.version) +
      ".</p>\n"
      "<p><a href=\"" +
      HtmlEscape(config_.telemetry_path) +
      "\">Metrics</a></p>\n"
      "<h2>Enabled collectors</h2>\n<ul>\n";
  for (const auto& name : config_.collectors) body += "<li>" + HtmlEscape(name) + "</li>\n";
  body += "</ul>\n</body></html>\n";
  Response r;
  r.headers = {{"Content-Type", "text/html; charset=utf-8"}};
  r.body = std::move(body);
  return r;
}

Response Router::Metrics(const Request& request) const {
  Response r;
  r.headers = {{"Content-Type", std::string(metrics::kTextContentType)},
               {"Vary", "Accept-Encoding"}};
  Deadline deadline;
  deadline.at = ScrapeDeadline(request.scrape_timeout_seconds, std::chrono::steady_clock::now());
  r.body = config_.scrape(deadline);
  if (AcceptsGzip(request.accept_encoding)) {
    r.body = Gzip(r.body);
    r.headers.push_back({"Content-Encoding", "gzip"});
  }
  return r;
}

}  // namespace mailpath::http
