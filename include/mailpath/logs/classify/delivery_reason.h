#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "mailpath/logs/classify/literal_rows.h"

namespace mailpath::logs::classify {

/// Why a delivery was deferred or bounced, in one fixed vocabulary shared by
/// the showq collector (per-recipient `reason`) and the log classifier
/// (`status=deferred|bounced (text)`). A label value: bounded by construction.
enum class DeliveryReason : std::uint8_t {
  kNone = 0,             // no reason recorded (showq: not tried yet)
  kRateLimited,          // provider rate limits, volume deferrals, "too many connections"
  kGreylisted,           // greylisting (postgrey, sqlgrey, milter-greylist, rspamd, ...)
  kBlocklisted,          // DNSBL/RBL hits and providers' own block lists
  kReputation,           // "spam", "unsolicited", "low reputation" without a named list
  kAuthentication,       // SPF / DKIM / DMARC failures
  kReverseDns,           // missing or mismatched PTR ("cannot find your hostname")
  kTlsRequired,          // TLS demanded but not offered or refused
  kTls,                  // TLS handshake or certificate failure
  kUnknownUser,          // recipient does not exist
  kMailboxFull,          // quota, mailbox full, X.2.2
  kMessageTooBig,        // size limit, X.2.3 / X.3.4
  kPolicy,               // other remote policy refusal (relay denied, access denied, 4.7.1 ...)
  kDns,                  // DNS lookup failures (ours, or the remote's on our names)
  kConnectTimeout,       // "connect to ...: Connection timed out"
  kConnectRefused,       // "connect to ...: Connection refused"
  kNoRoute,              // "No route to host", "Network is unreachable"
  kGreetingTimeout,      // "timed out while receiving the initial server greeting"
  kBodyTimeout,          // "timed out while sending message body / end of data"
  kConversationTimeout,  // a timeout at another SMTP stage
  kConnectionLost,       // "lost connection with ... while ..."
  kSuspended,            // qmgr "delivery temporarily suspended" with no further reason
  kOther,
};

inline constexpr std::size_t kDeliveryReasonCount = 23;

/// The label value: "none", "rate_limited", "greylisted", "blocklisted",
/// "reputation", "authentication", "reverse_dns", "tls_required", "tls",
/// "unknown_user", "mailbox_full", "message_too_big", "policy", "dns",
/// "connect_timeout", "connect_refused", "no_route", "greeting_timeout",
/// "body_timeout", "conversation_timeout", "connection_lost", "suspended",
/// "other".
[[nodiscard]] std::string_view DeliveryReasonName(DeliveryReason r);

/// Every reason in enum order.
[[nodiscard]] const std::array<DeliveryReason, kDeliveryReasonCount>& AllDeliveryReasons();

/// Where a rule's literal is looked for.
enum class ReasonScope : std::uint8_t {
  kPostfix,  // Postfix's own wording (case-sensitive), in the text outside any remote reply
  kReply,    // a remote server's (or a local delivery agent's) text, case-insensitive
};

/// One row of the vocabulary: the first row whose literal occurs wins.
struct ReasonRule {
  std::string_view literal;  // lower case for kReply rows
  DeliveryReason reason;
  ReasonScope scope;
  std::string_view example;  // a whole reason text (anonymised) that lands on this row
  std::string_view source;   // where the wording comes from
};

/// The rule table, in matching order.
[[nodiscard]] std::span<const ReasonRule> DeliveryReasonRules();

/// When no wording decides: a row on the enhanced status code's detail
/// ("7.28" of "4.7.28"), with the reason it means. First match wins.
struct ReasonCodeRule {
  Anchor anchor;
  std::string_view literal;
  DeliveryReason reason;
  bool remote_only;          // only for a remote server's reply (X.7.x as policy)
  std::string_view example;  // a dsn that lands on the row
  std::string_view source;
};

/// The code table, in matching order.
[[nodiscard]] std::span<const ReasonCodeRule> DeliveryReasonCodeRules();

/// The result with the index of the deciding row (-1: decided by the
/// enhanced status code or the default).
struct ReasonMatch {
  DeliveryReason reason = DeliveryReason::kOther;
  int rule = -1;
};

/// Classifies a defer or bounce reason: Postfix's text in a `status=` line's
/// parentheses or a showq recipient's `reason`. `dsn` is the `dsn=` field when
/// known ("" = read it from the text). Literal scanning, no regex. Pure.
[[nodiscard]] ReasonMatch MatchDeliveryReason(std::string_view dsn, std::string_view text);
[[nodiscard]] inline DeliveryReason ClassifyDeliveryReason(std::string_view dsn,
                                                           std::string_view text) {
  return MatchDeliveryReason(dsn, text).reason;
}

/// The class and subject of an enhanced status code ("5.1.1" -> "5.1"), or
/// "unknown" when `dsn` is not one. Bounded: at most 3 x 8 values.
[[nodiscard]] std::string_view DsnClass(std::string_view dsn);

}  // namespace mailpath::logs::classify
