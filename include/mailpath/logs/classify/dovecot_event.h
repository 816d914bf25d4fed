#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "mailpath/logs/classify/literal_rows.h"

namespace mailpath::logs::classify {

/// What one Dovecot log message says, in a small fixed vocabulary.
enum class DovecotKind {
  kLogin,         // "<proto>-login: Login: user=<..>, method=.., ..."
  kLoginFailure,  // a pre-auth disconnect or "Login failed:" (DovecotLoginReason)
  kAuthResult,    // "auth: passwd-file(user,rip,..): Password mismatch" (auth_verbose)
  kMasterLimit,   // "master: service(imap-login): process_limit (N) reached, ..."
  kSessionEnd,    // "imap(user)<pid><session>: Disconnected: Logged out in=.. out=.."
  kLmtpDelivery,  // "lmtp(user)..: msgid=<..>: saved mail to INBOX"
  kLmtpFailure,   // "lmtp(user)..: msgid=<..>: save failed to ..." / quota
  kKnownIgnored,  // recognised, counted only as classified (lmtp connect, config, ...)
  kUnsupported,   // not recognised
};

/// Why a client left before it was logged in. One value per log line.
enum class DovecotLoginReason {
  kAuthFailed,
  kNoAuthAttempts,
  kTlsHandshake,         // TLS handshake failed or the client vanished during it
  kPlaintextDisallowed,  // disable_plaintext_auth refused a plaintext login
  kTooManyInvalidCommands,
  kUserIpLimit,          // mail_max_userip_connections
  kConnectionQueueFull,  // login process at client_limit kicked the oldest client
  kInactivity,
  kAbortedAuthentication,
  kOther,
};

/// Transport of a login-process connection, from Dovecot's %c element.
enum class DovecotTransport { kPlaintext, kSecured, kTls, kProxied };

/// Why TLS failed, from the OpenSSL error text or Dovecot's own wording.
enum class DovecotTlsCause {
  kNone,
  kConnectionClosed,     // "TLS handshaking: Connection closed": the client (or the path) vanished
  kWrongVersionNumber,   // plaintext sent to a TLS port
  kUnsupportedProtocol,  // client offered only protocols we disabled
  kNoSharedCipher,
  kUnknownCa,            // client rejected our certificate: alert unknown ca / bad certificate
  kCertificateRejected,  // other alert about our certificate
  kTimeout,
  kOther,
};

enum class DovecotAuthResult { kPasswordMismatch, kUnknownUser, kOther };

struct DovecotRule;

/// The decoded event. Views point into the classified message.
struct DovecotEvent {
  DovecotKind kind = DovecotKind::kUnsupported;
  const DovecotRule* rule = nullptr;  // the table row that decided (nullptr: unsupported)
  std::string_view process;           // "imap-login", "auth", "master", "imap", "lmtp", ...
  std::string_view prefix;  // the whole process prefix: "lmtp(alice)<10478><2XftDyHu:R2>",
                            // "auth(bob,192.0.2.4,sasl:plain)"
  std::string_view
      pid;  // "10478" from "lmtp(10478)" or "lmtp(user)<10478><session>", "" when absent
  std::string_view msgid;  // LMTP/Sieve: the "msgid=<...>" value
  bool sieve = false;      // the LMTP line was written by Sieve ("sieve: msgid=...")
  bool auth_failed =
      false;  // kLoginFailure: "(auth failed, N attempts ...)" whatever the disconnect reason
  std::string_view protocol;  // "imap", "pop3", "submission", "managesieve", "lmtp", "" when none
  std::string_view method;    // SASL mechanism: "PLAIN", "LOGIN", ... ("" when none)
  DovecotTransport transport = DovecotTransport::kPlaintext;
  DovecotLoginReason reason = DovecotLoginReason::kOther;
  DovecotTlsCause tls_cause = DovecotTlsCause::kNone;
  std::string_view user;  // attacker-controlled: bound before use as a label
  std::string_view rip;   // remote IP, likewise
  // kAuthResult
  std::string_view passdb;  // "passwd-file", "pam", "ldap", ...
  DovecotAuthResult auth_result = DovecotAuthResult::kOther;
  // kMasterLimit
  std::string_view service;  // "imap-login"
  std::string_view limit;    // "process_limit", "client_limit", "client_limit/service_count"
  // kSessionEnd
  std::string_view end_reason;  // "Logged out", "Connection closed", ... (the text)
  std::string_view end_label;   // its bounded label: logged_out, connection_closed, inactivity,
                                // server_shutdown, kicked, other (DovecotSessionEndLabels)
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
};

/// Classifies one Dovecot message: the text after the syslog "dovecot: " (or
/// instance name) tag, or a line of Dovecot's own log_path file with its
/// timestamp removed. Accepts the optional "Info: " / "Warning: " severity
/// that file logs carry. Handles the login wordings of <= 2.3.14
/// ("Disconnected (no auth attempts ...)", "Aborted login (...)"),
/// 2.3.15-2.3.21 ("Disconnected: <reason> (...)") and 2.4
/// ("Login aborted: <reason> (...) (<token>)", "Logged in: ..."), and the
/// passdb results of 2.3 ("auth: passwd-file(user,rip,<session>): ...") and
/// 2.4 ("auth(user,rip,sasl:plain)<session>: passwd-file: ...",
/// "auth-worker(user,rip,sasl:plain)<pid><session>: request [N]: sql: ..."). Pure.
[[nodiscard]] DovecotEvent ClassifyDovecot(std::string_view message);

/// Which Dovecot processes a row applies to: the login processes
/// (imap-login, pop3-login, ...), auth and auth-worker, master, the mail
/// processes (imap, pop3, submission, managesieve) and lmtp (which also
/// walks the mail rows, for its session ends).
enum class DovecotProcessClass : std::uint8_t { kLogin, kAuth, kMaster, kMail, kLmtp };

/// The named field extractor of a Dovecot row.
enum class DovecotExtractor : std::uint8_t {
  kNone,
  kLogin,         // the login elements after the literal: user=<..>, method=.., rip=.., TLS, ...
  kLoginFailure,  // the reason (DovecotLoginRules), "(auth failed", the TLS cause, the elements
  kPassdb,       // 2.3 "driver(user,rip,..): verdict" / 2.4 "auth(user,rip,..)<s>: driver: verdict"
  kMasterLimit,  // "service(NAME): LIMIT (N) reached, ..."
  kSessionEnd,   // "REASON in=N out=N ..." after the literal (end_reason, end_label, bytes)
  kSessionEndWhole,  // the same over the whole text ("Logged out in=...")
  kLmtpMessage,      // "msgid=<..>: ..." (msgid, sieve)
};

/// One Dovecot wording: the processes it applies to, a literal matcher on the
/// text after "PROCESS: [Severity: ]" (anchor, literal, an optional second
/// literal `also` that must occur too), the kind and label value it yields,
/// the extractor that reads its fields, one real example message (the text
/// ClassifyDovecot takes) and its source. First match wins.
struct DovecotRule {
  DovecotProcessClass process;
  Anchor anchor;
  std::string_view literal;
  std::string_view also;
  DovecotKind kind;
  std::string_view value;  // auth results: password_mismatch, unknown_user, other; otherwise ""
  DovecotExtractor extractor;
  std::string_view example;
  std::string_view source;
};

/// The line table, in matching order.
[[nodiscard]] std::span<const DovecotRule> DovecotRules();

/// The small cause tables (TLS causes, session-end labels), for the walking test.
[[nodiscard]] std::span<const NamedLiteralTable> DovecotCauseTables();

/// One wording of why a client left before login: a literal looked for in the
/// reason part of the line, the reason it means, one real example line and
/// its source. First match wins.
struct DovecotLoginRule {
  Anchor anchor;  // kContains for every row today
  std::string_view literal;
  DovecotLoginReason reason;
  std::string_view example;
  std::string_view source;
};

/// The login-reason table, in matching order.
[[nodiscard]] std::span<const DovecotLoginRule> DovecotLoginRules();

/// The index of the first row whose literal is in `text` (and its reason in
/// `out`), or -1 and kOther. Pure.
int MatchDovecotLoginReason(std::string_view text, DovecotLoginReason& out);

[[nodiscard]] std::string_view LoginReasonName(DovecotLoginReason r);
[[nodiscard]] std::string_view TransportName(DovecotTransport t);
[[nodiscard]] std::string_view TlsCauseName(DovecotTlsCause c);
[[nodiscard]] std::string_view AuthResultName(DovecotAuthResult r);

}  // namespace mailpath::logs::classify
