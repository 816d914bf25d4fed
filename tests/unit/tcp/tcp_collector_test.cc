// The tcp collector on recorded sources: sock_diag replies captured in the
// three-namespace lab (tests/fixtures/netlink/) and the same run's procfs
// counters (tests/fixtures/procnet/), against the golden files.

#include "mailpath/tcp/tcp_collector.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <future>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mailpath/build_version.h"
#include "mailpath/common/read_file.h"
#include "mailpath/metrics/collector_runner.h"
#include "mailpath/metrics/exposition.h"
#include "mailpath/metrics/text_format_check.h"
#include "mailpath/tcp/kernel_counters.h"
#include "mailpath/tcp/replay_sock_diag_source.h"

namespace mailpath::tcp {
namespace {

const std::string kFixtures = MAILPATH_FIXTURES_DIR;

// One lab capture's dump: its inet and inet6 replies.
RecordedDump Capture(const std::string& mode_family) {
  return {ReadSmallFile(kFixtures + "/netlink/" + mode_family + "_inet.nldump"),
          ReadSmallFile(kFixtures + "/netlink/" + mode_family + "_inet6.nldump")};
}

// Compares `text` with tests/golden/`name`; UPDATE_GOLDEN=1 rewrites the file
// (review the diff like code).
void ExpectGolden(const std::string& name, const std::string& text) {
  const std::string path = kFixtures + "/../golden/" + name;
  if (std::getenv("UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << text;
  EXPECT_EQ(ReadSmallFile(path), text)
      << path << " differs (UPDATE_GOLDEN=1 rewrites it; review the diff)";
}

// What mailpath_testlib.normalize does to an exposition before comparing it
// with a golden file: values of the `volatile_names` samples and the
// revision/compiler labels of build_info masked.
std::string Normalize(const std::string& text, const std::vector<std::string>& volatile_names) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("#")) {
      const std::string name = line.substr(0, line.find_first_of("{ "));
      for (const std::string& v : volatile_names) {
        if (name.starts_with(v)) line = line.substr(0, line.rfind(' ')) + " <volatile>";
      }
      if (name == "mailpath_exporter_build_info") {
        line =
            std::regex_replace(line, std::regex(R"(revision="[^"]*")"), R"(revision="<revision>")");
        line =
            std::regex_replace(line, std::regex(R"(compiler="[^"]*")"), R"(compiler="<compiler>")");
      }
    }
    out += line + "\n";
  }
  return out;
}

struct Collector {
  std::ostringstream log;
  Logger logger{log, LogLevel::kInfo, LogFormat::kLogfmt};
  std::unique_ptr<TcpCollector> tcp;
  Collector(std::vector<RecordedDump> dumps, std::vector<std::uint16_t> local,
            std::vector<std::uint16_t> remote, std::unique_ptr<KernelCounterSource> counters) {
    auto source = std::make_unique<ReplaySockDiagSource>(std::move(dumps), local, remote);
    tcp = std::make_unique<TcpCollector>(TcpCollectorOptions{local, remote, nullptr},
                                         std::move(source), std::move(counters), logger);
  }
  std::string Scrape() {
    std::vector<prometheus::MetricFamily> families;
    tcp->Collect(families);
    return metrics::SerializeText(families);
  }
};

std::unique_ptr<KernelCounterSource> LabCounters(const std::string& root) {
  return std::make_unique<ProcfsKernelCounters>(kFixtures + "/procnet/" + root);
}

TEST(TcpCollector, replayed_lab_capture_matches_the_golden_file) {
  Collector c({Capture("blackhole_v4")}, {587, 993, 25}, {25}, LabCounters("blackhole_v4_root"));
  const std::string text = c.Scrape();
  EXPECT_EQ("", metrics::CheckTextFormat(text));
  ExpectGolden("tcp_replay_blackhole_v4.prom", text);
  EXPECT_EQ("", c.log.str()) << "every counter file of the fixture root reads";
}

// The exposition the integration test test_tcp_collector.py compares with the
// same file on the host's kernel: ports nothing uses, so only the host's
// counters differ (masked there and here).
TEST(TcpCollector, whole_exposition_with_unused_ports_matches_the_integration_golden_file) {
  Collector c({Capture("blackhole_v4")}, {1}, {2}, LabCounters("blackhole_v4_root"));
  std::ostringstream runner_log;
  Logger runner_logger(runner_log, LogLevel::kInfo, LogFormat::kLogfmt);
  metrics::CollectorRunner runner({MAILPATH_VERSION, "any", "any"}, runner_logger);
  runner.Add("tcp", std::move(c.tcp));
  const std::string text = metrics::SerializeText(runner.Scrape());
  ExpectGolden(
      "tcp_collector.prom",
      Normalize(text, {"mailpath_tcp_kernel_events_total", "mailpath_tcp_listen_overflows_total",
                       "mailpath_tcp_listen_drops_total",
                       "mailpath_exporter_collector_duration_seconds"}));
}

// A counter source whose snmp6 read fails on the scrapes marked true.
class FlakySnmp6 final : public KernelCounterSource {
 public:
  explicit FlakySnmp6(std::vector<bool> fails) : fails_(std::move(fails)) {}
  KernelCounterRead Read() override {
    KernelCounterRead r;
    r.counters["TcpExt.TCPTimeouts"] = 7;
    if (fails_.at(n_++))
      r.failures.push_back({"snmp6", "open /proc/net/snmp6: No such file or directory"});
    return r;
  }

 private:
  std::vector<bool> fails_;
  std::size_t n_ = 0;
};

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

TEST(TcpCollector, counter_read_failures_are_counted_per_file_and_logged_once_per_run_of_failures) {
  Collector c({Capture("blackhole_v4")}, {587}, {25},
              std::make_unique<FlakySnmp6>(std::vector<bool>{true, true, false, true, false}));
  std::string text;
  for (int i = 0; i < 5; ++i) text = c.Scrape();
  EXPECT_NE(std::string::npos,
            text.find("mailpath_tcp_procfs_read_errors_total{file=\"snmp6\"} 3\n"))
      << text;
  EXPECT_NE(std::string::npos,
            text.find("mailpath_tcp_procfs_read_errors_total{file=\"netstat\"} 0\n"));
  EXPECT_NE(std::string::npos,
            text.find("mailpath_tcp_kernel_events_total{counter=\"tcpext_timeouts\"} 7\n"))
      << "the files that read still count";
  EXPECT_EQ(2, Count(c.log.str(), "cannot read kernel counters")) << c.log.str();
  EXPECT_NE(std::string::npos, c.log.str().find("file=snmp6")) << c.log.str();
}

TEST(TcpCollector,
     a_fixture_root_without_counter_files_counts_each_file_and_still_serves_the_sockets) {
  Collector c({Capture("blackhole_v4")}, {587}, {25}, LabCounters("no_such_root"));
  const std::string text = c.Scrape();
  for (const char* file : {"netstat", "snmp", "snmp6"}) {
    EXPECT_NE(
        std::string::npos,
        text.find(std::string("mailpath_tcp_procfs_read_errors_total{file=\"") + file + "\"} 1\n"))
        << file;
  }
  EXPECT_NE(
      std::string::npos,
      text.find(
          "mailpath_tcp_sockets{port=\"587\",direction=\"inbound\",state=\"established\"} 1\n"))
      << text;
  EXPECT_EQ(3, Count(c.log.str(), "cannot read kernel counters")) << c.log.str();
}

TEST(TcpCollector, a_malformed_reply_fails_the_scrape_with_a_collect_error) {
  Collector c({{ReadSmallFile(kFixtures + "/netlink/malformed_cut.nldump")}}, {587}, {25},
              LabCounters("blackhole_v4_root"));
  std::vector<prometheus::MetricFamily> families;
  EXPECT_THROW(c.tcp->Collect(families), metrics::CollectError);
}

// A source whose Dump blocks until released, counting its calls.
class GatedSource final : public SockDiagSource {
 public:
  std::vector<SocketSample> Dump(DumpStats&) override {
    ++calls;
    entered.set_value();
    released.wait();
    return {};
  }
  std::atomic<int> calls{0};
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released{release.get_future().share()};
};

TEST(TcpCollector, a_scrape_arriving_during_a_dump_shares_it_and_a_later_one_dumps_again) {
  auto owned = std::make_unique<GatedSource>();
  GatedSource& source = *owned;
  std::future<void> entered = source.entered.get_future();
  std::ostringstream log;
  Logger logger(log, LogLevel::kInfo, LogFormat::kLogfmt);
  TcpCollector c({{587}, {25}, nullptr}, std::move(owned), LabCounters("blackhole_v4_root"),
                 logger);
  std::vector<prometheus::MetricFamily> first, second;
  std::thread a([&] { c.Collect(first); });
  entered.wait();
  std::thread b([&] { c.Collect(second); });
  while (c.joined() == 0) std::this_thread::yield();
  source.release.set_value();
  a.join();
  b.join();
  EXPECT_EQ(1, source.calls);
  EXPECT_EQ(metrics::SerializeText(first), metrics::SerializeText(second));
  source.entered = std::promise<void>();
  std::vector<prometheus::MetricFamily> third;
  c.Collect(third);
  EXPECT_EQ(2, source.calls) << "nothing in flight: a fresh dump, never a cached one";
}

TEST(ReplaySockDiagSource,
     keeps_only_the_ports_the_kernel_filter_would_and_plays_dumps_in_order_then_the_last) {
  // 587 in the v4 lab is an AF_INET socket, in the v6 lab an AF_INET6 one (README.md of the
  // captures).
  ReplaySockDiagSource source({Capture("blackhole_v4"), Capture("blackhole_v6")}, {587}, {});
  DumpStats stats;
  for (int scrape = 0; scrape < 3; ++scrape) {
    SCOPED_TRACE(scrape);
    const std::vector<SocketSample> dump = source.Dump(stats);
    ASSERT_FALSE(dump.empty());
    for (const SocketSample& s : dump) {
      EXPECT_EQ(587, s.sport);
      EXPECT_EQ(scrape == 0 ? AF_INET : AF_INET6, s.family);
    }
  }
  EXPECT_EQ(3u, source.dumps());
  EXPECT_EQ(0u, stats.retries);
}

}  // namespace
}  // namespace mailpath::tcp
