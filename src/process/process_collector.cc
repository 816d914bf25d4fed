#include "mailpath/process/process_collector.h"

#include <dirent.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "mailpath/common/read_file.h"
#include "mailpath/metrics/family_builder.h"
#include "mailpath/process/proc_stat.h"

namespace mailpath::process {
namespace {

std::uint64_t CountOpenFds(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    throw metrics::CollectError("opendir " + dir + ": " + std::strerror(errno));
  }
  std::uint64_t n = 0;
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  ::closedir(d);
  return n > 0 ? n - 1 : 0;  // the descriptor opendir itself holds
}

}  // namespace

ProcessCollector::ProcessCollector(std::string procfs)
    : procfs_(std::move(procfs)),
      ticks_per_second_(::sysconf(_SC_CLK_TCK)),
      page_size_(::sysconf(_SC_PAGESIZE)) {}

void ProcessCollector::Collect(std::vector<prometheus::MetricFamily>& out) {
  std::optional<ProcStat> st;
  std::optional<std::uint64_t> btime;
  std::optional<std::uint64_t> max_fds;
  std::uint64_t open_fds = 0;
  try {
    st = ParseProcStat(ReadSmallFile(procfs_ + "/self/stat"));
    btime = ParseBootTime(ReadSmallFile(procfs_ + "/stat"));
    max_fds = ParseMaxOpenFiles(ReadSmallFile(procfs_ + "/self/limits"));
    open_fds = CountOpenFds(procfs_ + "/self/fd");
  } catch (const std::system_error& e) {
    throw metrics::CollectError(e.what());
  }
  if (!st || !btime || !max_fds) {
    throw metrics::CollectError("unexpected format in " + procfs_ + "/self/stat, /stat or /self/limits");
  }
  const double ticks = static_cast<double>(ticks_per_second_);
  using metrics::FamilyBuilder;
  using prometheus::MetricType;
  out.push_back(FamilyBuilder("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                              MetricType::Counter)
                    .Counter({}, static_cast<double>(st->utime_ticks + st->stime_ticks) / ticks)
                    .family());
  out.push_back(FamilyBuilder("process_resident_memory_bytes", "Resident memory size in bytes.",
                              MetricType::Gauge)
                    .Gauge({}, static_cast<double>(st->rss_pages) * static_cast<double>(page_size_))
                    .family());
  out.push_back(FamilyBuilder("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                              MetricType::Gauge)
                    .Gauge({}, static_cast<double>(st->vsize_bytes))
                    .family());
  out.push_back(FamilyBuilder("process_start_time_seconds",
                              "Start time of the process since unix epoch in seconds.", MetricType::Gauge)
                    .Gauge({}, static_cast<double>(*btime) + static_cast<double>(st->starttime_ticks) / ticks)
                    .family());
  out.push_back(FamilyBuilder("process_open_fds", "Number of open file descriptors.", MetricType::Gauge)
                    .Gauge({}, static_cast<double>(open_fds))
                    .family());
  out.push_back(FamilyBuilder("process_max_fds", "Maximum number of open file descriptors (0: unlimited).",
                              MetricType::Gauge)
                    .Gauge({}, static_cast<double>(*max_fds))
                    .family());
}

}  // namespace mailpath::process
