#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace mailpath::logs::classify {

/// What one Postfix log message says, in a fixed vocabulary. One value per line.
enum class PostfixKind {
  kUnsupported,
  kKnownIgnored,         // recognised, nothing to count (e.g. "statistics: max cache size")
  // smtpd
  kConnect,              // "connect from h[a]"
  kDisconnect,           // "disconnect from h[a] ehlo=1 ..."
  kSessionEnd,           // "[NOQUEUE: |QID: ]<lost connection|timeout|too many errors> after STAGE[ (N bytes)] from h[a]"
  kReject,               // "NOQUEUE: reject: RCPT from h[a]: 550 5.1.1 ...; from=<> to=<> ..." (also hold, discard, ...)
  kSaslFailure,          // "warning: h[a]: SASL PLAIN authentication failed: ...[, sasl_username=u]"
  kClientAccepted,       // "QID: client=h[a][, sasl_method=M, sasl_username=u]"
  kTlsEstablished,       // "<Trust> TLS connection established from|to h[a]: TLSv1.3 with cipher C (256/256 bits)"
  kTlsHandshakeFailure,  // "SSL_accept error from h[a]: ..." / "SSL_connect error to ..."
  kTlsLibraryProblem,    // "warning: TLS library problem: error:...:reason:..."
  kAnvilLimit,           // "warning: <Kind> limit exceeded: N from h[a] for service S"
  kStarttlsRefused,      // "warning: Refusing STARTTLS request from h[a] for service S"
  kAnvilStatistics,      // anvil "statistics: max connection rate 11/60s for (smtpd:1.2.3.4) at ..."
  kPolicyFailure,        // "warning: connect to S: ..." / "warning: problem talking to server S: ..." (policy only)
  kDependencyFailure,    // a milter, lookup table, SASL backend or Postfix-internal service failed; see
                         // `dependency` (milter, lookup_table, sasl_backend, postfix_internal) and `reason`
  kMasterProcessExit,    // master "process P pid N exit status S" / "killed by signal S" (reason: exit|signal)
  kMasterThrottle,       // master "P: bad command startup -- throttling"
  kMasterProcessLimit,   // master "service "S" (N) has reached its process limit "M": ..."
  kFatal,                // any daemon's "fatal:" or "panic:" line not classified otherwise
  kImproperPipelining,   // "improper command pipelining after EHLO from h[a]: ..."
  kFcrdnsError,          // "warning: hostname X does not resolve to address A"
  // delivery agents (smtp, lmtp, local, virtual, pipe, error, discard, retry)
  kDelivery,             // "QID: to=<r>, relay=..., delay=..., delays=a/b/c/d, dsn=X, status=S (text)"
  kConnectFailure,       // smtp "connect to h[a]:p: Connection refused"
  // qmgr
  kQmgrInserted,         // "QID: from=<s>, size=N, nrcpt=N (queue active)"
  kQmgrRemoved,          // "QID: removed"
  kQmgrExpired,          // "QID: from=<s>, status=expired, returned to sender" (also force-expired)
  kQmgrActiveQueueWarning,  // "warning: mail for X is using up N of M active queue entries"
  // cleanup
  kCleanupMessage,       // "QID: message-id=<...>"
  kCleanupAction,        // "QID: reject|hold|discard|redirect|milter-reject|...: ..."
  // others
  kBounceNotification,   // bounce "QID: sender non-delivery notification: QID2"
  kPostsuper,            // "QID: placed on hold" / "released from hold" / "expired" / "Deleted: N messages" ...
  kPickup,               // "QID: uid=0 from=<...>"
  kPostscreen,           // every postscreen event, see PostscreenEvent
};

enum class PostscreenEvent {
  kNone, kConnect, kPassNew, kPassOld, kPregreet, kDnsblRank, kHangup, kCommandTimeLimit, kCommandCountLimit,
  kCommandLengthLimit, kCommandPipelining, kNonSmtpCommand, kBareNewline, kDataWithoutRcpt, kAllowlisted,
  kDenylisted, kAllowlistVeto, kTooManyConnections, kAllPortsBusy, kReject, kDisconnect, kStressEnter,
  kStressLeave, kNoise,
};

/// The decoded event. Views point into the classified message.
struct PostfixEvent {
  PostfixKind kind = PostfixKind::kUnsupported;
  std::string_view severity;   // "warning", "error", "fatal", "panic", or "" (info)
  std::string_view client;     // client address (inside [..]) when the line names one
  std::string_view stage;      // "RCPT", "STARTTLS", "CONNECT", ... (session ends, rejects, pipelining)
  std::string_view reason;     // kSessionEnd: "lost connection" | "timeout" | "too many errors"
                               // kReject: the action ("reject", "reject_warning", "hold", "discard", ...)
                               // kAnvilLimit: the limit kind; kTlsHandshakeFailure: the cause text
                               // kPolicyFailure: the error text; kCleanupAction: the action
                               // kPostsuper: "hold" | "release" | "expire" | "delete" | "requeue"
  std::string_view code;       // 3-digit SMTP reply code
  std::string_view dsn;        // "4.7.1"
  std::string_view text;       // the free text to classify (reject text, delivery status text)
  std::string_view service;    // service named inside the message (anvil "for service S", "(smtpd:addr)")
  std::string_view server;     // policy server
  std::string_view dependency; // kDependencyFailure: milter | lookup_table | sasl_backend | postfix_internal
  std::string_view program;    // master: the daemon program (basename of the path)
  std::string_view method;     // SASL method
  std::string_view user;       // SASL username
  std::string_view recipient;  // delivery "to=<..>"
  std::string_view relay;      // delivery relay=
  std::string_view status;     // delivery status=
  std::string_view trust;      // TLS "Anonymous" | "Untrusted" | "Trusted" | "Verified"
  std::string_view protocol;   // TLS protocol "TLSv1.3"
  std::string_view cipher;
  bool outbound = false;       // TLS established "to" / SSL_connect
  std::array<double, 4> delays{};  // delays=a/b/c/d
  bool has_delays = false;
  double value = 0;            // anvil stats value, qmgr size, N in "Deleted: N messages"
  double count = 0;            // qmgr nrcpt
  PostscreenEvent postscreen = PostscreenEvent::kNone;
};

/// Classifies the message of one Postfix line (text after "postfix/daemon[pid]: ")
/// for the daemon named by the syslog tag ("smtpd", "smtp", "lmtp", "qmgr",
/// "cleanup", "postscreen", "anvil", "bounce", "postsuper", "pickup", "local",
/// "virtual", "pipe", "error", "discard", ...). No regular expressions. Pure.
[[nodiscard]] PostfixEvent ClassifyPostfix(std::string_view daemon, std::string_view message);

/// Bounded classes for free text.
/// A reject's reason: rbl, unknown_user, relay_denied, client_restriction, helo_restriction,
/// sender_restriction, policy_unavailable, lookup_failure, rate_limit, protocol, other.
[[nodiscard]] std::string_view RejectReasonClass(std::string_view code, std::string_view dsn, std::string_view text);
/// Deferral and bounce reasons: see delivery_reason.h (shared with showq).
/// A TLS handshake failure's cause: lost_connection, timeout, reset, protocol_error, other.
[[nodiscard]] std::string_view TlsFailureCause(std::string_view text);
/// A TLS library problem's reason: wrong_version_number, unknown_ca, unsupported_protocol,
/// no_shared_cipher, certificate_verify_failed, other.
[[nodiscard]] std::string_view TlsLibraryReason(std::string_view text);
/// The anvil limit named by the warning: connection_count, connection_rate, message_rate,
/// recipient_rate, newtls_rate, auth_rate, other.
[[nodiscard]] std::string_view AnvilLimitKind(std::string_view text);

/// Splits anvil's "service:address" key. The service may hold colons itself
/// (an inet service named "127.0.0.1:2525") and so may the address (IPv6),
/// so the split is the first colon whose right side is an IP address and
/// whose left side is not a bare IP address (no master.cf service is named
/// like one). Without such a colon the whole key is the service. Pure.
void SplitAnvilKey(std::string_view key, std::string_view& service, std::string_view& address);

}  // namespace mailpath::logs::classify
