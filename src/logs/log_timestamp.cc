#include "mailpath/logs/log_timestamp.h"

#include <cstring>

#include "mailpath/common/text.h"

namespace mailpath::logs {
namespace {

using std::string_view;

constexpr std::int64_t kUsPerSec = 1'000'000;

// Reads exactly n digits at s[pos]; false if any is missing or not a digit.
bool Digits(string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (!IsAsciiDigit(c)) return false;
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

bool Weekday(string_view w) {
  for (string_view d : {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}) {
    if (w == d) return true;
  }
  return false;
}

std::int64_t ToEpochUs(int year, int month, int day, int h, int mi, int s) {
  const std::int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
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

// Two digits at p, already checked.
int Two(const char* p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

// ".123456" at s[i]: any number of digits, microseconds kept. Returns the
// index after it (i itself when there is no fraction, 0 for a bare dot).
std::size_t Fraction(string_view s, std::size_t i, std::int64_t& frac_us) {
  static constexpr std::int64_t kScale[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
  frac_us = 0;
  if (i >= s.size() || s[i] != '.') return i;
  const char* p = s.data() + i + 1;
  const char* const end = s.data() + s.size();
  const char* const start = p;
  if (end - p >= 7) {
    // The common case: exactly microseconds, "123456" then a non-digit.
    const auto d = [p](int k) { return static_cast<unsigned char>(p[k] - '0') <= 9; };
    if (d(0) & d(1) & d(2) & d(3) & d(4) & d(5) & !d(6)) {
      frac_us = Two(p) * 10000 + Two(p + 2) * 100 + Two(p + 4);
      return i + 7;
    }
  }
  std::int64_t v = 0;
  for (; p < end && p < start + 6 && IsAsciiDigit(*p); ++p) v = v * 10 + (*p - '0');
  const std::size_t n = static_cast<std::size_t>(p - start);
  while (p < end && IsAsciiDigit(*p)) ++p;  // digits past microseconds are dropped
  if (n == 0) return 0;
  frac_us = v * kScale[n];
  return static_cast<std::size_t>(p - s.data());
}

// "HH:MM:SS" at s[pos].
bool Clock(string_view s, std::size_t pos, int& h, int& mi, int& sec) {
  if (pos + 8 > s.size()) return false;
  const char* p = s.data() + pos;
  if (p[2] != ':' || p[5] != ':') return false;
  for (int i : {0, 1, 3, 4, 6, 7}) {
    if (!IsAsciiDigit(p[i])) return false;
  }
  h = Two(p);
  mi = Two(p + 3);
  sec = Two(p + 6);
  return h <= 23 && mi <= 59 && sec <= 60;
}

// "YYYY-MM-DD(T| )HH:MM:SS[.frac]"; returns the index after it, 0 if absent.
// The hot path of every RFC3339 line: one pass over a fixed shape.
// The last "YYYY-MM-DDTHH:MM" seen on this thread and its value: log lines
// arrive in time order, so most share their minute with the line before,
// and only the seconds need reading. A memo, not state: the result is the
// same with or without it (thread_local, so fuzzers and TSan see no sharing).
struct MinuteMemo {
  char prefix[16] = {};
  std::int64_t minute_us = 0;
  bool valid = false;
};
thread_local MinuteMemo memo;

std::size_t IsoDateTime(string_view s, std::int64_t& local_us) {
  if (s.size() < 19) return 0;
  const char* p = s.data();
  const auto d = [p](int i) { return static_cast<unsigned char>(p[i] - '0') <= 9; };
  if (memo.valid && std::memcmp(p, memo.prefix, 16) == 0 && (p[16] == ':') & d(17) & d(18)) {
    const int sec = Two(p + 17);
    if (sec > 60) return 0;
    std::int64_t frac = 0;
    const std::size_t i = Fraction(s, 19, frac);
    if (i == 0) return 0;
    local_us = memo.minute_us + static_cast<std::int64_t>(sec) * kUsPerSec + frac;
    return i;
  }
  // Non-short-circuit &: one branch for the whole shape.
  if (!(d(0) & d(1) & d(2) & d(3) & (p[4] == '-') & d(5) & d(6) & (p[7] == '-') & d(8) & d(9) &
        ((p[10] == 'T') | (p[10] == ' ')) & d(11) & d(12) & (p[13] == ':') & d(14) & d(15) &
        (p[16] == ':') & d(17) & d(18))) {
    return 0;
  }
  const int y = Two(p) * 100 + Two(p + 2), mo = Two(p + 5), day = Two(p + 8);
  const int h = Two(p + 11), mi = Two(p + 14), sec = Two(p + 17);
  if (mo < 1 || mo > 12 || day < 1 || day > 31 || h > 23 || mi > 59 || sec > 60) return 0;
  std::int64_t frac = 0;
  const std::size_t i = Fraction(s, 19, frac);
  if (i == 0) return 0;
  const std::int64_t minute_us = ToEpochUs(y, mo, day, h, mi, 0);
  std::memcpy(memo.prefix, p, 16);
  memo.minute_us = minute_us;
  memo.valid = true;
  local_us = minute_us + static_cast<std::int64_t>(sec) * kUsPerSec + frac;
  return i;
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

std::size_t ParseRfc3339Stamp(string_view s, std::int64_t& out_us) {
  std::int64_t local = 0;
  std::size_t i = IsoDateTime(s, local);
  if (i == 0 || i >= s.size()) return 0;
  std::int64_t offset_s = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    const int sign = s[i] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!Digits(s, i + 1, 2, oh)) return 0;
    std::size_t j = i + 3;
    if (j < s.size() && s[j] == ':') ++j;
    if (!Digits(s, j, 2, om) || oh > 23 || om > 59) return 0;
    offset_s = sign * (oh * 3600 + om * 60);
    i = j + 2;
  } else {
    return 0;
  }
  out_us = local - offset_s * kUsPerSec;
  return i;
}

std::size_t ParseLocalIsoStamp(string_view s, std::int32_t local_offset_seconds,
                               std::int64_t& out_us) {
  std::int64_t local = 0;
  const std::size_t i = IsoDateTime(s, local);
  if (i == 0) return 0;
  out_us = local - static_cast<std::int64_t>(local_offset_seconds) * kUsPerSec;
  return i;
}

std::size_t ParseBsdStamp(string_view s, std::int64_t now_us, std::int32_t local_offset_seconds,
                          std::int64_t& out_us) {
  if (s.size() < 14 || s[3] != ' ') return 0;
  const int month = MonthIndex(s.substr(0, 3));
  if (month == 0) return 0;
  // The day: " 3" (space-padded), "03" (zero-padded) or "3" (unpadded).
  std::size_t i = 4;
  if (s[i] == ' ') ++i;
  int day = 0;
  if (Digits(s, i, 2, day)) {
    i += 2;
  } else if (Digits(s, i, 1, day)) {
    i += 1;
  } else {
    return 0;
  }
  int h, mi, sec;
  if (day < 1 || day > 31 || i >= s.size() || s[i] != ' ' || !Clock(s, i + 1, h, mi, sec)) return 0;
  std::int64_t frac = 0;
  const std::size_t end = Fraction(s, i + 9, frac);
  if (end == 0) return 0;
  const int year = YearOf(now_us);
  const std::int64_t offset_us = static_cast<std::int64_t>(local_offset_seconds) * kUsPerSec;
  std::int64_t t = ToEpochUs(year, month, day, h, mi, sec) + frac - offset_us;
  if (t - now_us > 31LL * 86400 * kUsPerSec)
    t = ToEpochUs(year - 1, month, day, h, mi, sec) + frac - offset_us;
  out_us = t;
  return end;
}

std::size_t ParseShortFullStamp(string_view s, std::int32_t local_offset_seconds,
                                std::int64_t& out_us) {
  // "Sat 2026-01-03 09:12:44 UTC"
  if (s.size() < 24 || s[3] != ' ' || !Weekday(s.substr(0, 3)) || s[14] != ' ') return 0;
  std::int64_t local = 0;
  const std::size_t used = IsoDateTime(s.substr(4), local);
  if (used == 0) return 0;
  std::size_t i = 4 + used;
  if (i >= s.size() || s[i] != ' ') return 0;
  const std::size_t zone_start = ++i;
  while (i < s.size() && s[i] != ' ') ++i;
  const string_view zone = s.substr(zone_start, i - zone_start);
  if (zone.empty()) return 0;
  const bool utc = zone == "UTC" || zone == "GMT" || zone == "Z";
  out_us = local - (utc ? 0 : static_cast<std::int64_t>(local_offset_seconds) * kUsPerSec);
  return i;
}

std::size_t ParseUnixStamp(string_view s, std::int64_t& out_us) {
  std::size_t i = 0;
  std::int64_t secs = 0;
  while (i < s.size() && IsAsciiDigit(s[i]) && i < 12) secs = secs * 10 + (s[i++] - '0');
  if (i < 9 || (i < s.size() && IsAsciiDigit(s[i]))) return 0;
  std::int64_t frac = 0;
  const std::size_t end = Fraction(s, i, frac);
  if (end == 0) return 0;
  out_us = secs * kUsPerSec + frac;
  return end;
}

std::size_t ParseTai64nStamp(string_view s, std::int64_t& out_us) {
  if (s.size() < 25 || s[0] != '@') return 0;
  std::uint64_t secs = 0, nanos = 0;
  for (std::size_t i = 1; i < 25; ++i) {
    const char c = s[i];
    int v;
    if (IsAsciiDigit(c))
      v = c - '0';
    else if (c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      v = c - 'A' + 10;
    else
      return 0;
    std::uint64_t& acc = i <= 16 ? secs : nanos;
    acc = acc * 16 + static_cast<std::uint64_t>(v);
  }
  constexpr std::uint64_t kBase = (1ULL << 62) + 10;  // 2^62, and TAI = UTC + 10 s (daemontools)
  if (secs < kBase || secs - kBase > 253402300799ULL || nanos > 999'999'999ULL) return 0;
  out_us =
      static_cast<std::int64_t>(secs - kBase) * kUsPerSec + static_cast<std::int64_t>(nanos / 1000);
  return 25;
}

}  // namespace mailpath::logs
