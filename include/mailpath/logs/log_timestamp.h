#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mailpath::logs {

// Time stamps that lead a log line, one parser per shape. Each reads the stamp
// at the start of `s`, writes UTC microseconds since the epoch to `out_us`
// and returns the number of bytes it used; 0 means "not this shape" (then
// `out_us` is untouched). Stamps without a zone are local time: UTC plus
// `local_offset_seconds`. Stamps without a year take the year that puts them
// at most ~31 days after `now_us` (December lines read in January). All pure.

/// RFC3339 / ISO 8601 with a zone: "2026-01-03T09:12:44Z",
/// "2026-01-03T09:12:44.123456+00:00" (rsyslog RSYSLOG_FileFormat, syslog-ng
/// ts_format(iso)), "2026-01-03T09:12:44+0000" (journalctl -o short-iso),
/// "2026-01-03T09:12:44.123456+0000" (short-iso-precise). A space instead of
/// "T" is accepted. Any number of fraction digits; microseconds are kept.
[[nodiscard]] std::size_t ParseRfc3339Stamp(std::string_view s, std::int64_t& out_us);

/// The same without a zone, as Dovecot writes with
/// log_timestamp = "%Y-%m-%d %H:%M:%S ": "2026-01-03 09:12:44".
[[nodiscard]] std::size_t ParseLocalIsoStamp(std::string_view s, std::int32_t local_offset_seconds,
                                             std::int64_t& out_us);

/// BSD syslog (RFC3164) and everything shaped like it: "Jan  3 09:12:44"
/// (space-padded day), "Jan 03 09:12:44" (zero-padded: journalctl -o short,
/// Postfix maillog_file, Dovecot log_path), "Jan 3 09:12:44" (unpadded),
/// "Jan 03 09:12:44.123456" (journalctl -o short-precise).
[[nodiscard]] std::size_t ParseBsdStamp(std::string_view s, std::int64_t now_us,
                                        std::int32_t local_offset_seconds, std::int64_t& out_us);

/// journalctl -o short-full: "Sat 2026-01-03 09:12:44 UTC". The zone is an
/// abbreviation: UTC, GMT and Z are offset 0; any other is taken as local
/// time (`local_offset_seconds`), since abbreviations are ambiguous.
[[nodiscard]] std::size_t ParseShortFullStamp(std::string_view s, std::int32_t local_offset_seconds,
                                              std::int64_t& out_us);

/// journalctl -o short-unix: "1767431564.123456" (seconds since the epoch;
/// the fraction is optional). At least 9 integer digits, so a bare number in
/// the text is not taken for a stamp.
[[nodiscard]] std::size_t ParseUnixStamp(std::string_view s, std::int64_t& out_us);

/// daemontools multilog and s6-log ("t" directive): the TAI64N label
/// "@4000000069590a4c0754d4a8" (cr.yp.to/libtai/tai64.html): 16 hex digits of
/// 2^62 + TAI seconds, 8 of nanoseconds. TAI is taken as UTC + 10 s, as
/// daemontools' tai64nlocal does.
[[nodiscard]] std::size_t ParseTai64nStamp(std::string_view s, std::int64_t& out_us);

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
[[nodiscard]] std::int64_t DaysFromCivil(int year, unsigned month, unsigned day);

}  // namespace mailpath::logs
