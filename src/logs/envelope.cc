#include "mailpath/logs/envelope.h"

#include "mailpath/common/text.h"
#include "mailpath/logs/log_timestamp.h"
#include "mailpath/logs/postfix_daemon_guess.h"

namespace mailpath::logs {
namespace {

using std::string_view;

string_view NextToken(string_view& s) {
  const std::size_t sp = s.find(' ');
  string_view tok = s.substr(0, sp);
  s = sp == string_view::npos ? string_view{} : s.substr(sp + 1);
  return tok;
}

string_view TrimLeadingSpaces(string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

// "prog[pid]: msg", "prog: msg" or "prog[pid]:" into ident and message.
bool ParseTag(string_view rest, Envelope& env) {
  const std::size_t colon = rest.find(": ");
  string_view tag;
  if (colon == string_view::npos || colon == 0) {
    if (rest.empty() || rest.back() != ':') return false;
    tag = rest.substr(0, rest.size() - 1);  // "prog[pid]:" with an empty message
    env.message = {};
  } else {
    tag = rest.substr(0, colon);
    env.message = TrimLeadingSpaces(rest.substr(colon + 2));
  }
  if (tag.find(' ') != string_view::npos) return false;
  env.ident = tag.substr(0, tag.find('['));
  return !env.ident.empty();
}

// "prog[1234]:" (a syslog tag with a pid), as opposed to Dovecot's
// "imap(alice)<12><sess>:" whose user or session may hold anything.
bool IsPidTag(string_view word) {
  const std::size_t open = word.find('[');
  if (open == 0 || open == string_view::npos || word.size() < open + 4 || !word.ends_with("]:"))
    return false;
  if (word.substr(0, open).find_first_of("(<") != string_view::npos) return false;
  for (std::size_t i = open + 1; i + 2 < word.size(); ++i) {
    if (!IsAsciiDigit(word[i])) return false;
  }
  return true;
}

// What follows a stamp: "host prog[pid]: msg"; a hostless "prog[pid]: msg"
// (the first word is a tag with a pid); or Dovecot's log_path
// shape "process: msg", which has neither host nor pid.
EnvelopeFormat ParseAfterStamp(string_view rest, EnvelopeFormat with_host, Envelope& env) {
  rest = TrimLeadingSpaces(rest);
  const std::size_t sp = rest.find(' ');
  const string_view first = rest.substr(0, sp);
  if (first.size() > 1 && first.back() == ':') {
    if (IsPidTag(first)) return ParseTag(rest, env) ? with_host : EnvelopeFormat::kMalformed;
    env.ident = "dovecot";
    env.message = rest;
    return EnvelopeFormat::kDovecotFile;
  }
  if (first.empty() || sp == string_view::npos) return EnvelopeFormat::kMalformed;
  env.host = first;
  return ParseTag(TrimLeadingSpaces(rest.substr(sp + 1)), env) ? with_host
                                                               : EnvelopeFormat::kMalformed;
}

// RFC 5424 section 6 after "<PRI>": "1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]".
EnvelopeFormat ParseRfc5424(string_view rest, Envelope& env) {
  rest.remove_prefix(2);  // "1 "
  const string_view stamp = NextToken(rest);
  if (stamp != "-" && ParseRfc3339Stamp(stamp, env.timestamp_us) != stamp.size())
    return EnvelopeFormat::kMalformed;
  env.host = NextToken(rest);
  if (env.host == "-") env.host = {};
  env.ident = NextToken(rest);
  NextToken(rest);  // PROCID
  NextToken(rest);  // MSGID
  if (rest.starts_with("-")) {
    rest.remove_prefix(1);
  } else if (rest.starts_with("[")) {
    // Structured data: balanced [..] elements, honouring \] escapes.
    std::size_t i = 0;
    while (i < rest.size() && rest[i] == '[') {
      ++i;
      while (i < rest.size() && rest[i] != ']') i += (rest[i] == '\\') ? 2 : 1;
      if (i >= rest.size()) return EnvelopeFormat::kMalformed;  // unterminated
      ++i;
    }
    rest.remove_prefix(i);
  } else {
    return EnvelopeFormat::kMalformed;
  }
  if (!rest.empty() && rest.front() != ' ') return EnvelopeFormat::kMalformed;
  rest = TrimLeadingSpaces(rest);
  if (rest.starts_with("\xEF\xBB\xBF")) rest = TrimLeadingSpaces(rest.substr(3));  // BOM
  if (env.ident.empty() || env.ident == "-") return EnvelopeFormat::kMalformed;
  env.message = rest;
  return EnvelopeFormat::kRfc5424;
}

EnvelopeFormat ParseCri(string_view inner, std::int64_t now_us, std::int32_t offset, Envelope& env);

// Every shape that starts with a stamp (no PRI, no TAI64N label).
EnvelopeFormat ParseStamped(string_view line, std::int64_t now_us, std::int32_t offset,
                            Envelope& env, bool allow_cri = true) {
  std::size_t used = 0;
  EnvelopeFormat format = EnvelopeFormat::kRfc3164;
  if (IsAsciiDigit(line[0])) {
    if ((used = ParseRfc3339Stamp(line, env.timestamp_us)) != 0) {
      format = EnvelopeFormat::kRfc3339;
    } else if ((used = ParseLocalIsoStamp(line, offset, env.timestamp_us)) != 0) {
      format = EnvelopeFormat::kRfc3339;
    } else if ((used = ParseUnixStamp(line, env.timestamp_us)) != 0) {
      format = EnvelopeFormat::kJournalUnix;
    }
  } else if ((used = ParseBsdStamp(line, now_us, offset, env.timestamp_us)) == 0 &&
             (used = ParseShortFullStamp(line, offset, env.timestamp_us)) != 0) {
    format = EnvelopeFormat::kJournalFull;
  }
  if (used == 0 || used >= line.size() || line[used] != ' ') return EnvelopeFormat::kMalformed;
  const string_view rest = line.substr(used + 1);
  if (allow_cri && format == EnvelopeFormat::kRfc3339 && rest.size() > 9 && rest[0] == 's' &&
      rest[6] == ' ' && (rest[7] == 'F' || rest[7] == 'P') && rest[8] == ' ' &&
      (rest.starts_with("stdout ") || rest.starts_with("stderr "))) {
    return ParseCri(rest.substr(9), now_us, offset, env);
  }
  return ParseAfterStamp(rest, format, env);
}

// Kubernetes CRI: "<stamp> stdout F <the container's own line>"; `env`
// holds the runtime's stamp, which is kept.
EnvelopeFormat ParseCri(string_view inner, std::int64_t now_us, std::int32_t offset,
                        Envelope& env) {
  const std::int64_t runtime_us = env.timestamp_us;
  if (inner.empty() ||
      ParseStamped(inner, now_us, offset, env, false) == EnvelopeFormat::kMalformed) {
    env = Envelope{};
    if (!ParseTag(inner, env)) return EnvelopeFormat::kMalformed;
  }
  env.timestamp_us = runtime_us;
  return EnvelopeFormat::kCri;
}

}  // namespace

Envelope ParseEnvelope(string_view line, std::int64_t now_us, std::int32_t local_offset_seconds) {
  Envelope env;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!line.empty() && line[0] == '\xEF' && line.starts_with("\xEF\xBB\xBF"))
    line.remove_prefix(3);  // a BOM
  if (line.empty()) return env;
  EnvelopeFormat format = EnvelopeFormat::kMalformed;
  if (line[0] == '[') {
    // journalctl -o short-monotonic "[ 1234.567890] " or short-delta "[ 1234.567890 <    0.000123>]
    // ".
    const std::size_t close = line.find("] ");
    if (close == string_view::npos || close > 40) return env;
    for (const char c : line.substr(1, close - 1)) {
      if (!IsAsciiDigit(c) && c != ' ' && c != '.' && c != '<' && c != '>') return env;
    }
    if (ParseAfterStamp(line.substr(close + 2), EnvelopeFormat::kJournalMonotonic, env) ==
        EnvelopeFormat::kMalformed) {
      return Envelope{};
    }
    env.format = EnvelopeFormat::kJournalMonotonic;
    return env;
  }
  if (line[0] == '<') {
    const std::size_t gt = line.find('>');
    if (gt == string_view::npos || gt < 2 || gt > 4) return env;
    const string_view rest = line.substr(gt + 1);
    if (rest.starts_with("1 ")) {
      format = ParseRfc5424(rest, env);
    } else if (!rest.empty() && rest[0] != '<' && rest[0] != '@') {
      format = ParseStamped(rest, now_us, local_offset_seconds, env);
    }
  } else if (line[0] == '@') {
    std::int64_t label_us = 0;
    const std::size_t used = ParseTai64nStamp(line, label_us);
    if (used == 0 || used + 1 >= line.size() || line[used] != ' ') return env;
    const string_view rest = line.substr(used + 1);
    if (ParseStamped(rest, now_us, local_offset_seconds, env) == EnvelopeFormat::kMalformed) {
      env = Envelope{};
      if (!ParseTag(rest, env)) return Envelope{};
    }
    format = EnvelopeFormat::kTai64n;
    env.timestamp_us = label_us;  // the label is exact; an inner stamp is local time at best
  } else {
    format = ParseStamped(line, now_us, local_offset_seconds, env);
  }
  if (format == EnvelopeFormat::kMalformed) return Envelope{};
  env.format = format;
  return env;
}

bool IsFramingOnly(string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == string_view::npos) return true;
  return line.size() >= 5 && line.starts_with("-- ") && line.ends_with(" --");
}

void SplitIdent(string_view ident, LogRecord& record) {
  record.instance = {};
  record.service = {};
  record.daemon = {};
  if (ident.starts_with("dovecot")) {
    record.program = Program::kDovecot;
    record.instance = ident;
    record.daemon = "dovecot";
    record.service = "dovecot";
    return;
  }
  if (!ident.starts_with("postfix")) {
    record.program = Program::kForeign;
    return;
  }
  record.program = Program::kPostfix;
  const std::size_t slash = ident.find('/');
  if (slash == string_view::npos) {
    record.instance = ident;  // no daemon in the tag: ParseLogLine asks the message
    return;
  }
  record.instance = ident.substr(0, slash);
  const string_view tail = ident.substr(slash + 1);
  const std::size_t last = tail.rfind('/');
  record.daemon = last == string_view::npos ? tail : tail.substr(last + 1);
  record.service = last == string_view::npos ? tail : tail.substr(0, tail.find('/'));
  if (record.daemon.empty() || record.service.empty()) record.program = Program::kForeign;
}

void ResolveProgram(string_view ident, LogRecord& record) {
  SplitIdent(ident, record);
  if (record.program != Program::kPostfix || !record.daemon.empty()) return;
  const string_view daemon = GuessPostfixDaemon(record.message);
  if (!daemon.empty()) {
    record.daemon = record.service = daemon;
  } else if (record.instance == "postfix") {
    record.daemon = record.service = "unknown";
  } else {
    record.program = Program::kForeign;  // "postfix-policyd-spf-perl" and kin: not Postfix's own
  }
}

bool ParseLogLine(string_view line, std::int64_t now_us, LogRecord& record,
                  std::int32_t local_offset_seconds) {
  const Envelope env = ParseEnvelope(line, now_us, local_offset_seconds);
  if (env.format == EnvelopeFormat::kMalformed) return false;
  record.message = env.message;
  record.timestamp_us = env.timestamp_us;
  ResolveProgram(env.ident, record);
  return true;
}

}  // namespace mailpath::logs
