#include "mailpath/logs/classify/postfix_rules.h"

#include <gtest/gtest.h>

#include <string>

#include "mailpath/logs/classify/postfix_event.h"

namespace mailpath::logs::classify {
namespace {

// Every row of every Postfix table: its example, given to ClassifyPostfix
// with its daemon, lands on that very row (no earlier row of any table the
// daemon walks shadows it) with the row's kind, value and dependency.
TEST(PostfixRuleTables, every_example_lands_on_its_own_row) {
  std::size_t rows = 0;
  for (const PostfixRuleTable& table : PostfixRuleTables()) {
    ASSERT_FALSE(table.rows.empty()) << table.name;
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
      const PostfixRule& r = table.rows[i];
      SCOPED_TRACE(std::string(table.name) + " row " + std::to_string(i) + ": " +
                   std::string(r.example));
      EXPECT_FALSE(r.source.empty());
      EXPECT_FALSE(r.daemon.empty());
      const PostfixEvent ev = ClassifyPostfix(r.daemon, r.example);
      EXPECT_EQ(&r, ev.rule) << "shadowed by: "
                             << (ev.rule != nullptr ? ev.rule->example : "no row");
      EXPECT_EQ(static_cast<int>(r.kind), static_cast<int>(ev.kind));
      if (r.kind != PostfixKind::kFatal) {
        EXPECT_EQ(r.value, ev.reason);
      }
      if (!r.dependency.empty() && r.kind != PostfixKind::kPolicyFailure) {
        EXPECT_EQ(r.dependency, ev.dependency);
      }
      ++rows;
    }
  }
  EXPECT_GT(rows, 150u);
}

TEST(PostfixRuleTables, cause_tables_examples_land_on_their_own_rows) {
  for (const NamedLiteralTable& table : PostfixCauseTables()) {
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
      const LiteralRow& r = table.rows[i];
      SCOPED_TRACE(std::string(table.name) + ": " + std::string(r.example));
      EXPECT_FALSE(r.source.empty());
      EXPECT_EQ(static_cast<int>(i), FirstRow(table.rows, r.example));
    }
  }
}

TEST(PostfixRuleTables, tables_fit_the_walk_index) {
  for (const PostfixRuleTable& table : PostfixRuleTables()) {
    EXPECT_LE(table.rows.size(), kMaxPostfixRulesPerTable) << table.name << ": split the table";
  }
}

TEST(PostfixRuleTables, label_values_are_bounded_words) {
  for (const PostfixRuleTable& table : PostfixRuleTables()) {
    for (const PostfixRule& r : table.rows) {
      EXPECT_EQ(std::string_view::npos, r.value.find_first_not_of("abcdefghijklmnopqrstuvwxyz_-"))
          << r.value;
    }
  }
}

TEST(PostfixWarningRules, issue16_milter_socket_is_a_milter_not_a_policy_service) {
  const PostfixEvent ev =
      ClassifyPostfix("smtpd",
                      "warning: connect to Milter service unix:/run/opendkim/opendkim.sock: No "
                      "such file or directory");
  EXPECT_EQ(PostfixKind::kDependencyFailure, ev.kind);
  EXPECT_EQ("milter", ev.dependency);
  EXPECT_EQ("unix:/run/opendkim/opendkim.sock", ev.server);
  EXPECT_EQ("missing_socket", ev.dependency_cause);
}

TEST(PostfixWarningRules, policy_endpoints_and_postfix_internal_services) {
  PostfixEvent ev =
      ClassifyPostfix("smtpd", "warning: connect to private/policyd-spf: Connection refused");
  EXPECT_EQ(PostfixKind::kPolicyFailure, ev.kind);
  EXPECT_EQ("private/policyd-spf", ev.server);
  EXPECT_EQ("refused", ev.dependency_cause);
  EXPECT_EQ("policy", ev.dependency);
  ev = ClassifyPostfix("smtpd", "warning: connect to private/anvil: No such file or directory");
  EXPECT_EQ(PostfixKind::kDependencyFailure, ev.kind);
  EXPECT_EQ("postfix_internal", ev.dependency);
  ev = ClassifyPostfix(
      "smtpd", "warning: problem talking to server private/tlsmgr: Connection reset by peer");
  EXPECT_EQ("postfix_internal", ev.dependency);
  ev = ClassifyPostfix(
      "smtpd", "warning: connect to mysql server 192.0.2.20: Can't connect to MySQL server");
  EXPECT_EQ("lookup_table", ev.dependency);
}

TEST(PostfixWarningRules, issue16_crash_loop_lines) {
  PostfixEvent ev = ClassifyPostfix("smtpd", "fatal: no SASL authentication mechanisms");
  EXPECT_EQ(PostfixKind::kFatal, ev.kind);
  EXPECT_EQ("sasl_backend", ev.dependency);
  ev = ClassifyPostfix("master",
                       "warning: process /usr/lib/postfix/sbin/smtpd pid 4471 exit status 1");
  EXPECT_EQ(PostfixKind::kMasterProcessExit, ev.kind);
  EXPECT_EQ("smtpd", ev.program);
  EXPECT_EQ("exit_status", ev.reason);
  ev = ClassifyPostfix("master",
                       "warning: /usr/lib/postfix/sbin/smtpd: bad command startup -- throttling");
  EXPECT_EQ(PostfixKind::kMasterThrottle, ev.kind);
  EXPECT_EQ("smtpd", ev.program);
  ev = ClassifyPostfix(
      "master",
      "warning: service \"smtp\" (25) has reached its process limit \"100\": new clients "
      "may experience noticeable delays");
  EXPECT_EQ(PostfixKind::kMasterProcessLimit, ev.kind);
  EXPECT_EQ("smtp", ev.service);
  ev = ClassifyPostfix("spawn", "warning: command /usr/bin/policyd exit status 1");
  EXPECT_NE(PostfixKind::kMasterProcessExit, ev.kind) << "master rows are for the master only";
}

TEST(PostfixWarningRules, milter_reject_is_a_reject) {
  const PostfixEvent ev = ClassifyPostfix(
      "smtpd",
      "NOQUEUE: milter-reject: RCPT from unknown[203.0.113.9]: 451 4.7.1 Service unavailable - try "
      "again "
      "later; from=<alice@example.org> to=<bob@example.com> proto=ESMTP helo=<client.example.org>");
  EXPECT_EQ(PostfixKind::kReject, ev.kind);
  EXPECT_EQ("milter-reject", ev.reason);
  EXPECT_EQ("451", ev.code);
  EXPECT_EQ("milter_unavailable", ev.cause);
  EXPECT_EQ("milter", ev.dependency);
  EXPECT_EQ("tempfail", ev.dependency_cause);
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
    EXPECT_EQ(static_cast<int>(i), MatchRejectRule(rules[i].example_dsn, rules[i].example))
        << "shadowed";
    EXPECT_EQ(rules[i].reason, RejectReasonClass("550", rules[i].example_dsn, rules[i].example));
  }
  EXPECT_EQ("other", RejectReasonClass("550", "5.0.0", "something else"));
}

}  // namespace
}  // namespace mailpath::logs::classify
