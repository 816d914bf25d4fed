// postscreen: both the Postfix < 3.6 and >= 3.6 wordings (WHITELISTED/ALLOWLISTED, ...).
#include "postfix_classify_internal.h"
#include "postfix_text.h"

namespace mailpath::logs::classify::internal {

using namespace text;
using std::string_view;

bool ClassifyPostscreen(string_view m, PostfixEvent& ev) {
  struct Prefix {
    string_view text;
    PostscreenEvent event;
  };
  static constexpr Prefix kPrefixes[] = {
      {"CONNECT from ", PostscreenEvent::kConnect},
      {"PASS NEW ", PostscreenEvent::kPassNew},
      {"PASS OLD ", PostscreenEvent::kPassOld},
      {"PREGREET ", PostscreenEvent::kPregreet},
      {"DNSBL rank ", PostscreenEvent::kDnsblRank},
      {"HANGUP after ", PostscreenEvent::kHangup},
      {"COMMAND TIME LIMIT ", PostscreenEvent::kCommandTimeLimit},
      {"COMMAND COUNT LIMIT ", PostscreenEvent::kCommandCountLimit},
      {"COMMAND LENGTH LIMIT ", PostscreenEvent::kCommandLengthLimit},
      {"COMMAND PIPELINING ", PostscreenEvent::kCommandPipelining},
      {"NON-SMTP COMMAND ", PostscreenEvent::kNonSmtpCommand},
      {"BARE NEWLINE ", PostscreenEvent::kBareNewline},
      {"DATA without valid RCPT", PostscreenEvent::kDataWithoutRcpt},
      {"BDAT without valid RCPT", PostscreenEvent::kDataWithoutRcpt},
      {"ALLOWLISTED ", PostscreenEvent::kAllowlisted},
      {"WHITELISTED ", PostscreenEvent::kAllowlisted},
      {"DENYLISTED ", PostscreenEvent::kDenylisted},
      {"BLACKLISTED ", PostscreenEvent::kDenylisted},
      {"ALLOWLIST VETO ", PostscreenEvent::kAllowlistVeto},
      {"WHITELIST VETO ", PostscreenEvent::kAllowlistVeto},
      {"DISCONNECT ", PostscreenEvent::kDisconnect},
      {"entering STRESS mode", PostscreenEvent::kStressEnter},
      {"leaving STRESS mode", PostscreenEvent::kStressLeave},
      {"reject: connect from ", PostscreenEvent::kAllPortsBusy},  // "all screening ports busy"
      {"cache ", PostscreenEvent::kNoise},
      {"using backwards-compatible default setting", PostscreenEvent::kNoise},
  };
  if (!ev.severity.empty()) {
    if (ev.severity == "warning" && (Has(m, "dnsblog reply timeout") || Has(m, "psc_cache_update"))) {
      ev.kind = PostfixKind::kPostscreen;
      ev.postscreen = PostscreenEvent::kNoise;
      return true;
    }
    return false;
  }
  for (const Prefix& p : kPrefixes) {
    if (m.starts_with(p.text)) {
      ev.kind = PostfixKind::kPostscreen;
      ev.postscreen = p.event;
      ev.client = BracketAddress(m);
      if (p.event == PostscreenEvent::kDnsblRank) ev.value = ToDouble(m.substr(p.text.size()));
      return true;
    }
  }
  string_view rest = m;
  if (Eat(rest, "NOQUEUE: reject: ")) {
    ev.kind = PostfixKind::kPostscreen;
    ev.client = BracketAddress(rest);
    if (rest.starts_with("CONNECT from ")) {
      ev.postscreen = Has(rest, "too many connections") ? PostscreenEvent::kTooManyConnections
                                                        : PostscreenEvent::kAllPortsBusy;
      return true;
    }
    ev.postscreen = PostscreenEvent::kReject;
    const std::size_t after = rest.find("]: ");
    if (after != string_view::npos) {
      string_view t = rest.substr(after + 3);
      const string_view code = t.substr(0, t.find(' '));
      if (IsReplyCode(code)) ev.code = code;
    }
    return true;
  }
  return false;
}

}  // namespace mailpath::logs::classify::internal
