// Replays tests/fixtures/logs/wild/*.cases: real-world line shapes with their
// source and the exact counter series each line moves. UPDATE_GOLDEN=1
// rewrites the "# expect:" lines (review the diff) and the whole-corpus golden.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "mailpath/logs/classify/delivery_reason.h"
#include "mailpath/logs/classify/dovecot_collector.h"
#include "mailpath/logs/classify/dovecot_event.h"
#include "mailpath/logs/classify/postfix_collector.h"
#include "mailpath/logs/classify/postfix_event.h"
#include "mailpath/logs/envelope.h"
#include "mailpath/metrics/exposition.h"

namespace mailpath::logs::classify {
namespace {

constexpr std::int64_t kNow = 1795354145000000;  // 2026-11-22

struct WildCase {
  std::string source;
  std::vector<std::string> expect;
  std::string line;
};

std::vector<WildCase> ReadCases(const std::string& path, std::string& header) {
  std::ifstream in(path);
  std::vector<WildCase> cases;
  WildCase c;
  bool in_header = true;
  std::string l;
  while (std::getline(in, l)) {
    if (in_header) {
      if (l.starts_with("# source: ")) {
        in_header = false;
      } else {
        header += l + "\n";
        continue;
      }
    }
    if (l.starts_with("# source: ")) {
      c.source = l.substr(10);
    } else if (l.starts_with("# expect: ")) {
      c.expect.push_back(l.substr(10));
    } else if (!l.empty() && !l.starts_with("#")) {
      c.line = l;
      cases.push_back(c);
      c = WildCase{};
    }
  }
  return cases;
}

bool Upd() {
  const char* u = std::getenv("UPDATE_GOLDEN");
  return u != nullptr && std::string(u) == "1";
}

std::string Scrape(PostfixCollector& p, DovecotCollector& d) {
  std::vector<prometheus::MetricFamily> f;
  p.Collect(f);
  d.Collect(f);
  return metrics::SerializeText(f);
}

// Counter and gauge series with a non-zero value; histograms and the
// bookkeeping families (line totals, overflow) left out.
std::vector<std::string> Moved(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l)) {
    if (l.empty() || l[0] == '#') continue;
    const std::size_t sp = l.rfind(' ');
    const std::string series = l.substr(0, sp);
    const std::string name = series.substr(0, series.find('{'));
    if (name.ends_with("_bucket") || name.ends_with("_sum") || name.ends_with("_count") ||
        name == "postfix_label_overflow_total" || name == "dovecot_log_lines_total") {
      continue;
    }
    if (l.substr(sp + 1) != "0") out.push_back(series);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> CaseFiles() {
  std::vector<std::string> files;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(MAILPATH_FIXTURES_DIR) + "/logs/wild")) {
    if (e.path().extension() == ".cases") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(WildCorpus, every_line_moves_exactly_its_expected_series) {
  std::size_t total = 0;
  for (const std::string& path : CaseFiles()) {
    std::string header;
    std::vector<WildCase> cases = ReadCases(path, header);
    for (WildCase& c : cases) {
      SCOPED_TRACE(c.source + "\n" + c.line);
      EXPECT_FALSE(c.source.empty());
      PostfixCollector p;
      DovecotCollector d;
      LogRecord r;
      ASSERT_TRUE(ParseLogLine(c.line, kNow, r));
      p.Consume(r);
      d.Consume(r);
      const std::vector<std::string> got = Moved(Scrape(p, d));
      if (Upd()) c.expect = got.empty() ? std::vector<std::string>{"nothing"} : got;
      std::vector<std::string> want = c.expect;
      // "nothing": recognised and deliberately not counted (or only in a histogram).
      if (want == std::vector<std::string>{"nothing"}) want.clear();
      std::sort(want.begin(), want.end());
      EXPECT_EQ(want, got);
      for (const std::string& s : got) {
        EXPECT_EQ(std::string::npos, s.find("unsupported")) << s;
      }
    }
    total += cases.size();
    if (Upd()) {
      std::ofstream out(path);
      out << header;
      for (std::size_t i = 0; i < cases.size(); ++i) {
        out << (i ? "\n" : "") << "# source: " << cases[i].source << "\n";
        for (const std::string& e : cases[i].expect) out << "# expect: " << e << "\n";
        out << cases[i].line << "\n";
      }
    }
  }
  EXPECT_GE(total, 150u);
}

// Every truncation of every wild message goes through the pure classifiers and
// the reason table without reading past its end (ASan/UBSan in CI).
TEST(WildCorpus, every_truncated_message_classifies_safely) {
  std::size_t n = 0;
  for (const std::string& path : CaseFiles()) {
    std::string header;
    for (const WildCase& c : ReadCases(path, header)) {
      LogRecord r;
      ASSERT_TRUE(ParseLogLine(c.line, kNow, r));
      const std::string message(r.message);
      for (std::size_t len = 0; len <= message.size(); ++len) {
        const std::string cut = message.substr(0, len);  // its own allocation, so ASan sees the end
        (void)ClassifyPostfix(r.daemon, cut);
        (void)ClassifyDovecot(cut);
        (void)MatchDeliveryReason("", cut);
        ++n;
      }
    }
  }
  EXPECT_GT(n, 10000u);
}

TEST(WildCorpus, whole_corpus_replay_matches_golden) {
  PostfixCollector p;
  DovecotCollector d;
  for (const std::string& path : CaseFiles()) {
    std::string header;
    for (const WildCase& c : ReadCases(path, header)) {
      LogRecord r;
      ASSERT_TRUE(ParseLogLine(c.line, kNow, r)) << c.line;
      p.Consume(r);
      d.Consume(r);
    }
  }
  const std::string text = Scrape(p, d);
  const std::string golden = std::string(MAILPATH_FIXTURES_DIR) + "/../golden/wild_corpus.prom";
  if (Upd()) std::ofstream(golden) << text;
  std::ifstream g(golden);
  std::stringstream want;
  want << g.rdbuf();
  EXPECT_EQ(want.str(), text) << "UPDATE_GOLDEN=1 rewrites " << golden;
}

}  // namespace
}  // namespace mailpath::logs::classify
