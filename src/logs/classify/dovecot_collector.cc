#include "mailpath/logs/classify/dovecot_collector.h"

#include <algorithm>
#include <array>
#include <functional>

#include "mailpath/logs/classify/dovecot_event.h"

namespace mailpath::logs::classify {
namespace {

using std::string_view;

template <std::size_t N>
string_view OneOf(string_view value, const std::array<string_view, N>& known,
                  string_view fallback = "other") {
  for (string_view k : known) {
    if (value == k) return k;
  }
  return fallback;
}

constexpr std::array<string_view, 5> kProtocols = {"imap", "pop3", "submission", "managesieve",
                                                   "lmtp"};
constexpr std::array<string_view, 15> kMethods = {
    "PLAIN",         "LOGIN",     "CRAM-MD5",    "DIGEST-MD5", "SCRAM-SHA-1",
    "SCRAM-SHA-256", "XOAUTH2",   "OAUTHBEARER", "EXTERNAL",   "GSSAPI",
    "NTLM",          "ANONYMOUS", "OTP",         "APOP",       "GSS-SPNEGO"};
constexpr std::array<string_view, 15> kPassdbs = {
    "passwd-file", "passwd", "shadow", "pam",  "ldap", "sql",      "static", "checkpassword",
    "bsdauth",     "lua",    "oauth2", "dict", "imap", "vpopmail", "cache"};
constexpr std::array<string_view, 14> kServices = {
    "imap-login",     "pop3-login", "submission-login", "managesieve-login",
    "imap",           "pop3",       "submission",       "managesieve",
    "lmtp",           "auth",       "auth-worker",      "anvil",
    "indexer-worker", "doveadm"};
constexpr std::array<string_view, 4> kLimits = {
    "process_limit", "client_limit", "client_limit/service_count",
    "client_limit/restart_request_count"};  // 2.4's name
constexpr std::array<string_view, 13> kProcesses = {
    "imap-login", "pop3-login", "submission-login", "managesieve-login",
    "imap",       "pop3",       "submission",       "managesieve",
    "lmtp",       "auth",       "auth-worker",      "master",
    "config"};
constexpr std::array<DovecotLoginReason, 10> kReasons = {
    DovecotLoginReason::kAuthFailed,
    DovecotLoginReason::kNoAuthAttempts,
    DovecotLoginReason::kTlsHandshake,
    DovecotLoginReason::kPlaintextDisallowed,
    DovecotLoginReason::kTooManyInvalidCommands,
    DovecotLoginReason::kUserIpLimit,
    DovecotLoginReason::kConnectionQueueFull,
    DovecotLoginReason::kInactivity,
    DovecotLoginReason::kAbortedAuthentication,
    DovecotLoginReason::kOther};

string_view Protocol(string_view p) { return OneOf(p, kProtocols, "unknown"); }

// One message to one recipient: the LMTP prefix (session, ":R2" per recipient) and the msgid. 0 is
// never a key.
std::uint64_t LmtpKey(const DovecotEvent& ev) {
  const std::uint64_t h =
      std::hash<string_view>{}(ev.prefix) * 1000003u ^ std::hash<string_view>{}(ev.msgid);
  return h == 0 ? 1 : h;
}

}  // namespace

DovecotCollector::DovecotCollector()
    : lines_("dovecot_log_lines_total",
             "Dovecot log lines seen, by whether the classifier recognised them (classified, "
             "unsupported).",
             {"result"}),
      logins_(
          "dovecot_logins_total",
          "Successful logins (\"<proto>-login: Login:\") by protocol, SASL method and transport "
          "(tls, secured = local/trusted plaintext, plaintext, proxied).",
          {"protocol", "method", "transport"}),
      login_failures_("dovecot_login_failures_total",
                      "Connections that ended before login, by protocol and reason; one per "
                      "\"Disconnected\"/\"Aborted login\"/\"Login aborted\"/\"Login failed\" line.",
                      {"protocol", "reason"}),
      tls_failures_(
          "dovecot_tls_handshake_failures_total",
          "Pre-login TLS handshakes that failed or were abandoned, by protocol and cause. "
          "connection_closed on a TLS port is the signature of a path-MTU blackhole.",
          {"protocol", "cause"}),
      auth_results_("dovecot_auth_passdb_failures_total",
                    "Authentication failures reported by a passdb (needs auth_verbose=yes), by "
                    "driver and result.",
                    {"passdb", "result"}),
      master_limits_(
          "dovecot_master_limit_reached_total",
          "\"service(NAME): <limit> reached, client connections are being dropped\" warnings.",
          {"service", "limit"}),
      sessions_ended_("dovecot_sessions_ended_total",
                      "Logged-in sessions that ended, by protocol and reason.",
                      {"protocol", "reason"}),
      received_bytes_("dovecot_session_received_bytes_total",
                      "Bytes received from clients in ended sessions (in=).", {"protocol"}),
      sent_bytes_("dovecot_session_sent_bytes_total",
                  "Bytes sent to clients in ended sessions (IMAP out=, POP3 top+retr bytes).",
                  {"protocol"}),
      lmtp_deliveries_("dovecot_lmtp_deliveries_total",
                       "LMTP deliveries by result (saved, failed), once per message and recipient "
                       "(several Sieve "
                       "store lines for one message count once).",
                       {"result"}),
      auth_failed_logins_(
          "dovecot_auth_failed_logins_total",
          "Pre-login connections with at least one failed authentication, whatever disconnect "
          "reason Dovecot logged first (\"Inactivity (auth failed, 1 attempts ...)\" counts here "
          "and as inactivity in dovecot_login_failures_total).",
          {"protocol"}),
      unsupported_("dovecot_unsupported_lines_total",
                   "Dovecot lines the classifier does not recognise, by process.", {"process"}) {
  for (string_view r : {"classified", "unsupported"}) lines_.Declare({r});
  for (string_view p : {"imap", "pop3"}) {
    for (DovecotLoginReason r : kReasons) login_failures_.Declare({p, LoginReasonName(r)});
    tls_failures_.Declare({p, TlsCauseName(DovecotTlsCause::kConnectionClosed)});
  }
  for (string_view r : {"saved", "failed"}) lmtp_deliveries_.Declare({r});
  for (string_view p : {"imap", "pop3"}) auth_failed_logins_.Declare({p});
}

void DovecotCollector::Consume(const LogRecord& record) {
  if (record.program != Program::kDovecot) return;
  ConsumeMessage(record.message);
}

void DovecotCollector::ConsumeMessage(std::string_view message) {
  const DovecotEvent ev = ClassifyDovecot(message);
  std::lock_guard<std::mutex> lock(mu_);
  lines_.Add({ev.kind == DovecotKind::kUnsupported ? "unsupported" : "classified"});
  switch (ev.kind) {
    case DovecotKind::kLogin:
      logins_.Add({Protocol(ev.protocol),
                   OneOf(ev.method, kMethods, ev.method.empty() ? "none" : "other"),
                   TransportName(ev.transport)});
      break;
    case DovecotKind::kLoginFailure:
      login_failures_.Add({Protocol(ev.protocol), LoginReasonName(ev.reason)});
      if (ev.auth_failed) auth_failed_logins_.Add({Protocol(ev.protocol)});
      if (ev.reason == DovecotLoginReason::kTlsHandshake) {
        tls_failures_.Add({Protocol(ev.protocol), TlsCauseName(ev.tls_cause)});
        if (attribution_)
          attribution_->CountLoss("dovecot", "tls", ev.rip);  // issue 19: that client's path
      }
      break;
    case DovecotKind::kAuthResult:
      auth_results_.Add({OneOf(ev.passdb, kPassdbs), AuthResultName(ev.auth_result)});
      break;
    case DovecotKind::kMasterLimit:
      master_limits_.Add({OneOf(ev.service, kServices), OneOf(ev.limit, kLimits)});
      break;
    case DovecotKind::kSessionEnd:
      sessions_ended_.Add({Protocol(ev.protocol), ev.end_label});
      received_bytes_.Add({Protocol(ev.protocol)}, static_cast<double>(ev.bytes_in));
      sent_bytes_.Add({Protocol(ev.protocol)}, static_cast<double>(ev.bytes_out));
      break;
    case DovecotKind::kLmtpDelivery: {
      const std::uint64_t key = LmtpKey(ev);
      if (!pending_failures_.empty()) {
        std::erase_if(pending_failures_, [&](const auto& p) { return p.first == key; });
      }
      if (ev.sieve && !ev.msgid.empty()) {
        if (std::find(sieve_saved_.begin(), sieve_saved_.end(), key) != sieve_saved_.end()) break;
        sieve_saved_[sieve_saved_next_++ % sieve_saved_.size()] = key;
      }
      lmtp_deliveries_.Add({"saved"});
      break;
    }
    case DovecotKind::kLmtpFailure: {
      if (ev.msgid.empty()) {
        lmtp_deliveries_.Add({"failed"});
        break;
      }
      const std::uint64_t key = LmtpKey(ev);
      if (std::find(sieve_saved_.begin(), sieve_saved_.end(), key) != sieve_saved_.end()) break;
      for (const auto& p : pending_failures_) {
        if (p.first == key) return;  // already pending: one failure per message and recipient
      }
      if (pending_failures_.size() >= 4096) FlushFailures("");
      pending_failures_.emplace_back(key, std::string(ev.pid));
      break;
    }
    case DovecotKind::kKnownIgnored:
      // "lmtp(10478): Disconnect from local": the session's undecided failures are final.
      if (ev.process == "lmtp" && !ev.pid.empty()) FlushFailures(ev.pid);
      break;
    case DovecotKind::kUnsupported:
      unsupported_.Add({OneOf(ev.process, kProcesses)});
      break;
  }
}

void DovecotCollector::FlushFailures(std::string_view pid) {
  std::erase_if(pending_failures_, [&](const auto& p) {
    if (!pid.empty() && p.second != pid) return false;
    lmtp_deliveries_.Add({"failed"});
    return true;
  });
}

void DovecotCollector::Collect(std::vector<prometheus::MetricFamily>& out) {
  std::lock_guard<std::mutex> lock(mu_);
  FlushFailures("");  // a scrape makes pending failures final
  for (const metrics::LabeledCounters* t : families_) {
    if (t->size() > 0) out.push_back(t->Snapshot());
  }
}

}  // namespace mailpath::logs::classify
