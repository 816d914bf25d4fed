// Bounded classes for the free text in Postfix lines.
#include "mailpath/logs/classify/postfix_event.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "postfix_text.h"

namespace mailpath::logs::classify {

using text::Has;

std::string_view RejectReasonClass(std::string_view code, std::string_view dsn, std::string_view t) {
  if (Has(t, "Service unavailable - try again later")) return "milter_unavailable";  // milter8.c default action
  if (Has(t, "blocked using") || Has(t, "listed by")) return "rbl";
  if (Has(t, "Relay access denied")) return "relay_denied";
  if (Has(t, "User unknown") || Has(t, "Recipient address rejected: undeliverable address") ||
      Has(t, "unknown user") || dsn == "5.1.1") {
    return "unknown_user";
  }
  if (dsn == "4.3.5" || Has(t, "Server configuration problem") || Has(t, "Server configuration error")) {
    return "policy_unavailable";
  }
  if (dsn == "4.3.0" || Has(t, "Temporary lookup failure")) return "lookup_failure";
  if (Has(t, "too many") || Has(t, "Too many") || Has(t, "rate limit") || Has(t, "Rate limit") ||
      Has(t, "too much mail") || Has(t, "slow down")) {
    return "rate_limit";
  }
  if (Has(t, "Protocol error") || Has(t, "Improper use of SMTP command pipelining")) return "protocol";
  if (Has(t, "Helo command rejected")) return "helo_restriction";
  if (Has(t, "Sender address rejected")) return "sender_restriction";
  if (Has(t, "Client host rejected")) return "client_restriction";
  if (Has(t, "Recipient address rejected")) return "recipient_restriction";
  (void)code;
  return "other";
}

std::string_view TlsFailureCause(std::string_view t) {
  if (Has(t, "lost connection")) return "lost_connection";
  if (Has(t, "timed out")) return "timeout";
  if (Has(t, "reset by peer")) return "reset";
  if (t == "-1" || Has(t, ": -1") || t.ends_with(" -1")) return "protocol_error";
  return "other";
}

std::string_view TlsLibraryReason(std::string_view t) {
  if (Has(t, "wrong version number") || Has(t, "http request")) return "wrong_version_number";
  if (Has(t, "unknown ca") || Has(t, "bad certificate") || Has(t, "certificate unknown")) return "unknown_ca";
  if (Has(t, "unsupported protocol") || Has(t, "version too low")) return "unsupported_protocol";
  if (Has(t, "no shared cipher")) return "no_shared_cipher";
  if (Has(t, "certificate verify failed")) return "certificate_verify_failed";
  return "other";
}

std::string_view AnvilLimitKind(std::string_view t) {
  if (t.starts_with("Connection concurrency")) return "connection_count";
  if (t.starts_with("Connection rate")) return "connection_rate";
  if (t.starts_with("Message delivery request rate")) return "message_rate";
  if (t.starts_with("Recipient address rate")) return "recipient_rate";
  if (t.starts_with("New TLS session rate")) return "newtls_rate";
  if (t.starts_with("AUTH command rate")) return "auth_rate";
  return "other";
}

}  // namespace mailpath::logs::classify

namespace mailpath::logs::classify {
namespace {

bool IsIpAddress(std::string_view s) {
  if (s.empty() || s.size() >= INET6_ADDRSTRLEN) return false;
  char buf[INET6_ADDRSTRLEN];
  s.copy(buf, s.size());
  buf[s.size()] = '\0';
  unsigned char addr[sizeof(in6_addr)];
  return inet_pton(AF_INET, buf, addr) == 1 || inet_pton(AF_INET6, buf, addr) == 1;
}

}  // namespace

void SplitAnvilKey(std::string_view key, std::string_view& service, std::string_view& address) {
  for (std::size_t colon = key.find(':'); colon != std::string_view::npos; colon = key.find(':', colon + 1)) {
    const std::string_view left = key.substr(0, colon);
    const std::string_view right = key.substr(colon + 1);
    if (!left.empty() && IsIpAddress(right) && !IsIpAddress(left)) {
      service = left;
      address = right;
      return;
    }
  }
  service = key;
  address = {};
}

}  // namespace mailpath::logs::classify
