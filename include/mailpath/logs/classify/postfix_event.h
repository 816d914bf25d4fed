#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "mailpath/logs/classify/delivery_reason.h"

namespace mailpath::logs::classify {

/// What one Postfix log message says, in a fixed vocabulary. One value per line.
enum class PostfixKind {
  kUnsupported,
  kKnownIgnored,  // recognised, nothing to count (e.g. "statistics: max cache size")
  // smtpd
  kConnect,      // "connect from h[a]"
  kDisconnect,   // "disconnect from h[a] ehlo=1 ..."
  kSessionEnd,   // "[NOQUEUE: |QID: ]<lost connection|timeout|too many errors> after STAGE[ (N
                 // bytes)] from h[a]"
  kReject,       // "NOQUEUE: reject: RCPT from h[a]: 550 5.1.1 ...; from=<> to=<> ..." (also hold,
                 // discard, ...)
  kSaslFailure,  // "warning: h[a]: SASL PLAIN authentication failed: ...[, sasl_username=u]"
  kClientAccepted,       // "QID: client=h[a][, sasl_method=M, sasl_username=u]"
  kTlsEstablished,       // "<Trust> TLS connection established from|to h[a]: TLSv1.3 with cipher C
                         // (256/256 bits)"
  kTlsHandshakeFailure,  // "SSL_accept error from h[a]: ..." / "SSL_connect error to ..."
  kTlsLibraryProblem,    // "warning: TLS library problem: error:...:reason:..."
  kAnvilLimit,           // "warning: <Kind> limit exceeded: N from h[a] for service S"
  kStarttlsRefused,      // "warning: Refusing STARTTLS request from h[a] for service S"
  kAnvilStatistics,    // anvil "statistics: max connection rate 11/60s for (smtpd:1.2.3.4) at ..."
  kPolicyFailure,      // "warning: connect to S: ..." / "warning: problem talking to server S: ..."
                       // (policy only)
  kDependencyFailure,  // a milter, lookup table, SASL backend or Postfix-internal service failed;
                       // see `dependency` (milter, lookup_table, sasl_backend, postfix_internal)
                       // and `reason`
  kMasterProcessExit,  // master "process P pid N exit status S" / "killed by signal S" (reason:
                       // exit|signal)
  kMasterThrottle,     // master "P: bad command startup -- throttling"
  kMasterProcessLimit,  // master "service "S" (N) has reached its process limit "M": ..."
  kFatal,               // any daemon's "fatal:" or "panic:" line not classified otherwise
  kImproperPipelining,  // "improper command pipelining after EHLO from h[a]: ..."
  kFcrdnsError,         // "warning: hostname X does not resolve to address A"
  // delivery agents (smtp, lmtp, local, virtual, pipe, error, discard, retry)
  kDelivery,        // "QID: to=<r>, relay=..., delay=..., delays=a/b/c/d, dsn=X, status=S (text)"
  kConnectFailure,  // smtp "connect to h[a]:p: Connection refused"
  // qmgr
  kQmgrInserted,  // "QID: from=<s>, size=N, nrcpt=N (queue active)"
  kQmgrRemoved,   // "QID: removed"
  kQmgrExpired,   // "QID: from=<s>, status=expired, returned to sender" (also force-expired)
  kQmgrActiveQueueWarning,  // "warning: mail for X is using up N of M active queue entries"
  // cleanup
  kCleanupMessage,  // "QID: message-id=<...>"
  kCleanupAction,   // "QID: reject|hold|discard|redirect|milter-reject|...: ..."
  // others
  kBounceNotification,  // bounce "QID: sender non-delivery notification: QID2"
  kPostsuper,   // "QID: placed on hold" / "released from hold" / "expired" / "Deleted: N messages"
                // ...
  kPickup,      // "QID: uid=0 from=<...>"
  kPostscreen,  // every postscreen event; `reason` is the event label ("" = not counted)
};

struct PostfixRule;

/// The decoded event. Views point into the classified message.
struct PostfixEvent {
  PostfixKind kind = PostfixKind::kUnsupported;
  const PostfixRule* rule =
      nullptr;  // the table row that decided (nullptr: unsupported, or the fatal fallback)
  // Final, bounded label values (the collector counts them as they are):
  std::string_view severity;  // "warning", "error", "fatal", "panic", or "" (info)
  std::string_view reason;  // the row's value: kSessionEnd lost_connection|timeout|too_many_errors;
                            // kReject / kCleanupAction the action; kAnvilLimit / kAnvilStatistics
                            // the limit; kTlsHandshakeFailure the side (server|client); kPostscreen
                            // the event ("" = not counted); kPostsuper the action;
                            // kMasterProcessExit exit_status|signal; kFatal fatal|panic
  std::string_view
      cause;  // kReject the reason class (RejectRules); kTlsHandshakeFailure / kTlsLibraryProblem /
              // kConnectFailure the cause; kDelivery deferred|bounced: the DeliveryReason name
  std::string_view dependency;  // the failing dependency: policy | milter | lookup_table |
                                // sasl_backend | postfix_internal | content_filter ("" = none)
  std::string_view dependency_cause;  // refused, timeout, missing_socket, lost_connection,
                                      // lookup_error, tempfail, other
  std::string_view stage;             // SMTP stage, bounded: CONNECT, EHLO, STARTTLS, ..., other
  std::string_view code;              // 3-digit SMTP reply code
  std::string_view method;            // SASL method, bounded ("" when none, "other" when unknown)
  std::string_view trust;     // TLS "Anonymous" | "Untrusted" | "Trusted" | "Verified" | "other"
  std::string_view protocol;  // TLS protocol "TLSv1.3", ... | "other"
  std::string_view program;   // master: the daemon program (basename of the path), bounded
  std::string_view agent;   // kDelivery: the delivery agent (smtp, lmtp, local, ..., qmgr), bounded
  std::string_view status;  // kDelivery: sent, deferred, bounced, ..., other
  std::string_view dsn_class;  // kDelivery bounced: "5.1" from dsn=5.1.1, "unknown"
  DeliveryReason delivery_reason = DeliveryReason::kNone;  // kDelivery deferred|bounced
  // Raw fields (bounded by the collector's label policies, or not labels at all):
  std::string_view client;  // client address (inside [..]) when the line names one
  std::string_view dsn;     // "4.7.1"
  std::string_view text;    // the free text classified (reject text, delivery status text, error)
  std::string_view
      service;  // service named inside the message (anvil "for service S", "(smtpd:addr)")
  std::string_view server;     // policy server, milter or endpoint
  std::string_view user;       // SASL username
  std::string_view recipient;  // delivery "to=<..>"
  std::string_view relay;      // delivery relay=
  std::string_view cipher;
  bool outbound = false;           // TLS established "to" / SSL_connect
  std::array<double, 4> delays{};  // delays=a/b/c/d
  bool has_delays = false;
  double value = 0;  // anvil stats value, qmgr size, N in "Deleted: N messages", DNSBL rank
  double count = 0;  // qmgr nrcpt
};

/// Classifies the message of one Postfix line (text after "postfix/daemon[pid]: ")
/// for the daemon named by the syslog tag ("smtpd", "smtp", "lmtp", "qmgr",
/// "cleanup", "postscreen", "anvil", "bounce", "postsuper", "pickup", "local",
/// "virtual", "pipe", "error", "discard", ...) by walking the wording tables
/// of postfix_rules.h: literal matching, no regular expressions. Every label
/// value in the result is final and bounded. Pure.
[[nodiscard]] PostfixEvent ClassifyPostfix(std::string_view daemon, std::string_view message);

/// Bounded classes for free text.
/// A reject's reason: rbl, unknown_user, relay_denied, client_restriction, helo_restriction,
/// sender_restriction, policy_unavailable, lookup_failure, rate_limit, protocol, other.
[[nodiscard]] std::string_view RejectReasonClass(std::string_view code, std::string_view dsn,
                                                 std::string_view text);
/// Deferral and bounce reasons: see delivery_reason.h (shared with showq).
/// A TLS handshake failure's cause: lost_connection, timeout, reset, protocol_error, other.
[[nodiscard]] std::string_view TlsFailureCause(std::string_view text);
/// A TLS library problem's reason: wrong_version_number, unknown_ca, unsupported_protocol,
/// no_shared_cipher, certificate_verify_failed, other.
[[nodiscard]] std::string_view TlsLibraryReason(std::string_view text);

/// Splits anvil's "service:address" key. The service may hold colons itself
/// (an inet service named "127.0.0.1:2525") and so may the address (IPv6),
/// so the split is the first colon whose right side is an IP address and
/// whose left side is not a bare IP address (no master.cf service is named
/// like one). Without such a colon the whole key is the service. Pure.
void SplitAnvilKey(std::string_view key, std::string_view& service, std::string_view& address);

}  // namespace mailpath::logs::classify
