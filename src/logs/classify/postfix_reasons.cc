// Bounded classes for the free text in Postfix lines.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <iterator>

#include "mailpath/logs/classify/openssl_reason.h"
#include "mailpath/logs/classify/postfix_event.h"
#include "mailpath/logs/classify/postfix_rules.h"
#include "postfix_classify_internal.h"
#include "postfix_text.h"

namespace mailpath::logs::classify {

using text::Has;

namespace {

// Sources: vdukhovni/postfix postfix-3.12-20260821 smtpd/smtpd_check.c (reply texts),
// milter/milter8.c (milter_default_action), observed Postfix 3.7/3.10 lines. A row matches on its
// literal in the reply text or, when it has no literal, on the enhanced status code. First match
// wins.
constexpr RejectRule kRejectRules[] = {
    {"Service unavailable - try again later", "", "milter_unavailable", "4.7.1",
     "Service unavailable - try again later", "milter/milter8.c milter_default_action=tempfail"},
    {"blocked using", "", "rbl", "5.7.1",
     "Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org",
     "smtpd_check.c reject_rbl_client"},
    {"listed by", "", "rbl", "5.7.1", "Client host [203.0.113.9] listed by dnsbl.example.org",
     "smtpd_check.c rbl reply templates"},
    {"Relay access denied", "", "relay_denied", "5.7.1", "<bob@example.net>: Relay access denied",
     "smtpd_check.c reject_unauth_destination"},
    {"User unknown", "", "unknown_user", "5.1.1",
     "<nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
     "smtpd_check.c reject_unlisted_recipient (observed 3.7)"},
    {"Recipient address rejected: undeliverable address", "", "unknown_user", "4.1.1",
     "<bob@example.com>: Recipient address rejected: undeliverable address: host mx.example.com "
     "said: 550 no",
     "smtpd_check.c reject_unverified_recipient"},
    {"unknown user", "", "unknown_user", "5.1.1", "<carol@example.com>: unknown user: \"carol\"",
     "local(8) via reject_unlisted_recipient"},
    {"", "5.1.1", "unknown_user", "5.1.1",
     "<dave@example.com>: Recipient address rejected: no such mailbox here", "RFC 3463 X.1.1"},
    {"Server configuration problem", "", "policy_unavailable", "4.3.5",
     "Server configuration problem",
     "smtpd_check.c smtpd_policy_service_default_action (observed 3.7)"},
    {"Server configuration error", "", "policy_unavailable", "4.3.5", "Server configuration error",
     "smtpd_check.c"},
    {"", "4.3.5", "policy_unavailable", "4.3.5", "Service is unavailable", "RFC 3463 X.3.5"},
    {"Temporary lookup failure", "", "lookup_failure", "4.3.0",
     "<bob@example.com>: Temporary lookup failure", "smtpd_check.c (a lookup table failed)"},
    {"", "4.3.0", "lookup_failure", "4.3.0", "Data format error",
     "RFC 3463 X.3.0 as Postfix uses it for tables"},
    {"too many", "", "rate_limit", "4.7.1",
     "<bob@example.com>: Recipient address rejected: too many messages",
     "policy services' rate limits"},
    {"Too many", "", "rate_limit", "4.5.3", "Error: Too many recipients", "smtpd.c rcpt_cmd"},
    {"rate limit", "", "rate_limit", "4.7.1", "Sender rate limit exceeded",
     "policy services' rate limits"},
    {"Rate limit", "", "rate_limit", "4.7.1", "Rate limit reached for sender",
     "policy services' rate limits"},
    {"too much mail", "", "rate_limit", "4.7.1", "Error: too much mail from 203.0.113.9",
     "smtpd.c"},
    {"slow down", "", "rate_limit", "4.7.1",
     "<bob@example.com>: Recipient address rejected: please slow down",
     "policy services' rate limits"},
    {"Protocol error", "", "protocol", "5.5.1", "Protocol error", "smtpd.c"},
    {"Improper use of SMTP command pipelining", "", "protocol", "5.5.0",
     "<unknown[203.0.113.9]>: Client host rejected: Improper use of SMTP command pipelining",
     "smtpd_check.c reject_unauth_pipelining"},
    {"Helo command rejected", "", "helo_restriction", "5.7.1",
     "<localhost>: Helo command rejected: Host not found",
     "smtpd_check.c reject_unknown_helo_hostname"},
    {"Sender address rejected", "", "sender_restriction", "5.1.8",
     "<alice@example.org>: Sender address rejected: Domain not found",
     "smtpd_check.c reject_unknown_sender_domain"},
    {"Client host rejected", "", "client_restriction", "5.7.1",
     "<unknown[203.0.113.9]>: Client host rejected: Access denied",
     "smtpd access(5) (observed 3.7)"},
    {"Recipient address rejected", "", "recipient_restriction", "5.7.1",
     "<bob@example.com>: Recipient address rejected: Access denied", "smtpd access(5)"},
};

constexpr Anchor kC = Anchor::kContains;
constexpr Anchor kE = Anchor::kEquals;

// tls/tls_server.c and tls/tls_client.c: "SSL_accept error from h[a]: <what>" (what = a count, %m
// or "lost connection").
constexpr LiteralRow kTlsFailureCauses[] = {
    {kC, "lost connection", "lost_connection", "lost connection",
     "Postfix 3.7 tls/tls_server.c (observed 3.7.11)"},
    {kC, "timed out", "timeout", "Connection timed out", "Postfix 3.7 tls/tls_server.c (%m)"},
    {kC, "reset by peer", "reset", "Connection reset by peer", "Postfix 3.7 tls/tls_server.c (%m)"},
    {kE, "-1", "protocol_error", "-1",
     "Postfix 3.7 tls/tls_server.c (SSL_accept() result, observed on smtps)"},
};

// smtp/smtp_connect.c "connect to h[a]:p: %m".
constexpr LiteralRow kConnectCauses[] = {
    {kC, "timed out", "timeout", "Connection timed out",
     "Postfix 3.7 smtp/smtp_connect.c (observed 3.7.11)"},
    {kC, "refused", "refused", "Connection refused",
     "Postfix 3.7 smtp/smtp_connect.c (observed 3.7.11)"},
    {kC, "No route", "no_route", "No route to host", "Postfix 3.7 smtp/smtp_connect.c"},
    {kC, "unreachable", "no_route", "Network is unreachable", "Postfix 3.7 smtp/smtp_connect.c"},
};

// The error text of a dependency failure (%m of auto_clnt/attr_clnt/milter8, the MySQL/LDAP
// client's words), or a cause a row fixes (lookup_error, tempfail).
constexpr LiteralRow kDependencyCauses[] = {
    {kC, "refused", "refused", "Connection refused", "Postfix util/auto_clnt.c (%m)"},
    {kC, "Can't connect", "refused", "Can't connect to MySQL server on '192.0.2.20' (111)",
     "MySQL client via Postfix global/dict_mysql.c"},
    {kC, "Can't contact", "refused", "-1 (Can't contact LDAP server)",
     "OpenLDAP client via Postfix global/dict_ldap.c"},
    {kC, "timed out", "timeout", "Connection timed out", "Postfix util/attr_clnt.c (%m)"},
    {kC, "timeout", "timeout", "read timeout", "Postfix milter/milter8.c"},
    {kC, "No such file", "missing_socket", "No such file or directory",
     "Postfix milter/milter8.c (%m); issue 16"},
    {kC, "EOF", "lost_connection", "EOF while reading string: Connection reset by peer",
     "Postfix milter/milter8.c"},
    {kC, "reset by peer", "lost_connection", "Connection reset by peer",
     "Postfix util/attr_clnt.c (%m)"},
    {kC, "Lost connection", "lost_connection", "Lost connection to MySQL server during query",
     "MySQL client via Postfix global/dict_mysql.c"},
    {kC, "lost connection", "lost_connection", "lost connection", "Postfix util/attr_clnt.c"},
    {kC, "Broken pipe", "lost_connection", "Broken pipe", "Postfix util/attr_clnt.c (%m)"},
    {kE, "lookup_error", "lookup_error", "lookup_error",
     "a row's fixed cause (global/maps.c lookup errors)"},
    {kE, "tempfail", "tempfail", "tempfail",
     "a row's fixed cause (milter_default_action=tempfail)"},
};

// Postfix's own services behind "private/NAME" or "public/NAME" (master.cf defaults).
constexpr LiteralRow kPostfixInternal[] = {
    {kE, "anvil", "postfix_internal", "anvil", "Postfix master.cf"},
    {kE, "scache", "postfix_internal", "scache", "Postfix master.cf"},
    {kE, "tlsmgr", "postfix_internal", "tlsmgr", "Postfix master.cf"},
    {kE, "verify", "postfix_internal", "verify", "Postfix master.cf"},
    {kE, "rewrite", "postfix_internal", "rewrite", "Postfix master.cf"},
    {kE, "dnsblog", "postfix_internal", "dnsblog", "Postfix master.cf"},
    {kE, "proxymap", "postfix_internal", "proxymap", "Postfix master.cf"},
    {kE, "proxywrite", "postfix_internal", "proxywrite", "Postfix master.cf"},
    {kE, "bounce", "postfix_internal", "bounce", "Postfix master.cf"},
    {kE, "defer", "postfix_internal", "defer", "Postfix master.cf"},
    {kE, "trace", "postfix_internal", "trace", "Postfix master.cf"},
    {kE, "cleanup", "postfix_internal", "cleanup", "Postfix master.cf"},
    {kE, "postlog", "postfix_internal", "postlog", "Postfix master.cf"},
    {kE, "tlsproxy", "postfix_internal", "tlsproxy", "Postfix master.cf"},
    {kE, "flush", "postfix_internal", "flush", "Postfix master.cf"},
    {kE, "showq", "postfix_internal", "showq", "Postfix master.cf"},
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

std::string_view RejectReasonClass(std::string_view code, std::string_view dsn,
                                   std::string_view t) {
  (void)code;
  const int i = MatchRejectRule(dsn, t);
  return i < 0 ? std::string_view("other") : kRejectRules[i].reason;
}

std::string_view TlsFailureCause(std::string_view t) { return ValueOf(kTlsFailureCauses, t); }
std::string_view TlsLibraryReason(std::string_view t) {
  const std::string_view r = OpenSslReason(t);
  return r.empty() ? std::string_view("other") : r;
}
std::string_view DependencyCause(std::string_view e) { return ValueOf(kDependencyCauses, e); }
std::span<const NamedLiteralTable> PostfixCauseTables() {
  static const NamedLiteralTable kTables[] = {
      {"TLS failure causes", kTlsFailureCauses},
      {"OpenSSL reasons", OpenSslReasons()},
      {"connect causes", kConnectCauses},
      {"dependency causes", kDependencyCauses},
      {"Postfix internal services", kPostfixInternal},
  };
  return kTables;
}

namespace internal {

std::span<const LiteralRow> TlsFailureCauses() { return kTlsFailureCauses; }
std::span<const LiteralRow> ConnectCauses() { return kConnectCauses; }
std::span<const LiteralRow> DependencyCauses() { return kDependencyCauses; }
std::span<const LiteralRow> PostfixInternalServices() { return kPostfixInternal; }

using text::OneOf;

std::string_view SmtpStage(std::string_view s) {
  return OneOf(s, {"CONNECT", "HELO", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT",
                   "END-OF-MESSAGE", "RSET", "QUIT", "VRFY", "ETRN", "NOOP", "XCLIENT", "XFORWARD",
                   "UNKNOWN"});
}

std::string_view SaslMethod(std::string_view m) {
  if (m.empty()) return m;
  return OneOf(m, {"PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256",
                   "XOAUTH2", "OAUTHBEARER", "EXTERNAL", "GSSAPI", "NTLM", "ANONYMOUS"});
}

std::string_view DeliveryStatus(std::string_view s) {
  return OneOf(
      s, {"sent", "deferred", "bounced", "expired", "undeliverable", "deliverable", "softbounce"});
}

std::string_view DaemonProgram(std::string_view p) {
  return OneOf(
      p, {"smtpd", "smtp",    "lmtp",    "local",           "virtual",    "pipe",     "qmgr",
          "oqmgr", "cleanup", "pickup",  "bounce",          "postscreen", "tlsproxy", "dnsblog",
          "anvil", "scache",  "verify",  "trivial-rewrite", "proxymap",   "showq",    "tlsmgr",
          "flush", "error",   "discard", "spawn",           "postlogd"});
}

std::string_view DeliveryAgent(std::string_view d) {
  return OneOf(d,
               {"smtp", "lmtp", "local", "virtual", "pipe", "error", "retry", "discard", "qmgr"});
}

std::string_view TlsTrust(std::string_view t) {
  return OneOf(t, {"Anonymous", "Untrusted", "Trusted", "Verified"});
}

std::string_view TlsProtocol(std::string_view p) {
  return OneOf(p, {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "SSLv3"});
}

}  // namespace internal

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
  for (std::size_t colon = key.find(':'); colon != std::string_view::npos;
       colon = key.find(':', colon + 1)) {
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
