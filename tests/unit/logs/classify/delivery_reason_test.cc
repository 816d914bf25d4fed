#include "mailpath/logs/classify/delivery_reason.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "mailpath/showq/reason_class.h"

namespace mailpath::logs::classify {
namespace {

// Every row's example lands on that row: no earlier row shadows it, and the
// row's own literal is really in its example.
TEST(DeliveryReasonRules, every_example_lands_on_its_own_row) {
  const auto rules = DeliveryReasonRules();
  ASSERT_GT(rules.size(), 90u);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const ReasonRule& r = rules[i];
    SCOPED_TRACE(std::string(r.literal) + " | " + std::string(r.example));
    EXPECT_FALSE(r.source.empty());
    const ReasonMatch m = MatchDeliveryReason("", r.example);
    EXPECT_EQ(static_cast<int>(i), m.rule) << "shadowed by row " << m.rule << " ("
                                           << (m.rule >= 0 ? rules[m.rule].literal : "code") << ")";
    EXPECT_EQ(DeliveryReasonName(r.reason), DeliveryReasonName(m.reason));
  }
}

// Every code row's dsn, in a remote reply no wording row matches, lands on
// that row's reason (an earlier row would have given another).
TEST(DeliveryReasonRules, every_code_example_lands_on_its_own_row) {
  for (const ReasonCodeRule& r : DeliveryReasonCodeRules()) {
    SCOPED_TRACE(std::string(r.example) + " " + std::string(r.source));
    EXPECT_FALSE(r.source.empty());
    const ReasonMatch m =
        MatchDeliveryReason(r.example, "host mx.example.com[198.51.100.9] said: 450 go away");
    EXPECT_EQ(-1, m.rule);
    EXPECT_EQ(DeliveryReasonName(r.reason), DeliveryReasonName(m.reason));
  }
  EXPECT_EQ("other",
            DeliveryReasonName(ClassifyDeliveryReason("4.7.1", "connect to x: nothing known")))
      << "X.7.x is policy only in a remote reply";
}

TEST(DeliveryReasonRules, reply_literals_are_lower_case) {
  for (const ReasonRule& r : DeliveryReasonRules()) {
    if (r.scope != ReasonScope::kReply) continue;
    for (char c : r.literal) EXPECT_FALSE(c >= 'A' && c <= 'Z') << r.literal;
  }
}

TEST(DeliveryReason, names_are_distinct_label_values) {
  std::set<std::string_view> names;
  for (const auto r : AllDeliveryReasons()) names.insert(DeliveryReasonName(r));
  EXPECT_EQ(kDeliveryReasonCount, names.size());
  EXPECT_EQ("other", DeliveryReasonName(DeliveryReason::kOther));
  EXPECT_EQ("none", DeliveryReasonName(DeliveryReason::kNone));
}

struct Case {
  const char* name;
  const char* dsn;
  const char* text;
  const char* want;
};

// Issue 16's handed lines and the lines Postfix 3.7 wrote on loopback.
TEST(DeliveryReason, handed_and_observed_texts) {
  const Case cases[] = {
      {"issue 16 greylisting is not throttling", "4.7.1",
       "host mx.example.net[198.51.100.7] said: 450 4.7.1 <alice@example.net>: Recipient address "
       "rejected: "
       "Greylisted, see http://greylist.example.org/help (in reply to RCPT TO command)",
       "greylisted"},
      {"issue 16 rDNS is not throttling", "4.7.1",
       "host mx.example.com[198.51.100.9] said: 450 4.7.1 Client host rejected: cannot find your "
       "hostname, "
       "[203.0.113.9] (in reply to RCPT TO command)",
       "reverse_dns"},
      {"yahoo TSS04", "4.7.0",
       "host x[1.2.3.4] refused to talk to me: 421 4.7.0 [TSS04] Messages temporarily deferred due "
       "to unexpected "
       "volume or user complaints",
       "rate_limited"},
      {"gmail 4.7.28", "4.7.28",
       "host x said: 421 4.7.28 unusual rate (in reply to end of DATA command)", "rate_limited"},
      {"4.7.28 by code alone", "4.7.28",
       "host x said: 421 4.7.28 go away (in reply to end of DATA command)", "rate_limited"},
      {"unknown 4.7.x is policy, not throttling", "4.7.1",
       "host x said: 450 4.7.1 Come back tomorrow", "policy"},
      {"plain 421", "4.0.0", "host x said: 421 Service not available, closing channel", "other"},
      {"connect timeout", "4.4.1", "connect to 127.0.0.1[127.0.0.1]:10040: Connection timed out",
       "connect_timeout"},
      {"refused", "4.4.1", "connect to 127.0.0.1[127.0.0.1]:2: Connection refused",
       "connect_refused"},
      {"no route", "4.4.1", "connect to x[1.2.3.4]:25: No route to host", "no_route"},
      {"body timeout", "4.4.2", "conversation with x[1.2.3.4] timed out while sending message body",
       "body_timeout"},
      {"lost during EHLO", "4.4.2",
       "lost connection with x[1.2.3.4] while performing the EHLO handshake", "connection_lost"},
      {"tls required", "4.7.4", "TLS is required, but was not offered by host 127.0.0.1[127.0.0.1]",
       "tls_required"},
      {"dns", "4.4.3",
       "Host or domain name not found. Name service error for name=x type=MX: Host not found, try "
       "again",
       "dns"},
      {"nxdomain bounce", "5.4.4",
       "unable to look up host nxdomain.invalid: Name or service not known", "dns"},
      {"mailbox full", "4.2.2", "host x said: 452 4.2.2 Mailbox full", "mailbox_full"},
      {"dovecot lmtp quota", "5.2.2",
       "host mail.example.com[private/dovecot-lmtp] said: 552 5.2.2 <alice@example.com> Quota "
       "exceeded (mailbox "
       "for user is full) (in reply to end of DATA command)",
       "mailbox_full"},
      {"suspended keeps the inner reason", "4.4.1",
       "delivery temporarily suspended: connect to x[1.2.3.4]:25: Connection refused",
       "connect_refused"},
      {"suspended throttling stays rate_limited", "4.7.0",
       "delivery temporarily suspended: host x[1.2.3.4] refused to talk to me: 421 4.7.0 Too many "
       "connections",
       "rate_limited"},
      {"suspended with nothing more", "4.3.0",
       "delivery temporarily suspended: unknown mail transport error", "suspended"},
      {"bounce unknown user", "5.1.1",
       "host x said: 550 5.1.1 <u@bounce.test>: Recipient address rejected: User unknown (lab) (in "
       "reply to RCPT "
       "TO command)",
       "unknown_user"},
      {"user unknown by code alone", "5.1.1", "host x said: 550 5.1.1 nope", "unknown_user"},
      {"local disk quota", "5.2.2",
       "cannot update mailbox /var/mail/alice for user alice. error writing message: Disk quota "
       "exceeded",
       "mailbox_full"},
      {"something else", "4.0.0", "something else", "other"},
      {"empty", "", "", "none"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(c.want, DeliveryReasonName(ClassifyDeliveryReason(c.dsn, c.text)));
  }
}

TEST(DeliveryReason, showq_and_the_log_classifier_agree) {
  // One module: a showq reason (no dsn) and a log line's text (with dsn) give one class.
  for (const ReasonRule& r : DeliveryReasonRules()) {
    EXPECT_EQ(ClassifyDeliveryReason("", r.example), showq::ClassifyReason(r.example)) << r.example;
  }
}

TEST(DsnClass, bounded_class_and_subject) {
  EXPECT_EQ("5.1", DsnClass("5.1.1"));
  EXPECT_EQ("4.7", DsnClass("4.7.28"));
  EXPECT_EQ("2.0", DsnClass("2.0.0"));
  EXPECT_EQ("unknown", DsnClass("5.9.1"));
  EXPECT_EQ("unknown", DsnClass("3.1.1"));
  EXPECT_EQ("unknown", DsnClass(""));
  EXPECT_EQ("unknown", DsnClass("5.x.1"));
}

}  // namespace
}  // namespace mailpath::logs::classify
