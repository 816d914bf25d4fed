#include "mailpath/http/router.h"

#include <gtest/gtest.h>

#include <cmath>

#include "mailpath/http/server.h"

namespace mailpath::http {
namespace {

Router MakeRouter(bool ready = true) {
  RouterConfig c;
  c.telemetry_path = "/metrics";
  c.version = "1.2.3";
  c.collectors = {"showq", "tcp<script>"};
  c.scrape = [](const Deadline&) { return std::string("m 1\n"); };
  c.ready = [ready] { return ready; };
  return Router(c);
}

std::string Header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST(Router, metrics_served_as_text_0_0_4) {
  const Response r = MakeRouter().Handle({"GET", "/metrics", ""});
  EXPECT_EQ(200, r.status);
  EXPECT_EQ("text/plain; version=0.0.4; charset=utf-8", Header(r, "Content-Type"));
  EXPECT_EQ("m 1\n", r.body);
  EXPECT_EQ("", Header(r, "Content-Encoding"));
}

TEST(Router, metrics_gzipped_when_accepted) {
  const Response r = MakeRouter().Handle({"GET", "/metrics", "gzip"});
  EXPECT_EQ("gzip", Header(r, "Content-Encoding"));
  EXPECT_NE("m 1\n", r.body);
}

TEST(Router, head_keeps_body_for_length_but_marks_it_omitted) {
  const Response r = MakeRouter().Handle({"HEAD", "/metrics", ""});
  EXPECT_EQ(200, r.status);
  EXPECT_TRUE(r.omit_body);
  EXPECT_EQ("m 1\n", r.body);
}

TEST(Router, other_methods_are_405_with_allow) {
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS"}) {
    SCOPED_TRACE(method);
    const Response r = MakeRouter().Handle({method, "/metrics", ""});
    EXPECT_EQ(405, r.status);
    EXPECT_EQ("GET, HEAD", Header(r, "Allow"));
  }
}

TEST(Router, landing_page_escapes_names) {
  const Response r = MakeRouter().Handle({"GET", "/", ""});
  EXPECT_EQ(200, r.status);
  EXPECT_NE(std::string::npos, r.body.find("<a href=\"/metrics\">"));
  EXPECT_NE(std::string::npos, r.body.find("<li>tcp&lt;script&gt;</li>"));
  EXPECT_NE(std::string::npos, r.body.find("1.2.3"));
}

TEST(Router, health_ready_and_not_found) {
  EXPECT_EQ(200, MakeRouter().Handle({"GET", "/-/healthy", ""}).status);
  EXPECT_EQ(200, MakeRouter().Handle({"GET", "/-/ready", ""}).status);
  EXPECT_EQ(503, MakeRouter(false).Handle({"GET", "/-/ready", ""}).status);
  EXPECT_EQ(404, MakeRouter().Handle({"GET", "/metricsx", ""}).status);
}

TEST(ToCivetListenSpec, translates_exporter_toolkit_addresses) {
  struct Case {
    const char* in;
    const char* want;
  };
  for (const Case& c : {Case{"127.0.0.1:10154", "127.0.0.1:10154"}, Case{"[::1]:9", "[::1]:9"}}) {
    const auto spec = ToCivetListenSpec(c.in);
    ASSERT_TRUE(spec) << spec.message();
    EXPECT_EQ(c.want, *spec);
  }
  const auto spec = ToCivetListenSpec(":10154");
  ASSERT_TRUE(spec) << spec.message();
  EXPECT_TRUE(*spec == "10154" || *spec == "+10154") << *spec;
}

TEST(ToCivetListenSpec, rejects_malformed_addresses) {
  for (const char* bad : {"localhost", ":http", ":70000", "::1:9", "[::1:9", ":"}) {
    SCOPED_TRACE(bad);
    const auto spec = ToCivetListenSpec(bad);
    ASSERT_FALSE(spec);
    EXPECT_NE("", spec.message());
  }
}

}  // namespace
}  // namespace mailpath::http

namespace mailpath::http {
namespace {

TEST(ScrapeDeadline, is_the_scrape_timeout_less_half_a_second_with_ten_seconds_by_default) {
  const auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  struct Case {
    const char* name;
    double header;
    double want_seconds;
  };
  const Case cases[] = {
      {"prometheus default", 10, 9.5},
      {"absent", 0, 9.5},
      {"short", 3, 2.5},
      {"shorter than twice the offset", 0.6, 0.3},
      {"negative", -4, 9.5},
      {"absurdly long", 1e9, 9.5},
      {"not a number", std::nan(""), 9.5},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::chrono::duration<double> got = ScrapeDeadline(c.header, now) - now;
    EXPECT_NEAR(c.want_seconds, got.count(), 1e-6);
  }
}

}  // namespace
}  // namespace mailpath::http
