// Bounded classes for the free text in Postfix lines.
#include "mailpath/logs/classify/postfix_event.h"
#include "mailpath/logs/classify/postfix_rules.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <iterator>

#include "postfix_text.h"

namespace mailpath::logs::classify {

using text::Has;

namespace {

// Sources: vdukhovni/postfix postfix-3.12-20260821 smtpd/smtpd_check.c (reply texts), milter/milter8.c
// (milter_default_action), observed Postfix 3.7/3.10 lines. A row matches on its literal in the reply text
// or, when it has no literal, on the enhanced status code. First match wins.
constexpr RejectRule kRejectRules[] = {
    {"Service unavailable - try again later", "", "milter_unavailable", "4.7.1",
     "Service unavailable - try again later", "milter/milter8.c milter_default_action=tempfail"},
    {"blocked using", "", "rbl", "5.7.1", "Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org",
     "smtpd_check.c reject_rbl_client"},
    {"listed by", "", "rbl", "5.7.1", "Client host [203.0.113.9] listed by dnsbl.example.org",
     "smtpd_check.c rbl reply templates"},
    {"Relay access denied", "", "relay_denied", "5.7.1", "<bob@example.net>: Relay access denied",
     "smtpd_check.c reject_unauth_destination"},
    {"User unknown", "", "unknown_user", "5.1.1",
     "<nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
     "smtpd_check.c reject_unlisted_recipient (observed 3.7)"},
    {"Recipient address rejected: undeliverable address", "", "unknown_user", "4.1.1",
     "<bob@example.com>: Recipient address rejected: undeliverable address: host mx.example.com said: 550 no",
     "smtpd_check.c reject_unverified_recipient"},
    {"unknown user", "", "unknown_user", "5.1.1", "<carol@example.com>: unknown user: \"carol\"",
     "local(8) via reject_unlisted_recipient"},
    {"", "5.1.1", "unknown_user", "5.1.1", "<dave@example.com>: Recipient address rejected: no such mailbox here",
     "RFC 3463 X.1.1"},
    {"Server configuration problem", "", "policy_unavailable", "4.3.5", "Server configuration problem",
     "smtpd_check.c smtpd_policy_service_default_action (observed 3.7)"},
    {"Server configuration error", "", "policy_unavailable", "4.3.5", "Server configuration error",
     "smtpd_check.c"},
    {"", "4.3.5", "policy_unavailable", "4.3.5", "Service is unavailable", "RFC 3463 X.3.5"},
    {"Temporary lookup failure", "", "lookup_failure", "4.3.0", "<bob@example.com>: Temporary lookup failure",
     "smtpd_check.c (a lookup table failed)"},
    {"", "4.3.0", "lookup_failure", "4.3.0", "Data format error", "RFC 3463 X.3.0 as Postfix uses it for tables"},
    {"too many", "", "rate_limit", "4.7.1", "<bob@example.com>: Recipient address rejected: too many messages",
     "policy services' rate limits"},
    {"Too many", "", "rate_limit", "4.5.3", "Error: Too many recipients", "smtpd.c rcpt_cmd"},
    {"rate limit", "", "rate_limit", "4.7.1", "Sender rate limit exceeded", "policy services' rate limits"},
    {"Rate limit", "", "rate_limit", "4.7.1", "Rate limit reached for sender", "policy services' rate limits"},
    {"too much mail", "", "rate_limit", "4.7.1", "Error: too much mail from 203.0.113.9", "smtpd.c"},
    {"slow down", "", "rate_limit", "4.7.1", "<bob@example.com>: Recipient address rejected: please slow down",
     "policy services' rate limits"},
    {"Protocol error", "", "protocol", "5.5.1", "Protocol error", "smtpd.c"},
    {"Improper use of SMTP command pipelining", "", "protocol", "5.5.0",
     "<unknown[203.0.113.9]>: Client host rejected: Improper use of SMTP command pipelining",
     "smtpd_check.c reject_unauth_pipelining"},
    {"Helo command rejected", "", "helo_restriction", "5.7.1",
     "<localhost>: Helo command rejected: Host not found", "smtpd_check.c reject_unknown_helo_hostname"},
    {"Sender address rejected", "", "sender_restriction", "5.1.8",
     "<alice@example.org>: Sender address rejected: Domain not found", "smtpd_check.c reject_unknown_sender_domain"},
    {"Client host rejected", "", "client_restriction", "5.7.1",
     "<unknown[203.0.113.9]>: Client host rejected: Access denied", "smtpd access(5) (observed 3.7)"},
    {"Recipient address rejected", "", "recipient_restriction", "5.7.1",
     "<bob@example.com>: Recipient address rejected: Access denied", "smtpd access(5)"},
};

}  // namespace

std::span<const RejectRule> RejectRules() { return kRejectRules; }

int MatchRejectRule(std::string_view dsn, std::string_view t) {
  for (std::size_t i = 0; i < std::size(kRejectRules); ++i) {
    const RejectRule& r = kRejectRules[i];
    if (r.literal.empty() ? dsn == r.dsn : Has(t, r.literal)) return static_cast<int>(i);
  }
  return -1;
}

std::string_view RejectReasonClass(std::string_view code, std::string_view dsn, std::string_view t) {
  (void)code;
  const int i = MatchRejectRule(dsn, t);
  return i < 0 ? std::string_view("other") : kRejectRules[i].reason;
}

std::string_view TlsFailureCause(std::string_view t) {
  if (Has(t, "lost connection")) return "lost_connection";
  if (Has(t, "timed out")) return "timeout";
  if (Has(t, "reset by peer")) return "reset";
  if (t == "-1" || Has(t, ": -1") || t.ends_with(" -1")) return "protocol_error";
  return "other";
}

std::string_view TlsLibraryReason(std::string_view t) {
  if (Has(t, "wrong version number") || Has(t, "http request")) return "wrong_version_number";
  if (Has(t, "unknown ca") || Has(t, "bad certificate") || Has(t, "certificate unknown")) return "unknown_ca";
  if (Has(t, "unsupported protocol") || Has(t, "version too low")) return "unsupported_protocol";
  if (Has(t, "no shared cipher")) return "no_shared_cipher";
  if (Has(t, "certificate verify failed")) return "certificate_verify_failed";
  return "other";
}

std::string_view AnvilLimitKind(std::string_view t) {
  if (t.starts_with("Connection concurrency")) return "connection_count";
  if (t.starts_with("Connection rate")) return "connection_rate";
  if (t.starts_with("Message delivery request rate")) return "message_rate";
  if (t.starts_with("Recipient address rate")) return "recipient_rate";
  if (t.starts_with("New TLS session rate")) return "newtls_rate";
  if (t.starts_with("AUTH command rate")) return "auth_rate";
  return "other";
}

}  // namespace mailpath::logs::classify

namespace mailpath::logs::classify {
namespace {

bool IsIpAddress(std::string_view s) {
  if (s.empty() || s.size() >= INET6_ADDRSTRLEN) return false;
  char buf[INET6_ADDRSTRLEN];
  s.copy(buf, s.size());
  buf[s.size()] = '\0';
  unsigned char addr[sizeof(in6_addr)];
  return inet_pton(AF_INET, buf, addr) == 1 || inet_pton(AF_INET6, buf, addr) == 1;
}

}  // namespace

void SplitAnvilKey(std::string_view key, std::string_view& service, std::string_view& address) {
  for (std::size_t colon = key.find(':'); colon != std::string_view::npos; colon = key.find(':', colon + 1)) {
    const std::string_view left = key.substr(0, colon);
    const std::string_view right = key.substr(colon + 1);
    if (!left.empty() && IsIpAddress(right) && !IsIpAddress(left)) {
      service = left;
      address = right;
      return;
    }
  }
  service = key;
  address = {};
}

}  // namespace mailpath::logs::classify
