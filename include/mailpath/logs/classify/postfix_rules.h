#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "mailpath/logs/classify/postfix_event.h"

namespace mailpath::logs::classify {

/// How a warning rule finds its literal in the message (after "warning: ").
enum class Anchor : std::uint8_t { kPrefix, kContains };

/// Which fields a rule reads out of the message.
enum class Extractor : std::uint8_t {
  kNone,
  kEndpoint,       // the text between the literal and the last ": " is the endpoint, the rest the error
  kMilterName,     // "milter NAME: error" / "QID: milter NAME: error"
  kMasterProcess,  // "process /usr/lib/postfix/sbin/smtpd pid 4471 exit status 1"
  kMasterThrottle, // "/usr/lib/postfix/sbin/smtpd: bad command startup -- throttling"
  kMasterLimit,    // "service "smtp" (25) has reached its process limit "100": ..."
};

/// One Postfix warning wording about a dependency or the master's health: a
/// row of literal matchers with the label values it yields, one real example
/// line (the message after "postfix/DAEMON[pid]: ") and its source.
struct PostfixWarningRule {
  Anchor anchor;
  std::string_view literal;
  PostfixKind kind;
  std::string_view dependency;  // kDependencyFailure / kPolicyFailure: the label value
  std::string_view reason;      // fixed reason value ("" = from the extractor)
  Extractor extractor;
  std::string_view daemon;      // the daemon of the example
  std::string_view only_daemon; // "" = any daemon; else the row applies to this daemon only
  std::string_view example;     // the whole message, "warning: " included
  std::string_view source;
};

/// The table, in matching order (first match wins).
[[nodiscard]] std::span<const PostfixWarningRule> PostfixWarningRules();

/// Applies the table to a warning message (severity already removed). The
/// index of the matching row, or -1. Pure.
int MatchPostfixWarning(std::string_view daemon, std::string_view message, PostfixEvent& ev);

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
