// ClassifyPostfix: picks the tables that serve the daemon and walks them; the
// first row whose literal matches (and whose extractor finds its fields)
// decides. Everything a wording means is in its row.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "mailpath/logs/classify/postfix_event.h"
#include "mailpath/logs/classify/postfix_rules.h"
#include "postfix_classify_internal.h"
#include "postfix_text.h"

namespace mailpath::logs::classify {
namespace {

using std::string_view;
using namespace internal;

// The text a row's scope names, worked out once per line.
struct Scoped {
  string_view message;
  string_view after_id;        // after "QUEUEID: " ("" = the line has no queue id)
  string_view after_id_or_nq;  // after "QUEUEID: " or "NOQUEUE: "
  bool has_id = false;
  bool has_id_or_nq = false;

  explicit Scoped(string_view m) : message(m) {
    // A queue id is 5-20 letters and digits before the first ": " (text::IsQueueId): only the first
    // 21 bytes are searched for its colon.
    const void* colon = std::memchr(m.data(), ':', std::min<std::size_t>(m.size(), 21));
    if (colon == nullptr) return;
    const std::size_t n = static_cast<std::size_t>(static_cast<const char*>(colon) - m.data());
    if (n < 5 || n + 1 >= m.size() || m[n + 1] != ' ') return;
    for (std::size_t i = 0; i < n; ++i) {
      if (!IsAsciiAlnum(m[i])) return;
    }
    const string_view id = m.substr(0, n);
    has_id = true;
    has_id_or_nq = has_id || id == "NOQUEUE";
    if (has_id) after_id = m.substr(n + 2);
    if (has_id_or_nq) after_id_or_nq = m.substr(n + 2);
  }
};

// The row level a line's severity fits; "error:" lines fit none.
int LineLevel(string_view severity) {
  if (severity.empty()) return static_cast<int>(Level::kInfo);
  if (severity == "warning") return static_cast<int>(Level::kWarning);
  if (severity == "fatal" || severity == "panic") return static_cast<int>(Level::kFatal);
  return -1;
}

// A table with, per severity and per scope, the rows a text starting with a given byte can match
// (prefix and equals rows only when their literal starts with it; contains and suffix rows always),
// as bit masks in row order. The walk then visits only candidate rows, in order, so the first match
// is the same as a full walk's.
struct IndexedTable {
  std::span<const PostfixRule> rows;
  std::uint64_t level[3] = {};
  std::uint64_t by_byte[3][256] = {};

  explicit IndexedTable(std::span<const PostfixRule> r) : rows(r) {
    if (rows.size() > kMaxPostfixRulesPerTable)
      std::abort();  // PostfixRuleTables.tables_fit_the_walk_index
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const PostfixRule& row = rows[i];
      const std::uint64_t bit = std::uint64_t{1} << i;
      level[static_cast<int>(row.level)] |= bit;
      auto& bytes = by_byte[static_cast<int>(row.scope)];
      const bool anchored = row.anchor == Anchor::kPrefix || row.anchor == Anchor::kEquals;
      if (anchored && !row.literal.empty()) {
        bytes[static_cast<unsigned char>(row.literal[0])] |= bit;
      } else {
        for (auto& m : bytes) m |= bit;
      }
    }
  }
};

bool Walk(const IndexedTable& table, string_view daemon, int level, const Scoped& s,
          PostfixEvent& ev) {
  auto first = [](string_view t) { return t.empty() ? 0 : static_cast<unsigned char>(t[0]); };
  std::uint64_t candidates = table.by_byte[static_cast<int>(Scope::kMessage)][first(s.message)];
  if (s.has_id) candidates |= table.by_byte[static_cast<int>(Scope::kQueueId)][first(s.after_id)];
  if (s.has_id_or_nq)
    candidates |=
        table.by_byte[static_cast<int>(Scope::kQueueIdOrNoqueue)][first(s.after_id_or_nq)];
  candidates &= table.level[level];
  while (candidates != 0) {
    const int i = std::countr_zero(candidates);
    candidates &= candidates - 1;
    const PostfixRule& r = table.rows[static_cast<std::size_t>(i)];
    if (!r.only_daemon.empty() && r.only_daemon != daemon) continue;
    const string_view t = r.scope == Scope::kMessage   ? s.message
                          : r.scope == Scope::kQueueId ? s.after_id
                                                       : s.after_id_or_nq;
    std::size_t at = 0;  // where the literal is in t
    if (r.anchor == Anchor::kContains) {
      if ((at = t.find(r.literal)) == string_view::npos) continue;
    } else if (!Holds(r.anchor, t, r.literal)) {
      continue;
    } else if (r.anchor == Anchor::kSuffix) {
      at = t.size() - r.literal.size();
    }
    if (!r.also.empty() && t.find(r.also) == string_view::npos) continue;
    ev.kind = r.kind;
    ev.reason = r.value;
    if (!Extract(r, t, t.substr(at + r.literal.size()), daemon, ev)) {
      const string_view severity = ev.severity;
      ev = PostfixEvent{};
      ev.severity = severity;
      continue;
    }
    ev.rule = &r;
    if (!r.dependency.empty()) {
      ev.dependency = r.dependency;
      // The error: what the extractor read (endpoint rows), else the whole message, unless the row
      // fixes it.
      const string_view error = r.extractor == Extractor::kNone ? t : ev.text;
      ev.dependency_cause = DependencyCause(r.value.empty() ? error : r.value);
      if (r.kind == PostfixKind::kPolicyFailure && ev.server.find('/') != string_view::npos) {
        const string_view name = ev.server.substr(ev.server.find('/') + 1);
        if ((ev.server.starts_with("private/") || ev.server.starts_with("public/")) &&
            FirstRow(PostfixInternalServices(), name) >= 0) {
          ev.kind = PostfixKind::kDependencyFailure;
          ev.dependency = "postfix_internal";
        }
      }
    }
    if (r.kind == PostfixKind::kFatal) ev.reason = ev.severity;
    return true;
  }
  return false;
}

// The tables a daemon's lines are matched against, in order (the warnings table comes last for
// all); built once, behind one guard.
struct DaemonTables {
  IndexedTable tls{TlsRules()}, smtpd{SmtpdRules()}, delivery{DeliveryRules()}, qmgr{QmgrRules()},
      cleanup{CleanupRules()}, postscreen{PostscreenRules()}, other{OtherRules()},
      warnings{WarningRules()};
  const IndexedTable* for_smtpd[3] = {&tls, &smtpd, &warnings};
  const IndexedTable* for_agent[3] = {&tls, &delivery, &warnings};
  const IndexedTable* for_qmgr[2] = {&qmgr, &warnings};
  const IndexedTable* for_cleanup[2] = {&cleanup, &warnings};
  const IndexedTable* for_postscreen[2] = {&postscreen, &warnings};
  const IndexedTable* for_tlsproxy[2] = {&tls, &warnings};
  const IndexedTable* for_other[2] = {&other, &warnings};

  std::span<const IndexedTable* const> For(string_view daemon) const {
    if (daemon == "smtpd") return for_smtpd;
    if (daemon == "smtp" || daemon == "lmtp" || daemon == "local" || daemon == "virtual" ||
        daemon == "pipe" || daemon == "error" || daemon == "retry" || daemon == "discard") {
      return for_agent;
    }
    if (daemon == "qmgr" || daemon == "nqmgr") return for_qmgr;
    if (daemon == "cleanup") return for_cleanup;
    if (daemon == "postscreen") return for_postscreen;
    if (daemon == "tlsproxy") return for_tlsproxy;
    return for_other;
  }
};

}  // namespace

PostfixEvent ClassifyPostfix(std::string_view daemon, std::string_view message) {
  PostfixEvent ev;
  std::string_view m = message;
  const char c0 = m.empty() ? '\0' : m[0];
  for (std::string_view sev : {"warning", "error", "fatal", "panic"}) {
    if (c0 != sev[0]) continue;
    if (m.size() > sev.size() + 1 && m.starts_with(sev) && m[sev.size()] == ':' &&
        m[sev.size() + 1] == ' ') {
      ev.severity = sev;
      m.remove_prefix(sev.size() + 2);
      break;
    }
  }
  const Scoped scoped(m);
  const int level = LineLevel(ev.severity);
  static const DaemonTables kTables;
  if (level >= 0) {
    for (const IndexedTable* table : kTables.For(daemon)) {
      if (Walk(*table, daemon, level, scoped, ev)) return ev;
    }
  }
  if (ev.severity == "fatal" || ev.severity == "panic") {
    ev.kind = PostfixKind::kFatal;  // any daemon's fatal:/panic: line no row names
    ev.reason = ev.severity;
    return ev;
  }
  const std::string_view severity = ev.severity;
  ev = PostfixEvent{};
  ev.severity = severity;
  return ev;
}

std::span<const PostfixRuleTable> PostfixRuleTables() {
  static const PostfixRuleTable kTables[] = {
      {"tls (smtpd, smtp, lmtp, tlsproxy)", TlsRules()},
      {"smtpd", SmtpdRules()},
      {"delivery (smtp, lmtp, local, virtual, pipe, error, retry, discard)", DeliveryRules()},
      {"qmgr", QmgrRules()},
      {"cleanup", CleanupRules()},
      {"postscreen", PostscreenRules()},
      {"other (anvil, bounce, postsuper, pickup, master)", OtherRules()},
      {"warnings (any daemon)", WarningRules()},
  };
  return kTables;
}

}  // namespace mailpath::logs::classify
