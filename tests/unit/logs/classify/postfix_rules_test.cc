#include "mailpath/logs/classify/postfix_rules.h"

#include <gtest/gtest.h>

#include <string>

#include "mailpath/logs/classify/postfix_event.h"

namespace mailpath::logs::classify {
namespace {

// Every row's example classifies to that row's kind, and no earlier row (nor
// a per-daemon classifier) takes it first.
TEST(PostfixWarningRules, every_example_lands_on_its_own_row) {
  const auto rules = PostfixWarningRules();
  ASSERT_GT(rules.size(), 20u);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const PostfixWarningRule& r = rules[i];
    SCOPED_TRACE(std::string(r.example));
    EXPECT_FALSE(r.source.empty());
    std::string_view m = r.example;
    ASSERT_TRUE(m.starts_with("warning: "));
    m.remove_prefix(9);
    PostfixEvent probe;
    EXPECT_EQ(static_cast<int>(i), MatchPostfixWarning(r.daemon, m, probe)) << "shadowed";
    const PostfixEvent ev = ClassifyPostfix(r.daemon, r.example);
    EXPECT_EQ(static_cast<int>(r.kind), static_cast<int>(ev.kind)) << "a per-daemon classifier took it";
    if (r.kind == PostfixKind::kDependencyFailure) {
      EXPECT_EQ(r.dependency, ev.dependency);
    }
  }
}

TEST(PostfixWarningRules, issue16_milter_socket_is_a_milter_not_a_policy_service) {
  const PostfixEvent ev = ClassifyPostfix(
      "smtpd", "warning: connect to Milter service unix:/run/opendkim/opendkim.sock: No such file or directory");
  EXPECT_EQ(PostfixKind::kDependencyFailure, ev.kind);
  EXPECT_EQ("milter", ev.dependency);
  EXPECT_EQ("unix:/run/opendkim/opendkim.sock", ev.server);
  EXPECT_EQ("missing_socket", DependencyCause(ev.reason));
}

TEST(PostfixWarningRules, policy_endpoints_and_postfix_internal_services) {
  PostfixEvent ev = ClassifyPostfix("smtpd", "warning: connect to private/policyd-spf: Connection refused");
  EXPECT_EQ(PostfixKind::kPolicyFailure, ev.kind);
  EXPECT_EQ("private/policyd-spf", ev.server);
  EXPECT_EQ("refused", DependencyCause(ev.reason));
  ev = ClassifyPostfix("smtpd", "warning: connect to private/anvil: No such file or directory");
  EXPECT_EQ(PostfixKind::kDependencyFailure, ev.kind);
  EXPECT_EQ("postfix_internal", ev.dependency);
  ev = ClassifyPostfix("smtpd", "warning: problem talking to server private/tlsmgr: Connection reset by peer");
  EXPECT_EQ("postfix_internal", ev.dependency);
  ev = ClassifyPostfix("smtpd", "warning: connect to mysql server 192.0.2.20: Can't connect to MySQL server");
  EXPECT_EQ("lookup_table", ev.dependency);
}

TEST(PostfixWarningRules, issue16_crash_loop_lines) {
  PostfixEvent ev = ClassifyPostfix("smtpd", "fatal: no SASL authentication mechanisms");
  EXPECT_EQ(PostfixKind::kFatal, ev.kind);
  EXPECT_EQ("sasl_backend", ev.dependency);
  ev = ClassifyPostfix("master", "warning: process /usr/lib/postfix/sbin/smtpd pid 4471 exit status 1");
  EXPECT_EQ(PostfixKind::kMasterProcessExit, ev.kind);
  EXPECT_EQ("smtpd", ev.program);
  EXPECT_EQ("exit_status", ev.reason);
  ev = ClassifyPostfix("master", "warning: /usr/lib/postfix/sbin/smtpd: bad command startup -- throttling");
  EXPECT_EQ(PostfixKind::kMasterThrottle, ev.kind);
  EXPECT_EQ("smtpd", ev.program);
  ev = ClassifyPostfix("master", "warning: service \"smtp\" (25) has reached its process limit \"100\": new clients "
                                 "may experience noticeable delays");
  EXPECT_EQ(PostfixKind::kMasterProcessLimit, ev.kind);
  EXPECT_EQ("smtp", ev.service);
  ev = ClassifyPostfix("spawn", "warning: command /usr/bin/policyd exit status 1");
  EXPECT_NE(PostfixKind::kMasterProcessExit, ev.kind) << "master rows are for the master only";
}

TEST(PostfixWarningRules, milter_reject_is_a_reject) {
  const PostfixEvent ev = ClassifyPostfix(
      "smtpd", "NOQUEUE: milter-reject: RCPT from unknown[203.0.113.9]: 451 4.7.1 Service unavailable - try again "
               "later; from=<alice@example.org> to=<bob@example.com> proto=ESMTP helo=<client.example.org>");
  EXPECT_EQ(PostfixKind::kReject, ev.kind);
  EXPECT_EQ("milter-reject", ev.reason);
  EXPECT_EQ("451", ev.code);
  EXPECT_EQ("milter_unavailable", RejectReasonClass(ev.code, ev.dsn, ev.text));
}

}  // namespace
}  // namespace mailpath::logs::classify

namespace mailpath::logs::classify {
namespace {

TEST(RejectRules, every_example_lands_on_its_own_row) {
  const auto rules = RejectRules();
  ASSERT_GT(rules.size(), 20u);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    SCOPED_TRACE(std::string(rules[i].example));
    EXPECT_FALSE(rules[i].source.empty());
    EXPECT_EQ(static_cast<int>(i), MatchRejectRule(rules[i].example_dsn, rules[i].example)) << "shadowed";
    EXPECT_EQ(rules[i].reason, RejectReasonClass("550", rules[i].example_dsn, rules[i].example));
  }
  EXPECT_EQ("other", RejectReasonClass("550", "5.0.0", "something else"));
}

}  // namespace
}  // namespace mailpath::logs::classify
