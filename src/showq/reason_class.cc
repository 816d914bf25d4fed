#include "mailpath/showq/reason_class.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>

namespace mailpath::showq {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Case-insensitive substring search; `needle` is lower case.
bool Contains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  const auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                              [](char a, char b) { return Lower(a) == b; });
  return it != hay.end();
}

bool ContainsAny(std::string_view hay, std::initializer_list<std::string_view> needles) {
  for (const auto n : needles) {
    if (Contains(hay, n)) return true;
  }
  return false;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "4.7.1" at the start of `text`: class digit, dot, 1-3 digits, dot, 1-3 digits.
std::string_view LeadingEnhancedCode(std::string_view text) {
  if (text.size() < 5 || !(text[0] == '2' || text[0] == '4' || text[0] == '5') || text[1] != '.') {
    return {};
  }
  std::size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    const std::size_t start = i;
    while (i < text.size() && IsDigit(text[i]) && i - start < 3) ++i;
    if (i == start) return {};
    if (part == 0) {
      if (i >= text.size() || text[i] != '.') return {};
      ++i;
    }
  }
  if (i < text.size() && !(text[i] == ' ' || text[i] == '\t')) return {};
  return text.substr(0, i);
}

std::string_view StripPrefix(std::string_view text, std::string_view prefix) {
  if (text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix) {
    return text.substr(prefix.size());
  }
  return text;
}

// Second digit group of an enhanced code ("4.7.1" -> '7'; "4.2.2" -> "2.2").
std::string_view Subject(std::string_view enhanced) {
  return enhanced.size() >= 3 ? enhanced.substr(2) : std::string_view{};
}

// Postfix's own TLS wordings (smtp/smtp_proto.c, tls/tls_client.c). Not a
// bare "handshake": "lost connection ... while performing the EHLO handshake"
// is not a TLS problem.
bool IsTlsText(std::string_view text) {
  return ContainsAny(
      text, {"tls is required", "cannot start tls", "refused to start tls", "tls handshake",
             "tls library problem", "ssl_connect", "certificate not", "certificate verification"});
}

bool IsQuota(std::string_view text, std::string_view enhanced) {
  const std::string_view subject = Subject(enhanced);
  if (subject == "2.2") return true;
  return ContainsAny(text, {"quota", "mailbox full", "mailbox is full", "insufficient storage",
                            "mailbox size limit", "storage limit"});
}

bool IsPolicyText(std::string_view text) {
  return ContainsAny(
      text, {"greylist", "graylist", "policy", "blocklist", "blacklist", "denylist", "listed",
             "spam", "access denied", "not permitted", "reputation", "blocked"});
}

bool IsThrottleText(std::string_view text) {
  return ContainsAny(
      text, {"too many", "rate limit", "ratelimit", "slow down", "throttl", "temporarily deferred",
             "try again later", "unusual rate", "volume", "exceeded"});
}

ReasonClass ClassifyRemote(std::string_view reply, const ReplyCodes& codes) {
  if (IsQuota(reply, codes.enhanced)) return ReasonClass::kMailboxFull;
  if (ContainsAny(reply, {"starttls", " tls"})) return ReasonClass::kTlsFailure;
  const bool security = Subject(codes.enhanced).starts_with("7");
  // Greylisting and blocklists often also say "try again later": policy first.
  if (IsPolicyText(reply)) return ReasonClass::kPolicy;
  if (IsThrottleText(reply)) return ReasonClass::kRemoteThrottling;
  if (codes.reply == 421 || security) return ReasonClass::kRemoteThrottling;
  return ReasonClass::kOther;
}

}  // namespace

std::string_view ReasonClassName(ReasonClass c) {
  switch (c) {
    case ReasonClass::kNone:
      return "none";
    case ReasonClass::kRemoteThrottling:
      return "remote_throttling";
    case ReasonClass::kPolicy:
      return "policy";
    case ReasonClass::kMailboxFull:
      return "mailbox_full";
    case ReasonClass::kTlsFailure:
      return "tls_failure";
    case ReasonClass::kConnectTimeout:
      return "connect_timeout";
    case ReasonClass::kConnectionRefused:
      return "connection_refused";
    case ReasonClass::kNoRoute:
      return "no_route";
    case ReasonClass::kConversationTimeout:
      return "conversation_timeout";
    case ReasonClass::kConnectionLost:
      return "connection_lost";
    case ReasonClass::kDnsFailure:
      return "dns_failure";
    case ReasonClass::kOther:
      return "other";
  }
  return "other";
}

const std::array<ReasonClass, kReasonClassCount>& AllReasonClasses() {
  static constexpr std::array<ReasonClass, kReasonClassCount> kAll = {
      ReasonClass::kNone,
      ReasonClass::kRemoteThrottling,
      ReasonClass::kPolicy,
      ReasonClass::kMailboxFull,
      ReasonClass::kTlsFailure,
      ReasonClass::kConnectTimeout,
      ReasonClass::kConnectionRefused,
      ReasonClass::kNoRoute,
      ReasonClass::kConversationTimeout,
      ReasonClass::kConnectionLost,
      ReasonClass::kDnsFailure,
      ReasonClass::kOther,
  };
  return kAll;
}

bool ExtractRemoteReply(std::string_view reason, std::string_view& reply_text, ReplyCodes& codes) {
  codes = {};
  std::size_t at = std::string_view::npos;
  for (const std::string_view marker :
       {std::string_view("said: "), std::string_view("refused to talk to me: ")}) {
    if (const std::size_t pos = reason.find(marker); pos != std::string_view::npos) {
      at = pos + marker.size();
      break;
    }
  }
  if (at == std::string_view::npos) return false;
  reply_text = reason.substr(at);
  std::string_view rest = reply_text;
  if (rest.size() >= 3 && IsDigit(rest[0]) && IsDigit(rest[1]) && IsDigit(rest[2]) &&
      (rest.size() == 3 || rest[3] == ' ' || rest[3] == '-')) {
    codes.reply = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
    rest.remove_prefix(std::min<std::size_t>(4, rest.size()));
  }
  codes.enhanced = LeadingEnhancedCode(rest);
  return true;
}

ReasonClass ClassifyReason(std::string_view reason, std::string_view dsn) {
  // The queue manager's wrapper around the reason of a whole destination.
  reason = StripPrefix(reason, "delivery temporarily suspended: ");
  if (reason.find_first_not_of(" \t") == std::string_view::npos) return ReasonClass::kNone;

  std::string_view reply;
  ReplyCodes codes;
  if (ExtractRemoteReply(reason, reply, codes)) {
    if (codes.enhanced.empty()) codes.enhanced = dsn;
    return ClassifyRemote(reply, codes);
  }
  // Local and connection-level reasons, worded by Postfix itself.
  if (IsTlsText(reason)) return ReasonClass::kTlsFailure;
  if (Contains(reason, "connection timed out")) return ReasonClass::kConnectTimeout;
  if (Contains(reason, "connection refused")) return ReasonClass::kConnectionRefused;
  if (ContainsAny(reason, {"no route to host", "network is unreachable"})) {
    return ReasonClass::kNoRoute;
  }
  if (Contains(reason, "timed out while")) return ReasonClass::kConversationTimeout;
  if (Contains(reason, "lost connection with")) return ReasonClass::kConnectionLost;
  if (ContainsAny(reason,
                  {"host or domain name not found", "name service error", "unable to look up",
                   "host not found", "no mx host", "has no a record", "malformed dns"}) ||
      dsn == "4.4.3") {
    return ReasonClass::kDnsFailure;
  }
  if (IsQuota(reason, dsn)) return ReasonClass::kMailboxFull;
  return ReasonClass::kOther;
}

}  // namespace mailpath::showq
