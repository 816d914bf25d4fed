#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace mailpath::showq {

/// Why a recipient is waiting, reduced to a small fixed set so it can be a
/// label value. Derived from Postfix's defer reason text (the `reason` of a
/// showq recipient, or the parenthesised text of a `status=deferred` log line)
/// and the SMTP reply / enhanced status code inside it.
enum class ReasonClass : std::size_t {
  kNone = 0,             // no reason recorded (not tried yet)
  kRemoteThrottling,     // remote 421, or 4.7.x without policy wording: rate limits, volume
  kPolicy,               // remote policy refusal: greylisting, blocklists, access denied
  kMailboxFull,          // X.2.2 or quota / mailbox full wording
  kTlsFailure,           // TLS required but not offered, handshake or certificate failure
  kConnectTimeout,       // "connect to ...: Connection timed out"
  kConnectionRefused,    // "Connection refused"
  kNoRoute,              // "No route to host", "Network is unreachable"
  kConversationTimeout,  // "timed out while receiving the initial server greeting" etc.
  kConnectionLost,       // "lost connection with ... while ..."
  kDnsFailure,           // local lookup failures: "Host or domain name not found", ...
  kOther,                // anything else (other remote 4xx replies, local errors)
};

inline constexpr std::size_t kReasonClassCount = 12;

/// The label value of a class: "none", "remote_throttling", "policy",
/// "mailbox_full", "tls_failure", "connect_timeout", "connection_refused",
/// "no_route", "conversation_timeout", "connection_lost", "dns_failure",
/// "other".
[[nodiscard]] std::string_view ReasonClassName(ReasonClass c);

/// Every class, in enum order (for reporting all of them, 0 when absent).
[[nodiscard]] const std::array<ReasonClass, kReasonClassCount>& AllReasonClasses();

/// The SMTP reply code and enhanced status code found in a reason text.
struct ReplyCodes {
  int reply = 0;              // 3-digit SMTP reply, 0 if none
  std::string_view enhanced;  // "4.7.1" or empty
};

/// Extracts the remote reply part of a reason, i.e. the text after
/// "said: " or "refused to talk to me: ", and the codes at its start.
/// Returns false when the reason carries no remote reply. Pure.
[[nodiscard]] bool ExtractRemoteReply(std::string_view reason, std::string_view& reply_text,
                                      ReplyCodes& codes);

/// Classifies one defer reason. `dsn` is the enhanced status code when known
/// from elsewhere (the `dsn=` field of a log line); empty means "take it
/// from the text". Pure.
[[nodiscard]] ReasonClass ClassifyReason(std::string_view reason, std::string_view dsn = {});

}  // namespace mailpath::showq
