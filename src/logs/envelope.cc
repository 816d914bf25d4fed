#include "mailpath/logs/envelope.h"

namespace mailpath::logs {
namespace {

using std::string_view;

constexpr std::int64_t kUsPerSec = 1'000'000;

bool Digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly n digits at s[pos]; false if any is not a digit.
bool Digits(string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (!Digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

int MonthIndex(string_view m) {
  static constexpr string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i) {
    if (m == kMonths[i]) return i + 1;
  }
  return 0;
}

std::int64_t ToEpochUs(int year, int month, int day, int h, int mi, int s) {
  const std::int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return ((days * 24 + h) * 60 + mi) * 60 * kUsPerSec + static_cast<std::int64_t>(s) * kUsPerSec;
}

int YearOf(std::int64_t us) {
  // Civil year from days since epoch (inverse of DaysFromCivil).
  std::int64_t z = us / kUsPerSec / 86400;
  if (us < 0 && us % (kUsPerSec * 86400) != 0) --z;
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

// "Jan  3 09:12:44" or "Jan 03 09:12:44" (15 chars). Returns the stamp.
bool ParseBsdStamp(string_view s, std::int64_t now_us, std::int32_t offset, std::int64_t& out) {
  if (s.size() < 15 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':') return false;
  const int month = MonthIndex(s.substr(0, 3));
  if (month == 0) return false;
  int day = 0, h = 0, mi = 0, sec = 0;
  if (s[4] == ' ') {
    if (!Digits(s, 5, 1, day)) return false;
  } else if (!Digits(s, 4, 2, day)) {
    return false;
  }
  if (!Digits(s, 7, 2, h) || !Digits(s, 10, 2, mi) || !Digits(s, 13, 2, sec)) return false;
  if (day < 1 || day > 31 || h > 23 || mi > 59 || sec > 60) return false;
  int year = YearOf(now_us);
  std::int64_t t = ToEpochUs(year, month, day, h, mi, sec) - static_cast<std::int64_t>(offset) * kUsPerSec;
  // A stamp more than ~31 days ahead belongs to last year (December lines read in January).
  if (t - now_us > 31LL * 86400 * kUsPerSec) {
    t = ToEpochUs(year - 1, month, day, h, mi, sec) - static_cast<std::int64_t>(offset) * kUsPerSec;
  }
  out = t;
  return true;
}

// "2026-01-03T09:12:44[.123456](Z|+hh:mm|-hhmm)"; returns the consumed length.
std::size_t ParseRfc3339(string_view s, std::int64_t& out) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
      s[16] != ':') {
    return 0;
  }
  if (!Digits(s, 0, 4, y) || !Digits(s, 5, 2, mo) || !Digits(s, 8, 2, d) || !Digits(s, 11, 2, h) ||
      !Digits(s, 14, 2, mi) || !Digits(s, 17, 2, sec)) {
    return 0;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return 0;
  std::size_t i = 19;
  std::int64_t frac_us = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::int64_t scale = 100000;
    const std::size_t start = i;
    while (i < s.size() && Digit(s[i])) {
      frac_us += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) return 0;
  }
  std::int64_t offset_s = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    const int sign = s[i] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!Digits(s, i + 1, 2, oh)) return 0;
    std::size_t j = i + 3;
    if (j < s.size() && s[j] == ':') ++j;
    if (!Digits(s, j, 2, om)) return 0;
    offset_s = sign * (oh * 3600 + om * 60);
    i = j + 2;
  } else {
    return 0;
  }
  out = ToEpochUs(y, mo, d, h, mi, sec) + frac_us - offset_s * kUsPerSec;
  return i;
}

string_view NextToken(string_view& s) {
  const std::size_t sp = s.find(' ');
  string_view tok = s.substr(0, sp);
  s = sp == string_view::npos ? string_view{} : s.substr(sp + 1);
  return tok;
}

// "host prog[pid]: msg" or "prog[pid]: msg" / "prog: msg" into env.
bool ParseTagAndMessage(string_view rest, bool with_host, Envelope& env) {
  if (with_host) {
    env.host = NextToken(rest);
    if (env.host.empty()) return false;
  }
  const std::size_t colon = rest.find(": ");
  if (colon == string_view::npos || colon == 0) {
    // "prog[pid]:" with an empty message.
    if (!rest.empty() && rest.back() == ':') {
      string_view tag = rest.substr(0, rest.size() - 1);
      if (tag.find(' ') != string_view::npos) return false;
      env.ident = tag.substr(0, tag.find('['));
      env.message = {};
      return !env.ident.empty();
    }
    return false;
  }
  string_view tag = rest.substr(0, colon);
  if (tag.find(' ') != string_view::npos) return false;
  env.ident = tag.substr(0, tag.find('['));
  env.message = rest.substr(colon + 2);
  return !env.ident.empty();
}

}  // namespace

std::int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Envelope ParseEnvelope(string_view line, std::int64_t now_us, std::int32_t local_offset_seconds) {
  Envelope env;
  if (line.empty()) return env;
  if (line[0] == '<') {
    // RFC5424: "<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG"
    const std::size_t gt = line.find('>');
    if (gt == string_view::npos || gt > 4) return env;
    string_view rest = line.substr(gt + 1);
    if (!rest.starts_with("1 ")) return env;
    rest.remove_prefix(2);
    string_view stamp = NextToken(rest);
    std::int64_t ts = 0;
    if (stamp != "-" && ParseRfc3339(stamp, ts) != stamp.size()) return env;
    env.host = NextToken(rest);
    env.ident = NextToken(rest);
    NextToken(rest);  // procid
    NextToken(rest);  // msgid
    if (rest.starts_with("- ")) {
      rest.remove_prefix(2);
    } else if (rest == "-") {
      rest = {};
    } else if (rest.starts_with("[")) {
      // Structured data: skip balanced [..] elements, honouring \] escapes.
      std::size_t i = 0;
      while (i < rest.size() && rest[i] == '[') {
        ++i;
        while (i < rest.size() && rest[i] != ']') i += (rest[i] == '\\') ? 2 : 1;
        if (i >= rest.size()) return env;  // unterminated structured data
        ++i;
      }
      rest = i < rest.size() ? rest.substr(i + (rest[i] == ' ' ? 1 : 0)) : string_view{};
    } else {
      return env;
    }
    if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);  // BOM
    if (env.host.empty() || env.ident.empty() || env.ident == "-") return env;
    env.message = rest;
    env.timestamp_us = ts;
    env.format = EnvelopeFormat::kRfc5424;
    return env;
  }
  if (Digit(line[0])) {
    std::int64_t ts = 0;
    const std::size_t used = ParseRfc3339(line, ts);
    if (used == 0 || used >= line.size() || line[used] != ' ') return env;
    if (!ParseTagAndMessage(line.substr(used + 1), true, env)) return Envelope{};
    env.timestamp_us = ts;
    env.format = EnvelopeFormat::kRfc3339;
    return env;
  }
  std::int64_t ts = 0;
  if (!ParseBsdStamp(line, now_us, local_offset_seconds, ts) || line.size() < 17 || line[15] != ' ') {
    return env;
  }
  string_view rest = line.substr(16);
  // Dovecot's own file: the first token is "process:" (no host, no pid).
  const std::size_t sp = rest.find(' ');
  const string_view first = rest.substr(0, sp);
  if (first.size() > 1 && first.back() == ':' && first.find('[') == string_view::npos) {
    env.ident = "dovecot";
    env.message = rest;
    env.timestamp_us = ts;
    env.format = EnvelopeFormat::kDovecotFile;
    return env;
  }
  if (!ParseTagAndMessage(rest, true, env)) return Envelope{};
  env.timestamp_us = ts;
  env.format = EnvelopeFormat::kRfc3164;
  return env;
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
  const std::size_t slash = ident.find('/');
  if (!ident.starts_with("postfix") || slash == string_view::npos || slash + 1 >= ident.size()) {
    record.program = Program::kForeign;
    return;
  }
  record.program = Program::kPostfix;
  record.instance = ident.substr(0, slash);
  string_view tail = ident.substr(slash + 1);
  const std::size_t last = tail.rfind('/');
  record.daemon = last == string_view::npos ? tail : tail.substr(last + 1);
  record.service = last == string_view::npos ? tail : tail.substr(0, tail.find('/'));
  if (record.daemon.empty() || record.service.empty()) record.program = Program::kForeign;
}

bool ParseLogLine(string_view line, std::int64_t now_us, LogRecord& record, std::int32_t local_offset_seconds) {
  const Envelope env = ParseEnvelope(line, now_us, local_offset_seconds);
  if (env.format == EnvelopeFormat::kMalformed) return false;
  SplitIdent(env.ident, record);
  record.message = env.message;
  record.timestamp_us = env.timestamp_us;
  return true;
}

}  // namespace mailpath::logs
