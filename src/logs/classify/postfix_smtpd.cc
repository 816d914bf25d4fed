// smtpd (and the TLS/SASL/anvil/policy lines any smtpd service writes).
#include "postfix_classify_internal.h"
#include "postfix_text.h"

namespace mailpath::logs::classify::internal {

using namespace text;
using std::string_view;

namespace {

// "lost connection after STARTTLS from h[a]", "timeout after DATA (123 bytes) from h[a]".
bool SessionEnd(string_view m, PostfixEvent& ev) {
  for (string_view reason : {"lost connection after ", "timeout after ", "too many errors after "}) {
    string_view rest = m;
    if (!Eat(rest, reason)) continue;
    const std::size_t sp = rest.find(' ');
    if (sp == string_view::npos) return false;
    ev.kind = PostfixKind::kSessionEnd;
    ev.reason = reason.substr(0, reason.size() - 7);  // drop " after "
    ev.stage = rest.substr(0, sp);
    ev.client = BracketAddress(rest.substr(rest.find(" from ") == string_view::npos ? sp : rest.find(" from ")));
    return true;
  }
  return false;
}

// "reject: RCPT from h[a]: 550 5.1.1 <x>: text; from=<s> to=<r> proto=ESMTP helo=<h>"
bool Reject(string_view m, PostfixEvent& ev) {
  const std::size_t colon = m.find(": ");
  if (colon == string_view::npos) return false;
  const string_view action = m.substr(0, colon);
  for (string_view a : {"reject", "reject_warning", "hold", "discard", "redirect", "filter", "warn", "bcc",
                        "prepend", "defer_if_permit", "defer_if_reject", "milter-reject", "milter-discard",
                        "milter-hold"}) {
    if (action != a) continue;
    string_view rest = m.substr(colon + 2);
    const std::size_t sp = rest.find(' ');
    if (sp == string_view::npos) return false;
    ev.kind = PostfixKind::kReject;
    ev.reason = a;
    ev.stage = rest.substr(0, sp);
    const std::size_t after = rest.find("]: ");
    if (after == string_view::npos) return true;
    ev.client = BracketAddress(rest.substr(sp));
    string_view t = rest.substr(after + 3);
    const string_view code = t.substr(0, t.find(' '));
    if (IsReplyCode(code)) {
      ev.code = code;
      t.remove_prefix(code.size() + (t.size() > code.size() ? 1 : 0));
      const string_view dsn = t.substr(0, t.find(' '));
      if (IsDsn(dsn)) ev.dsn = dsn;
    }
    ev.text = t.substr(0, t.rfind("; from=<"));
    return true;
  }
  return false;
}

// "Anonymous TLS connection established from h[a]: TLSv1.3 with cipher X (256/256 bits) ..."
bool TlsEstablished(string_view m, PostfixEvent& ev) {
  const std::size_t at = m.find(" TLS connection established ");
  const std::size_t reused = m.find(" TLS connection reused ");
  const std::size_t pos = at != string_view::npos ? at : reused;
  if (pos == string_view::npos || pos > 12) return false;
  ev.kind = PostfixKind::kTlsEstablished;
  ev.trust = m.substr(0, pos);
  string_view rest = m.substr(m.find(" TLS connection ", pos) + 16);
  rest = rest.substr(rest.find(' ') + 1);  // after "established"/"reused"
  ev.outbound = rest.starts_with("to ");
  const std::size_t colon = rest.find(": ");
  if (colon == string_view::npos) return true;
  ev.client = BracketAddress(rest.substr(0, colon));
  string_view tail = rest.substr(colon + 2);
  ev.protocol = tail.substr(0, tail.find(' '));
  ev.cipher = Between(tail, " with cipher ", " ");
  return true;
}

}  // namespace

bool ClassifySmtpdCommon(string_view m, PostfixEvent& ev) {
  if (ev.severity == "warning") {
    if (m.find(" limit exceeded: ") != string_view::npos) {
      ev.kind = PostfixKind::kAnvilLimit;
      ev.reason = AnvilLimitKind(m);
      const std::size_t from = m.find(" from ");
      if (from != string_view::npos) ev.client = BracketAddress(m.substr(from));
      const std::size_t svc = m.rfind(" for service ");
      if (svc != string_view::npos) ev.service = m.substr(svc + 13);
      return true;
    }
    if (Eat(m, "Refusing STARTTLS request from ")) {
      ev.kind = PostfixKind::kStarttlsRefused;
      ev.client = BracketAddress(m);
      const std::size_t svc = m.rfind(" for service ");
      if (svc != string_view::npos) ev.service = m.substr(svc + 13);
      return true;
    }
    if (Eat(m, "TLS library problem: ")) {
      ev.kind = PostfixKind::kTlsLibraryProblem;
      ev.reason = TlsLibraryReason(m);
      return true;
    }
    if (m.find(" authentication failed: ") != string_view::npos && m.find(": SASL ") != string_view::npos) {
      ev.kind = PostfixKind::kSaslFailure;
      ev.client = BracketAddress(m.substr(0, m.find(": SASL ")));
      const string_view after = m.substr(m.find(": SASL ") + 7);
      ev.method = after.substr(0, after.find(' '));
      ev.user = Field(m, "sasl_username=");
      return true;
    }
    if (Eat(m, "hostname ") && Has(m, " does not resolve to address ")) {
      ev.kind = PostfixKind::kFcrdnsError;
      return true;
    }
    return false;
  }
  if (ev.severity.empty()) {
    if (Eat(m, "SSL_accept error from ") || (Eat(m, "SSL_connect error to ") && (ev.outbound = true))) {
      ev.kind = PostfixKind::kTlsHandshakeFailure;
      const std::size_t colon = m.find("]: ");
      ev.client = BracketAddress(m);
      ev.reason = TlsFailureCause(colon == string_view::npos ? m : m.substr(colon + 3));
      return true;
    }
    if (TlsEstablished(m, ev)) return true;
  }
  return false;
}

bool ClassifySmtpd(string_view m, PostfixEvent& ev) {
  if (ClassifySmtpdCommon(m, ev)) return true;
  if (!ev.severity.empty()) return false;
  if (Eat(m, "connect from ")) {
    ev.kind = PostfixKind::kConnect;
    ev.client = BracketAddress(m);
    return true;
  }
  if (Eat(m, "disconnect from ")) {
    ev.kind = PostfixKind::kDisconnect;
    ev.client = BracketAddress(m);
    return true;
  }
  if (Eat(m, "improper command pipelining after ")) {
    ev.kind = PostfixKind::kImproperPipelining;
    ev.stage = m.substr(0, m.find(' '));
    return true;
  }
  if (SessionEnd(m, ev)) return true;
  // Everything else starts with "NOQUEUE: " or "QUEUEID: ".
  const std::size_t colon = m.find(": ");
  if (colon == string_view::npos) return false;
  const string_view id = m.substr(0, colon);
  if (id != "NOQUEUE" && !IsQueueId(id)) return false;
  string_view rest = m.substr(colon + 2);
  if (SessionEnd(rest, ev)) return true;  // Postfix >= 3.10 prefixes session ends
  if (Eat(rest, "client=")) {
    ev.kind = PostfixKind::kClientAccepted;
    ev.client = BracketAddress(rest);
    ev.method = Field(rest, "sasl_method=");
    ev.user = Field(rest, "sasl_username=");
    return true;
  }
  if (Reject(rest, ev)) return true;
  if (rest.starts_with("filter: ") || rest.starts_with("milter-")) {  // milter-redirect, milter-header-...
    ev.kind = PostfixKind::kKnownIgnored;
    return true;
  }
  return false;
}

}  // namespace mailpath::logs::classify::internal
