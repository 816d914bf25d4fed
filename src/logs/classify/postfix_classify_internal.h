#pragma once
// The Postfix wording tables behind ClassifyPostfix (one file per daemon
// family) and the extractors their rows name.

#include <span>
#include <string_view>

#include "mailpath/logs/classify/postfix_event.h"
#include "mailpath/logs/classify/postfix_rules.h"

namespace mailpath::logs::classify::internal {

std::span<const PostfixRule> TlsRules();    // TLS, SASL, anvil: smtpd, smtp, lmtp, tlsproxy
std::span<const PostfixRule> SmtpdRules();  // smtpd sessions, rejects, accepted mail
std::span<const PostfixRule>
DeliveryRules();  // smtp, lmtp, local, virtual, pipe, error, retry, discard
std::span<const PostfixRule> QmgrRules();
std::span<const PostfixRule> CleanupRules();
std::span<const PostfixRule> PostscreenRules();
std::span<const PostfixRule> OtherRules();    // anvil, bounce, postsuper, pickup, master notices
std::span<const PostfixRule> WarningRules();  // dependencies and daemon health, any daemon

/// Runs the row's extractor over `text` (the text its scope names; `rest` is
/// what follows the row's literal in it). False when the line does not have
/// the shape the extractor needs (the walk goes on to the next row).
bool Extract(const PostfixRule& rule, std::string_view text, std::string_view rest,
             std::string_view daemon, PostfixEvent& ev);

// Cause tables (postfix_reasons.cc).
std::span<const LiteralRow> TlsFailureCauses();
std::span<const LiteralRow> ConnectCauses();
std::span<const LiteralRow> DependencyCauses();
std::span<const LiteralRow> PostfixInternalServices();

// Bounded label values for fields read out of a line (postfix_reasons.cc).
std::string_view SmtpStage(std::string_view s);
std::string_view SaslMethod(std::string_view m);  // "" stays ""
std::string_view DeliveryStatus(std::string_view s);
std::string_view DaemonProgram(std::string_view p);
std::string_view DeliveryAgent(std::string_view daemon);
std::string_view TlsTrust(std::string_view t);
std::string_view TlsProtocol(std::string_view p);

}  // namespace mailpath::logs::classify::internal
