#include "mailpath/logs/postfix_daemon_guess.h"

#include <utility>

#include "mailpath/common/text.h"

namespace mailpath::logs {
namespace {

using std::string_view;

// "3F2A1B2C3D: rest" (short or long queue id) -> "rest"; false without one.
bool AfterQueueId(string_view m, string_view& rest) {
  const std::size_t colon = m.find(": ");
  if (colon == string_view::npos || colon < 5 || colon > 20) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    if (!IsAsciiAlnum(m[i])) return false;
  }
  rest = m.substr(colon + 2);
  return true;
}

// The delivery agent from "relay=VALUE,": smtp's relay always has "[addr]"
// or is "none"; local, virtual and pipe name their transport.
string_view DeliveryAgent(string_view rest) {
  const std::size_t at = rest.find(", relay=");
  if (at == string_view::npos) return "smtp";
  string_view relay = rest.substr(at + 8);
  relay = relay.substr(0, relay.find(','));
  if (relay == "local") return "local";
  if (relay == "virtual") return "virtual";
  if (relay.find("lmtp") != string_view::npos) return "lmtp";
  if (relay == "none" || relay.find('[') != string_view::npos) return "smtp";
  return "pipe";
}

}  // namespace

string_view GuessPostfixDaemon(string_view m) {
  for (string_view sev : {"warning: ", "error: ", "fatal: ", "panic: "}) {
    if (m.starts_with(sev)) {
      m.remove_prefix(sev.size());
      break;
    }
  }
  // postscreen names clients as "[addr]:port", smtpd as "name[addr]".
  static constexpr std::pair<string_view, string_view> kPrefixes[] = {
      {"CONNECT from [", "postscreen"},
      {"PASS NEW [", "postscreen"},
      {"PASS OLD [", "postscreen"},
      {"DNSBL rank ", "postscreen"},
      {"PREGREET ", "postscreen"},
      {"HANGUP after ", "postscreen"},
      {"DISCONNECT [", "postscreen"},
      {"NOQUEUE: reject: RCPT from [", "postscreen"},
      {"connect from ", "smtpd"},
      {"disconnect from ", "smtpd"},
      {"lost connection after ", "smtpd"},
      {"timeout after ", "smtpd"},
      {"too many errors after ", "smtpd"},
      {"NOQUEUE: ", "smtpd"},
      {"improper command pipelining ", "smtpd"},
      {"statistics: max connection ", "anvil"},
      {"statistics: max message rate ", "anvil"},
      {"statistics: max recipient rate ", "anvil"},
      {"statistics: max newtls rate ", "anvil"},
      {"statistics: max auth rate ", "anvil"},
      {"statistics: max cache size ", "anvil"},
      {"daemon started", "master"},
      {"terminating on signal", "master"},
      {"reload -- ", "master"},
      {"process /", "master"},
      {"Deleted: ", "postsuper"},
      {"Placed on hold: ", "postsuper"},
      {"Released from hold: ", "postsuper"},
      {"Requeued: ", "postsuper"},
  };
  for (const auto& [prefix, daemon] : kPrefixes) {
    if (m.starts_with(prefix)) return daemon;
  }
  if (m.find(" TLS connection established from ") != string_view::npos) return "smtpd";
  if (m.find(" TLS connection established to ") != string_view::npos) return "smtp";
  if (m.find(": SASL ") != string_view::npos &&
      m.find(" authentication failed") != string_view::npos)
    return "smtpd";
  if (m.find("bad command startup -- throttling") != string_view::npos ||
      m.find("has reached its process limit") != string_view::npos) {
    return "master";
  }
  if (m.starts_with("connect to ")) return "smtp";
  string_view rest;
  if (!AfterQueueId(m, rest)) return "";
  static constexpr std::pair<string_view, string_view> kQueued[] = {
      {"client=", "smtpd"},
      {"reject: RCPT from ", "smtpd"},
      {"reject: header ", "cleanup"},
      {"reject: body ", "cleanup"},
      {"milter-reject: ", "cleanup"},
      {"message-id=", "cleanup"},
      {"resent-message-id=", "cleanup"},
      {"uid=", "pickup"},
      {"removed", "qmgr"},
      {"sender non-delivery notification: ", "bounce"},
      {"sender delivery status notification: ", "bounce"},
  };
  for (const auto& [prefix, daemon] : kQueued) {
    if (rest.starts_with(prefix)) return daemon;
  }
  if (rest.starts_with("from=<")) {
    // qmgr: "from=<a@b>, size=1, nrcpt=1 (queue active)" and "from=<>, status=expired, returned to
    // sender"
    if (rest.find(", nrcpt=") != string_view::npos ||
        rest.find(", status=expired") != string_view::npos) {
      return "qmgr";
    }
    return "";
  }
  if (rest.starts_with("to=<")) return DeliveryAgent(rest);
  if (rest.starts_with("host ") || rest.starts_with("lost connection with ") ||
      rest.starts_with("conversation with ")) {
    return "smtp";
  }
  return "";
}

}  // namespace mailpath::logs
