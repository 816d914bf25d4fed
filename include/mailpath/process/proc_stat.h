#pragma once

#include <cstdint>
#include <string_view>

#include "mailpath/common/result.h"

namespace mailpath::process {

/// The fields of /proc/<pid>/stat the process collector exports (proc(5)).
struct ProcStat {
  std::uint64_t utime_ticks = 0;
  std::uint64_t stime_ticks = 0;
  std::uint64_t starttime_ticks = 0;  // since boot
  std::uint64_t vsize_bytes = 0;
  std::int64_t rss_pages = 0;
};

/// Parses /proc/<pid>/stat. The command name may hold spaces and ')' so
/// fields are counted from the last ')'. An Error says what is missing. Pure.
[[nodiscard]] Result<ProcStat> ParseProcStat(std::string_view text);

/// The `btime` line of /proc/stat: boot time in seconds since the epoch. Pure.
[[nodiscard]] Result<std::uint64_t> ParseBootTime(std::string_view proc_stat);

/// The soft "Max open files" limit of /proc/<pid>/limits ("unlimited" -> 0). Pure.
[[nodiscard]] Result<std::uint64_t> ParseMaxOpenFiles(std::string_view limits);

}  // namespace mailpath::process
