#include "mailpath/process/process_collector.h"

#include <dirent.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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
  // Reads and parses one procfs file; the first failure fails the collect, naming its file.
  auto read = [](const std::string& path, auto parse) {
    const Result<std::string> text = ReadFileContents(path);
    if (!text) throw metrics::CollectError(text.message());
    auto parsed = parse(*text);
    if (!parsed)
      throw metrics::CollectError("unexpected format in " + path + ": " + parsed.message());
    return std::move(*parsed);
  };
  const ProcStat st = read(procfs_ + "/self/stat", ParseProcStat);
  const std::uint64_t btime = read(procfs_ + "/stat", ParseBootTime);
  const std::uint64_t max_fds = read(procfs_ + "/self/limits", ParseMaxOpenFiles);
  const std::uint64_t open_fds = CountOpenFds(procfs_ + "/self/fd");
  const double ticks = static_cast<double>(ticks_per_second_);
  using metrics::FamilyBuilder;
  using prometheus::MetricType;
  out.push_back(FamilyBuilder("process_cpu_seconds_total",
                              "Total user and system CPU time spent in seconds.",
                              MetricType::Counter)
                    .Counter({}, static_cast<double>(st.utime_ticks + st.stime_ticks) / ticks)
                    .family());
  out.push_back(FamilyBuilder("process_resident_memory_bytes", "Resident memory size in bytes.",
                              MetricType::Gauge)
                    .Gauge({}, static_cast<double>(st.rss_pages) * static_cast<double>(page_size_))
                    .family());
  out.push_back(FamilyBuilder("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                              MetricType::Gauge)
                    .Gauge({}, static_cast<double>(st.vsize_bytes))
                    .family());
  out.push_back(
      FamilyBuilder("process_start_time_seconds",
                    "Start time of the process since unix epoch in seconds.", MetricType::Gauge)
          .Gauge({}, static_cast<double>(btime) + static_cast<double>(st.starttime_ticks) / ticks)
          .family());
  out.push_back(
      FamilyBuilder("process_open_fds", "Number of open file descriptors.", MetricType::Gauge)
          .Gauge({}, static_cast<double>(open_fds))
          .family());
  out.push_back(FamilyBuilder("process_max_fds",
                              "Maximum number of open file descriptors (0: unlimited).",
                              MetricType::Gauge)
                    .Gauge({}, static_cast<double>(max_fds))
                    .family());
}

}  // namespace mailpath::process
