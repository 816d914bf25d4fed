#include "mailpath/logs/classify/postfix_event.h"
#include "mailpath/logs/classify/postfix_rules.h"
#include "postfix_classify_internal.h"
#include "postfix_text.h"

namespace mailpath::logs::classify {
namespace internal {

using namespace text;
using std::string_view;

bool ClassifyOther(string_view daemon, string_view m, PostfixEvent& ev) {
  string_view rest;
  const std::size_t colon = m.find(": ");
  const bool has_id = colon != string_view::npos && IsQueueId(m.substr(0, colon));
  if (has_id) rest = m.substr(colon + 2);
  if (daemon == "anvil") {
    if (Eat(m, "statistics: max ")) {
      if (m.starts_with("cache size")) {
        ev.kind = PostfixKind::kKnownIgnored;
        return true;
      }
      ev.kind = PostfixKind::kAnvilStatistics;
      // "connection rate 11/60s for (smtpd:1.2.3.4) at ..." / "connection count 5 for (...)"
      for (auto [prefix, kind] : {std::pair{"connection rate ", "connection_rate"},
                                  std::pair{"connection count ", "connection_count"},
                                  std::pair{"message rate ", "message_rate"},
                                  std::pair{"recipient rate ", "recipient_rate"},
                                  std::pair{"newtls rate ", "newtls_rate"}, std::pair{"auth rate ", "auth_rate"},
                                  std::pair{"tlstrace rate ", "tlstrace_rate"}}) {
        string_view s = m;
        if (Eat(s, prefix)) {
          ev.reason = kind;
          ev.value = ToDouble(s.substr(0, s.find_first_of("/ ")));
          SplitAnvilKey(Between(s, "(", ")"), ev.service, ev.client);
          return true;
        }
      }
      ev.reason = "other";
      return true;
    }
    return false;
  }
  if (daemon == "bounce" && has_id) {
    if (Has(rest, "non-delivery notification") || Has(rest, "delivery status notification") ||
        Has(rest, "sender notification failed")) {
      ev.kind = Has(rest, "non-delivery notification") ? PostfixKind::kBounceNotification : PostfixKind::kKnownIgnored;
      return true;
    }
    return false;
  }
  if (daemon == "postsuper") {
    // The summary ("Deleted: 6 messages") is logged for every run; the
    // per-message lines ("F2861112169: removed") only for some (not for
    // "-d ALL" in 3.7), so the summary carries the count. Checked before the
    // queue-id test: "Deleted" looks like a long queue id.
    for (auto [summary, action] : {std::pair{"Placed on hold: ", "hold"}, std::pair{"Released from hold: ", "release"},
                                   std::pair{"Force-expired: ", "expire"}, std::pair{"Requeued: ", "requeue"},
                                   std::pair{"Deleted: ", "delete"}}) {
      string_view s = m;
      if (Eat(s, summary)) {
        ev.kind = PostfixKind::kPostsuper;
        ev.reason = action;
        ev.value = ToDouble(s.substr(0, s.find(' ')));
        return true;
      }
    }
    for (string_view prefix : {"placed on hold", "released from hold", "expired", "requeued", "removed"}) {
      if (has_id && rest.starts_with(prefix)) {
        ev.kind = PostfixKind::kKnownIgnored;  // counted by the summary line
        return true;
      }
    }
    return false;
  }
  if (daemon == "pickup" && has_id && rest.starts_with("uid=")) {
    ev.kind = PostfixKind::kPickup;
    return true;
  }
  if ((daemon == "master" || daemon == "postfix-script" || daemon == "postlogd") && ev.severity.empty()) {
    ev.kind = PostfixKind::kKnownIgnored;  // daemon start/stop/reload notices
    return true;
  }
  return false;
}

}  // namespace internal

PostfixEvent ClassifyPostfix(std::string_view daemon, std::string_view message) {
  PostfixEvent ev;
  std::string_view m = message;
  for (std::string_view sev : {"warning", "error", "fatal", "panic"}) {
    if (m.size() > sev.size() + 1 && m.starts_with(sev) && m[sev.size()] == ':' && m[sev.size() + 1] == ' ') {
      ev.severity = sev;
      m.remove_prefix(sev.size() + 2);
      break;
    }
  }
  bool ok = false;
  if (daemon == "smtpd") {
    ok = internal::ClassifySmtpd(m, ev);
  } else if (daemon == "smtp" || daemon == "lmtp" || daemon == "local" || daemon == "virtual" ||
             daemon == "pipe" || daemon == "error" || daemon == "retry" || daemon == "discard") {
    ok = internal::ClassifyDeliveryAgent(m, ev);
  } else if (daemon == "qmgr" || daemon == "nqmgr") {
    ok = internal::ClassifyQmgr(m, ev);
  } else if (daemon == "cleanup") {
    ok = internal::ClassifyCleanup(m, ev);
  } else if (daemon == "postscreen") {
    ok = internal::ClassifyPostscreen(m, ev);
  } else if (daemon == "tlsproxy") {
    ok = internal::ClassifySmtpdCommon(m, ev);
  } else {
    ok = internal::ClassifyOther(daemon, m, ev);
  }
  if (!ok && ev.severity == "warning") ok = MatchPostfixWarning(daemon, m, ev) >= 0;
  if (!ok && (ev.severity == "fatal" || ev.severity == "panic")) {
    ev.kind = PostfixKind::kFatal;
    // smtpd_sasl_glue.c: the SASL backend answered with no mechanisms (or not at all).
    if (m.starts_with("no SASL authentication mechanisms")) ev.dependency = "sasl_backend";
    ok = true;
  }
  if (!ok) {
    const std::string_view severity = ev.severity;
    ev = PostfixEvent{};
    ev.severity = severity;
    ev.kind = PostfixKind::kUnsupported;
  }
  return ev;
}

}  // namespace mailpath::logs::classify
