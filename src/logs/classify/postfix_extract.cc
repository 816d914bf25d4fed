// The named field extractors of the Postfix wording tables. Each reads the
// fields a row needs out of the text after its literal's scope and sets final
// (bounded) label values; the collector only counts.
#include "postfix_classify_internal.h"
#include "postfix_text.h"

namespace mailpath::logs::classify::internal {

using namespace text;
using std::string_view;
using X = Extractor;

namespace {

string_view After(string_view t, string_view literal) {
  const std::size_t at = t.find(literal);
  return at == string_view::npos ? string_view{} : t.substr(at + literal.size());
}

string_view Basename(string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == string_view::npos ? path : path.substr(slash + 1);
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

// The next hop of a delivery: relay=host[addr]:port, or for relay=none the "connect to
// host[addr]:port" text.
bool IsLoopbackHop(string_view relay, string_view text) {
  string_view hop = relay;
  if (hop.empty() || hop == "none") {
    if (!text.starts_with("connect to ")) return false;
    hop = text.substr(
        11, text.find(": ") == string_view::npos ? string_view::npos : text.find(": ") - 11);
  }
  const std::size_t open = hop.find('[');
  const std::size_t close = hop.find(']', open);
  if (open == string_view::npos || close == string_view::npos) return false;
  const string_view addr = hop.substr(open + 1, close - open - 1);
  return addr.starts_with("127.") || addr == "::1" || addr == "ipv6:::1";
}

// Mail handed to a service on this host (amavis :10024, a DKIM proxy, ...) is a content filter: its
// connection-level failures (and unexplained deferrals) name it.
string_view ContentFilterCause(DeliveryReason r) {
  switch (r) {
    case DeliveryReason::kConnectRefused:
      return "refused";
    case DeliveryReason::kConnectTimeout:
    case DeliveryReason::kGreetingTimeout:
    case DeliveryReason::kBodyTimeout:
    case DeliveryReason::kConversationTimeout:
      return "timeout";
    case DeliveryReason::kConnectionLost:
      return "lost_connection";
    case DeliveryReason::kOther:
      return "other";
    default:
      return "";
  }
}

bool Delivery(string_view rest, string_view daemon, PostfixEvent& ev) {
  ev.agent = DeliveryAgent(daemon);
  ev.recipient = Between(rest, "to=<", ">");
  ev.relay = Field(rest, "relay=");
  ev.dsn = Field(rest, "dsn=");
  if (const string_view d = Field(rest, "delays="); !d.empty()) ParseDelays(d, ev);
  const std::size_t st = rest.find(", status=");
  string_view status;
  if (st != string_view::npos) {
    string_view s = rest.substr(st + 9);
    const std::size_t sp = s.find(' ');
    status = s.substr(0, sp);
    if (sp != string_view::npos) {
      string_view t = s.substr(sp + 1);
      if (t.starts_with("(") && t.ends_with(")")) t = t.substr(1, t.size() - 2);
      ev.text = t;
    }
  }
  ev.status = DeliveryStatus(status);
  if (ev.status == "deferred" || ev.status == "bounced") {
    ev.delivery_reason = ClassifyDeliveryReason(ev.dsn, ev.text);
    ev.cause = DeliveryReasonName(ev.delivery_reason);
    if (ev.status == "bounced") ev.dsn_class = DsnClass(ev.dsn);
    if (ev.status == "deferred" && (ev.agent == "smtp" || ev.agent == "lmtp") &&
        IsLoopbackHop(ev.relay, ev.text)) {
      if (const string_view c = ContentFilterCause(ev.delivery_reason); !c.empty()) {
        ev.dependency = "content_filter";
        ev.dependency_cause = c;
      }
    }
  }
  return true;
}

// "STAGE from h[a]: 550 5.1.1 <x>: text; from=<s> to=<r> proto=ESMTP helo=<h>"
bool Reject(string_view rest, PostfixEvent& ev) {
  const std::size_t sp = rest.find(' ');
  if (sp == string_view::npos) return false;
  ev.stage = SmtpStage(rest.substr(0, sp));
  ev.code = "none";
  ev.cause = "other";
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
  const int row = MatchRejectRule(ev.dsn, ev.text);
  if (row >= 0) {
    const RejectRule& r = RejectRules()[static_cast<std::size_t>(row)];
    ev.cause = r.reason;
    // milter8.c's milter_default_action=tempfail reply: the milter is down, mail is refused.
    if (ev.reason == "milter-reject" && r.reason == "milter_unavailable") {
      ev.dependency = "milter";
      ev.dependency_cause = "tempfail";
    }
  }
  return true;
}

bool TlsSummary(string_view m, PostfixEvent& ev) {
  const std::size_t pos = m.find(" TLS connection ");
  if (pos == string_view::npos || pos > 12) return false;
  ev.trust = TlsTrust(m.substr(0, pos));
  string_view rest = m.substr(pos + 16);
  rest = rest.substr(rest.find(' ') + 1);  // after "established"/"reused"
  ev.outbound = rest.starts_with("to ");
  ev.protocol = TlsProtocol("");
  const std::size_t colon = rest.find(": ");
  if (colon == string_view::npos) return true;
  ev.client = BracketAddress(rest.substr(0, colon));
  string_view tail = rest.substr(colon + 2);
  ev.protocol = TlsProtocol(tail.substr(0, tail.find(' ')));
  ev.cipher = Between(tail, " with cipher ", " ");
  return true;
}

}  // namespace

bool Extract(const PostfixRule& r, string_view t, string_view rest, string_view daemon,
             PostfixEvent& ev) {
  switch (r.extractor) {
    case X::kNone:
      break;
    case X::kClient:
      ev.client = BracketAddress(rest);
      break;
    case X::kClientService: {
      const std::size_t from = t.find(" from ");
      ev.client = BracketAddress(from == string_view::npos ? rest : t.substr(from));
      const std::size_t svc = t.rfind(" for service ");
      if (svc != string_view::npos) ev.service = t.substr(svc + 13);
      break;
    }
    case X::kSasl: {
      const std::size_t sasl = t.find(": SASL ");
      ev.client = BracketAddress(t.substr(0, sasl));
      const string_view after = t.substr(sasl + 7);
      ev.method = SaslMethod(after.substr(0, after.find(' ')));
      if (ev.method.empty()) ev.method = "other";
      ev.user = Field(t, "sasl_username=");
      break;
    }
    case X::kTlsLibrary:
      ev.cause = TlsLibraryReason(rest);
      break;
    case X::kTlsFailure: {
      const string_view m = rest;
      const std::size_t colon = m.find("]: ");
      ev.client = BracketAddress(m);
      ev.outbound = r.value == "client";
      ev.cause = ValueOf(TlsFailureCauses(), colon == string_view::npos ? m : m.substr(colon + 3));
      break;
    }
    case X::kTlsSummary:
      return TlsSummary(t, ev);
    case X::kSessionEnd: {
      const std::size_t sp = rest.find(' ');
      if (sp == string_view::npos) return false;
      ev.stage = SmtpStage(rest.substr(0, sp));
      const std::size_t from = rest.find(" from ");
      ev.client = BracketAddress(rest.substr(from == string_view::npos ? sp : from));
      break;
    }
    case X::kStage: {
      ev.stage = SmtpStage(rest.substr(0, rest.find(' ')));
      break;
    }
    case X::kReject:
      return Reject(rest, ev);
    case X::kClientAccepted: {
      ev.client = BracketAddress(rest);
      ev.method = SaslMethod(Field(rest, "sasl_method="));
      ev.user = Field(rest, "sasl_username=");
      break;
    }
    case X::kDelivery:
      return Delivery(t, daemon, ev);
    case X::kConnectFailure: {
      const string_view m = rest;
      const std::size_t colon = m.rfind(": ");
      ev.text = colon == string_view::npos ? m : m.substr(colon + 2);
      ev.cause = ValueOf(ConnectCauses(), ev.text);
      break;
    }
    case X::kQmgrInserted: {
      ev.value = ToDouble(Field(t, "size="));
      const string_view n = Field(t, "nrcpt=");
      ev.count = ToDouble(n.substr(0, n.find(' ')));
      break;
    }
    case X::kPostscreenDnsbl:
      ev.client = BracketAddress(t);
      ev.value = ToDouble(rest);
      break;
    case X::kPostscreenReject: {
      ev.client = BracketAddress(t);
      const std::size_t after = t.find("]: ");
      if (after != string_view::npos) {
        string_view rest = t.substr(after + 3);
        const string_view code = rest.substr(0, rest.find(' '));
        if (IsReplyCode(code)) ev.code = code;
      }
      break;
    }
    case X::kAnvilStatistics: {
      const string_view s = rest;
      ev.value = ToDouble(s.substr(0, s.find_first_of("/ ")));
      SplitAnvilKey(Between(s, "(", ")"), ev.service, ev.client);
      break;
    }
    case X::kCount: {
      const string_view s = rest;
      ev.value = ToDouble(s.substr(0, s.find(' ')));
      break;
    }
    case X::kEndpoint: {
      const std::size_t colon = rest.rfind(": ");
      ev.server = colon == string_view::npos ? rest : rest.substr(0, colon);
      ev.text = colon == string_view::npos ? string_view{} : rest.substr(colon + 2);
      break;
    }
    case X::kMilterName: {
      const string_view rest = After(t, "milter ");
      // The name holds colons ("inet:127.0.0.1:8891"); the error follows the first ": ".
      const std::size_t colon = rest.find(": ");
      ev.server = rest.substr(0, colon);
      ev.text = colon == string_view::npos ? string_view{} : rest.substr(colon + 2);
      break;
    }
    case X::kMasterProcess: {
      string_view rest = t;
      Eat(rest, "process ");
      ev.program = DaemonProgram(Basename(rest.substr(0, rest.find(' '))));
      break;
    }
    case X::kMasterThrottle:
      ev.program = DaemonProgram(Basename(t.substr(0, t.find(": bad command startup"))));
      break;
    case X::kMasterLimit:
      ev.service = Between(t, "service \"", "\"");
      break;
  }
  return true;
}

}  // namespace mailpath::logs::classify::internal
