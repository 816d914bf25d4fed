#include "mailpath/showq/reason_class.h"

#include <gtest/gtest.h>

#include <set>

namespace mailpath::showq {
namespace {

struct Case {
  std::string name;
  std::string reason;
  std::string dsn;
  ReasonClass expected;
};

// Reason texts as Postfix 3.7 wrote them on loopback
// (/work/shared/notes/postfix-dovecot-observed.md §3.4) plus common
// provider wordings.
TEST(ClassifyReason, maps_postfix_defer_reasons_to_classes) {
  const std::vector<Case> cases = {
      {"empty", "", "", ReasonClass::kNone},
      {"remote 450 4.7.1 rate",
       "host 127.0.0.1[127.0.0.1] said: 450 4.7.1 <u@throttle-rcpt.test>: Recipient address "
       "rejected: too many messages, slow down (lab) (in reply to RCPT TO command)",
       "", ReasonClass::kRateLimited},
      {"remote 421 at greeting",
       "host 127.0.0.1[127.0.0.1] refused to talk to me: 421 4.7.0 [TSS04] Messages from "
       "127.0.0.1 temporarily deferred due to unexpected volume or user complaints (lab)",
       "", ReasonClass::kRateLimited},
      {"remote 421 4.7.28 after DATA",
       "host 127.0.0.1[127.0.0.1] said: 421 4.7.28 Our system has detected an unusual rate of "
       "unsolicited mail originating from your IP address (lab) (in reply to end of DATA "
       "command)",
       "", ReasonClass::kRateLimited},
      {"plain 421 without enhanced code",
       "host mx.example[192.0.2.1] said: 421 Service not available, closing channel", "",
       ReasonClass::kOther},
      {"greylisting",
       "host mx.example[192.0.2.1] said: 450 4.7.1 <u@example.org>: Recipient address "
       "rejected: Greylisted, see http://postgrey.schweikert.ch/ (in reply to RCPT TO command)",
       "", ReasonClass::kGreylisted},
      {"greylisting saying try again later",
       "host mx.example[192.0.2.1] said: 451 4.7.1 Greylisting in action, please try again later "
       "(in reply to RCPT TO command)",
       "", ReasonClass::kGreylisted},
      {"blocklisted",
       "host mx.example[192.0.2.1] said: 451 4.7.1 Service unavailable - client host "
       "[198.51.100.7] blocked using zen.spamhaus.org (in reply to RCPT TO command)",
       "", ReasonClass::kBlocklisted},
      {"rDNS requirement is not throttling (issue 16)",
       "host mx.example.com[198.51.100.9] said: 450 4.7.1 Client host rejected: cannot find your "
       "hostname, [203.0.113.9] (in reply to RCPT TO command)",
       "", ReasonClass::kReverseDns},
      {"suspended with nothing more",
       "delivery temporarily suspended: unknown mail transport error", "", ReasonClass::kSuspended},
      {"mailbox full 4.2.2",
       "host mx.example[192.0.2.1] said: 452 4.2.2 The email account that you tried to reach "
       "is over quota. (in reply to RCPT TO command)",
       "", ReasonClass::kMailboxFull},
      {"quota wording only",
       "host mx.example[192.0.2.1] said: 452 Mailbox size limit exceeded (in reply to RCPT TO "
       "command)",
       "", ReasonClass::kMailboxFull},
      {"connection refused", "connect to 127.0.0.1[127.0.0.1]:2: Connection refused", "",
       ReasonClass::kConnectRefused},
      {"connection refused via suspended destination",
       "delivery temporarily suspended: connect to 127.0.0.1[127.0.0.1]:2: Connection refused", "",
       ReasonClass::kConnectRefused},
      {"connect timeout", "connect to 127.0.0.1[127.0.0.1]:10040: Connection timed out", "",
       ReasonClass::kConnectTimeout},
      {"no route", "connect to 192.0.2.1[192.0.2.1]:25: No route to host", "",
       ReasonClass::kNoRoute},
      {"network unreachable", "connect to [2001:db8::1]:25: Network is unreachable", "",
       ReasonClass::kNoRoute},
      {"greeting timeout",
       "conversation with 127.0.0.1[127.0.0.1] timed out while receiving the initial server "
       "greeting",
       "", ReasonClass::kGreetingTimeout},
      {"data timeout",
       "conversation with mx.example[192.0.2.1] timed out while sending message body", "",
       ReasonClass::kBodyTimeout},
      {"lost connection",
       "lost connection with mx.example[192.0.2.1] while receiving the initial server greeting", "",
       ReasonClass::kConnectionLost},
      {"tls required not offered",
       "TLS is required, but was not offered by host 127.0.0.1[127.0.0.1]", "4.7.4",
       ReasonClass::kTlsRequired},
      {"tls handshake", "Cannot start TLS: handshake failure", "", ReasonClass::kTls},
      {"starttls refused",
       "TLS is required, but host mx.example[192.0.2.1] refused to start TLS: 454 4.7.0 TLS not "
       "available due to local problem",
       "", ReasonClass::kTlsRequired},
      {"certificate not trusted", "Server certificate not trusted", "", ReasonClass::kTls},
      {"lost connection during EHLO is not TLS",
       "lost connection with mx.example[192.0.2.1] while performing the EHLO handshake", "",
       ReasonClass::kConnectionLost},
      {"timeout during EHLO is not TLS",
       "conversation with mx.example[192.0.2.1] timed out while performing the EHLO handshake", "",
       ReasonClass::kConversationTimeout},
      {"remote requires starttls",
       "host mx.example[192.0.2.1] said: 530 5.7.0 Must issue a STARTTLS command first (in "
       "reply to MAIL FROM command)",
       "", ReasonClass::kTlsRequired},
      {"dns temporary failure",
       "Host or domain name not found. Name service error for name=example.org type=MX: Host "
       "not found, try again",
       "", ReasonClass::kDns},
      {"dns by dsn only", "something local", "4.4.3", ReasonClass::kDns},
      {"other remote 4xx",
       "host mx.example[192.0.2.1] said: 451 4.3.0 Temporary server error (in reply to end of "
       "DATA command)",
       "", ReasonClass::kOther},
      {"local transport error", "mail transport unavailable", "", ReasonClass::kOther},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ReasonClassName(c.expected), ReasonClassName(ClassifyReason(c.reason, c.dsn)));
  }
}

// Issue 16's two handed lines as showq holds them (the text inside the log
// line's parentheses, no dsn): their own classes, never rate_limited, and the
// same class the log families give (delivery_reason_test, wild corpus).
TEST(ClassifyReason, issue16_greylisting_and_rdns_are_not_throttling) {
  EXPECT_EQ("greylisted",
            ReasonClassName(ClassifyReason(
                "host mx.example.net[198.51.100.7] said: 450 4.7.1 <alice@example.net>: Recipient "
                "address rejected: "
                "Greylisted, see http://greylist.example.org/help (in reply to RCPT TO command)")));
  EXPECT_EQ("reverse_dns",
            ReasonClassName(ClassifyReason("host mx.example.com[198.51.100.9] said: 450 4.7.1 "
                                           "Client host rejected: cannot find your hostname, "
                                           "[203.0.113.9] (in reply to RCPT TO command)")));
}

TEST(ClassifyReason, dsn_from_a_log_line_is_used_when_the_reply_has_no_enhanced_code) {
  const std::string reason = "host mx.example[192.0.2.1] said: 450 Try later";
  EXPECT_EQ(ReasonClass::kOther, ClassifyReason(reason));
  EXPECT_EQ(ReasonClass::kPolicy, ClassifyReason(reason, "4.7.1"));
  EXPECT_EQ(ReasonClass::kRateLimited, ClassifyReason(reason, "4.7.28"));
}

TEST(ReasonClassName, names_are_distinct_label_values) {
  std::set<std::string_view> names;
  for (const auto c : AllReasonClasses()) names.insert(ReasonClassName(c));
  EXPECT_EQ(kReasonClassCount, names.size());
  for (const auto n : names) {
    EXPECT_EQ(std::string_view::npos, n.find_first_not_of("abcdefghijklmnopqrstuvwxyz_")) << n;
  }
}

}  // namespace
}  // namespace mailpath::showq
