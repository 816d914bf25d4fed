// Delivery agents (smtp, lmtp, local, virtual, pipe, error, retry, discard), qmgr and cleanup.
#include "postfix_classify_internal.h"
#include "postfix_text.h"

namespace mailpath::logs::classify::internal {

using namespace text;
using std::string_view;

namespace {

// "QUEUEID: rest" -> rest, or false.
bool AfterQueueId(string_view m, string_view& rest) {
  const std::size_t colon = m.find(": ");
  if (colon == string_view::npos || !IsQueueId(m.substr(0, colon))) return false;
  rest = m.substr(colon + 2);
  return true;
}

void ParseDelays(string_view d, PostfixEvent& ev) {
  for (int i = 0; i < 4; ++i) {
    const std::size_t slash = d.find('/');
    ev.delays[i] = ToDouble(d.substr(0, slash));
    if (slash == string_view::npos) {
      ev.has_delays = i == 3;
      return;
    }
    d.remove_prefix(slash + 1);
  }
  ev.has_delays = true;
}

}  // namespace

bool ClassifyDeliveryAgent(string_view m, PostfixEvent& ev) {
  if (ClassifySmtpdCommon(m, ev)) return true;  // TLS established/failed on the client side
  if (!ev.severity.empty()) return false;
  if (Eat(m, "connect to ")) {
    ev.kind = PostfixKind::kConnectFailure;
    const std::size_t colon = m.rfind(": ");
    ev.text = colon == string_view::npos ? m : m.substr(colon + 2);
    return true;
  }
  string_view rest;
  if (!AfterQueueId(m, rest)) return false;
  if (!rest.starts_with("to=<")) {
    if (rest.starts_with("host ") || rest.starts_with("enabling PIX") || rest.starts_with("lost connection") ||
        rest.starts_with("conversation with")) {
      ev.kind = PostfixKind::kKnownIgnored;  // per-attempt notes; the to= line carries the outcome
      return true;
    }
    return false;
  }
  ev.kind = PostfixKind::kDelivery;
  ev.recipient = Between(rest, "to=<", ">");
  ev.relay = Field(rest, "relay=");
  ev.dsn = Field(rest, "dsn=");
  if (const string_view d = Field(rest, "delays="); !d.empty()) ParseDelays(d, ev);
  const std::size_t st = rest.find(", status=");
  if (st != string_view::npos) {
    string_view s = rest.substr(st + 9);
    const std::size_t sp = s.find(' ');
    ev.status = s.substr(0, sp);
    if (sp != string_view::npos) {
      string_view t = s.substr(sp + 1);
      if (t.starts_with("(") && t.ends_with(")")) t = t.substr(1, t.size() - 2);
      ev.text = t;
    }
  }
  return true;
}

bool ClassifyQmgr(string_view m, PostfixEvent& ev) {
  if (ev.severity == "warning") {
    if (Eat(m, "mail for ") && Has(m, " active queue entries")) {
      ev.kind = PostfixKind::kQmgrActiveQueueWarning;
      return true;
    }
    if (m.starts_with("this may slow down other mail deliveries")) {
      ev.kind = PostfixKind::kKnownIgnored;
      return true;
    }
    return false;
  }
  if (!ev.severity.empty()) return false;
  string_view rest;
  if (!AfterQueueId(m, rest)) return false;
  if (rest == "removed") {
    ev.kind = PostfixKind::kQmgrRemoved;
    return true;
  }
  if (rest.starts_with("from=<")) {
    const string_view status = Field(rest, "status=");
    if (status.starts_with("expired") || status.starts_with("force-expired")) {
      ev.kind = PostfixKind::kQmgrExpired;
      return true;
    }
    ev.kind = PostfixKind::kQmgrInserted;
    ev.value = ToDouble(Field(rest, "size="));
    string_view n = Field(rest, "nrcpt=");
    ev.count = ToDouble(n.substr(0, n.find(' ')));
    return true;
  }
  if (rest.starts_with("to=<")) {  // qmgr's own deferrals/bounces ("delivery temporarily suspended")
    return ClassifyDeliveryAgent(m, ev);
  }
  if (rest.starts_with("skipped, still being delivered") || rest.starts_with("status=")) {
    ev.kind = PostfixKind::kKnownIgnored;
    return true;
  }
  return false;
}

bool ClassifyCleanup(string_view m, PostfixEvent& ev) {
  if (!ev.severity.empty()) return false;
  string_view rest;
  if (!AfterQueueId(m, rest)) return false;
  if (rest.starts_with("message-id=") || rest.starts_with("resent-message-id=")) {
    ev.kind = PostfixKind::kCleanupMessage;
    return true;
  }
  const std::size_t colon = rest.find(": ");
  const string_view action = rest.substr(0, colon);
  for (string_view a : {"reject", "hold", "discard", "redirect", "filter", "warning", "replace", "prepend", "bcc",
                        "milter-reject", "milter-hold", "milter-discard", "milter-redirect", "canceled"}) {
    if (action == a) {
      ev.kind = PostfixKind::kCleanupAction;
      ev.reason = a;
      return true;
    }
  }
  if (rest.starts_with("info: ")) {
    ev.kind = PostfixKind::kKnownIgnored;
    return true;
  }
  return false;
}

}  // namespace mailpath::logs::classify::internal
