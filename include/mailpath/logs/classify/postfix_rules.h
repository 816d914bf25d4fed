#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "mailpath/logs/classify/literal_rows.h"
#include "mailpath/logs/classify/postfix_event.h"

namespace mailpath::logs::classify {

/// The severity a row applies to.
enum class Level : std::uint8_t { kInfo, kWarning, kFatal /* fatal: or panic: */ };

/// What a row's literal is matched against: the message (severity removed),
/// or the text after its "QUEUEID: " (kQueueId), or after "QUEUEID: " or
/// "NOQUEUE: " (kQueueIdOrNoqueue).
enum class Scope : std::uint8_t { kMessage, kQueueId, kQueueIdOrNoqueue };

/// The named field extractor a row runs on its text (after the scope).
enum class Extractor : std::uint8_t {
  kNone,
  kClient,         // client = the address in the first "[...]"
  kClientService,  // client, and service = after " for service " (anvil limits, STARTTLS refusals)
  kSasl,           // "h[a]: SASL M authentication failed: ...[, sasl_username=u]"
  kTlsLibrary,     // cause = the OpenSSL reason (openssl_reason.h), else other
  kTlsFailure,  // client, cause from TlsFailureCauses; the row's value is the side (server|client)
  kTlsSummary,  // "<Trust> TLS connection established from|to h[a]: TLSv1.3 with cipher C ..."
  kSessionEnd,  // "STAGE[ (N bytes)] from h[a]" after the literal; value = the reason
  kStage,       // stage = the word after the literal
  kReject,      // "STAGE from h[a]: CODE DSN text; from=<...>": stage, client, code, dsn, cause
  kClientAccepted,    // "h[a][, sasl_method=M, sasl_username=u]"
  kDelivery,          // "to=<r>, relay=R, delay=D, delays=a/b/c/d, dsn=X, status=S (text)"
  kConnectFailure,    // "connect to h[a]:p: error": cause from ConnectCauses
  kQmgrInserted,      // "from=<s>, size=N, nrcpt=N (queue active)"
  kPostscreenDnsbl,   // "DNSBL rank N for [a]:p": value = N
  kPostscreenReject,  // "NOQUEUE: reject: RCPT from [a]:p: CODE ...": code
  kAnvilStatistics,   // "N[/60s] for (service:address) at ...": value, service, client
  kCount,             // value = the number after the literal ("Deleted: 6 messages")
  kEndpoint,  // the text between the literal and the last ": " is the endpoint, the rest the error
  kMilterName,      // "milter NAME: error" / "QID: milter NAME: error"
  kMasterProcess,   // "process /usr/lib/postfix/sbin/smtpd pid 4471 exit status 1"
  kMasterThrottle,  // "/usr/lib/postfix/sbin/smtpd: bad command startup -- throttling"
  kMasterLimit,     // "service "smtp" (25) has reached its process limit "100": ..."
};

/// One Postfix wording: a literal matcher (level, scope, anchor, literal and
/// an optional second literal `also` that must occur too), the kind and
/// bounded label values it yields, a named extractor where fields are
/// needed, one real example message (after "postfix/DAEMON[pid]: ",
/// severity included) with its daemon, and the wording's source.
struct PostfixRule {
  Level level = Level::kInfo;
  Scope scope = Scope::kMessage;
  Anchor anchor = Anchor::kPrefix;
  std::string_view literal;
  std::string_view also;  // "" = none
  PostfixKind kind = PostfixKind::kUnsupported;
  std::string_view
      value;  // the label the row fixes (ev.reason): action, reason, event, limit, side, ...
  std::string_view dependency;  // the failing dependency this wording names ("" = none)
  Extractor extractor = Extractor::kNone;
  std::string_view only_daemon;  // "" = any daemon the table serves
  std::string_view daemon;       // the daemon of the example
  std::string_view example;
  std::string_view source;
};

/// The most rows one table may hold: the walk indexes a table's rows in a
/// 64-bit mask per severity, scope and first byte.
inline constexpr std::size_t kMaxPostfixRulesPerTable = 64;

/// A table of rows with its name (the daemons it serves).
struct PostfixRuleTable {
  std::string_view name;
  std::span<const PostfixRule> rows;
};

/// Every Postfix wording table, in no particular order; within a table the
/// first matching row wins. ClassifyPostfix walks, per daemon: smtpd = tls,
/// smtpd, warnings; smtp/lmtp/local/virtual/pipe/error/retry/discard = tls,
/// delivery, warnings; qmgr; cleanup; postscreen; tlsproxy = tls; anything
/// else = other; each followed by warnings. Set ev.rule to the row.
[[nodiscard]] std::span<const PostfixRuleTable> PostfixRuleTables();

/// The small cause tables (TLS failure causes, OpenSSL reasons, connect and
/// dependency causes, Postfix-internal services), for the test that walks them.
[[nodiscard]] std::span<const NamedLiteralTable> PostfixCauseTables();

/// One smtpd reject wording: a literal in the reply text, or (literal empty)
/// an enhanced status code, and the bounded reason it means; one example
/// (reply text after the code, and its dsn) and the source.
struct RejectRule {
  std::string_view literal;
  std::string_view dsn;
  std::string_view reason;
  std::string_view example_dsn;
  std::string_view example;
  std::string_view source;
};

/// The reject-reason table behind RejectReasonClass, in matching order.
[[nodiscard]] std::span<const RejectRule> RejectRules();

/// The index of the first reject row matching (dsn, text), or -1 ("other"). Pure.
int MatchRejectRule(std::string_view dsn, std::string_view text);

/// Bounded cause of a dependency failure from its error text: refused,
/// timeout, missing_socket, lost_connection, lookup_error, tempfail, other.
[[nodiscard]] std::string_view DependencyCause(std::string_view error);

}  // namespace mailpath::logs::classify
