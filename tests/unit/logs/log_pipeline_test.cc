// The log driver with fake line sources (no files but the checkpoint's temp
// directory, no sleeps): routing, order, checkpoint positions, shutdown.
#include "mailpath/logs/log_pipeline.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <deque>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "mailpath/common/logger.h"
#include "mailpath/common/read_file.h"
#include "mailpath/logs/log_collector.h"
#include "mailpath/metrics/exposition.h"
#include "temp_dir.h"

namespace mailpath::logs {
namespace {

namespace fs = std::filesystem;

using test_support::TempDir;

const std::string kPostfix1 =
    "2026-11-22T10:00:00.000001+00:00 mx postfix/smtpd[1]: connect from x[192.0.2.1]";
const std::string kPostfix2 = "2026-11-22T10:00:01.000001+00:00 mx postfix/qmgr[2]: 4AB12: removed";
const std::string kPostfix3 =
    "2026-11-22T10:00:02.000001+00:00 mx postfix/smtpd[1]: disconnect from x[192.0.2.1]";
const std::string kDovecot1 =
    "2026-11-22T10:00:03.000001+00:00 mx dovecot[3]: imap-login: Login: user=<alice>, "
    "method=PLAIN, "
    "rip=192.0.2.7, lip=198.51.100.1, mpid=1, TLS, session=<s>";
const std::string kForeign = "2026-11-22T10:00:04.000001+00:00 mx CRON[4]: (root) CMD (true)";

// A source fed by the test: each Poll hands out the lines queued since the
// last one; its position is the count of lines handed out. Thread-safe, so a
// test can queue lines while the pipeline's thread polls.
class FakeSource final : public LineSource {
 public:
  FakeSource(std::string name, SourceKind kind) : name_(std::move(name)), kind_(kind) {}
  [[nodiscard]] const std::string& name() const override { return name_; }
  [[nodiscard]] SourceKind kind() const override { return kind_; }
  void Start(const SourcePosition& saved) override {
    std::lock_guard<std::mutex> lock(mu_);
    started_at = saved;
    ++starts;
  }
  void Poll(LineSink& sink) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++polls;
    for (; !queued_.empty(); queued_.pop_front()) {
      sink.Line(queued_.front(), false);
      ++handed_out_;
    }
  }
  [[nodiscard]] SourcePosition Position() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (kind_ == SourceKind::kJournal)
      return {std::nullopt, "cursor-" + std::to_string(handed_out_)};
    if (kind_ != SourceKind::kFile || !open) return {};
    FilePosition p;
    p.id = {7, 42};
    p.offset = handed_out_;
    return {p, ""};
  }
  [[nodiscard]] SourceHealth Health() const override { return {.up = true, .rotations = 2}; }
  void Queue(const std::vector<std::string>& lines) {
    std::lock_guard<std::mutex> lock(mu_);
    queued_.insert(queued_.end(), lines.begin(), lines.end());
  }

  SourcePosition started_at;
  int starts = 0;
  int polls = 0;
  bool open = true;  // a file source reports no position while its file is not open

 private:
  std::mutex mu_;  // guards queued_ and handed_out_ against the pipeline's thread
  std::string name_;
  SourceKind kind_;
  std::deque<std::string> queued_;
  std::uint64_t handed_out_ = 0;
};

// Records the messages it was handed, in order; throws on `poison`.
class Recorder final : public RecordConsumer {
 public:
  explicit Recorder(std::string poison = "") : poison_(std::move(poison)) {}
  void Consume(const LogRecord& record) override {
    if (!poison_.empty() && record.message.find(poison_) != std::string_view::npos) {
      throw std::runtime_error("classifier bug");
    }
    messages.emplace_back(record.message);
  }
  std::vector<std::string> messages;

 private:
  std::string poison_;
};

std::string Message(const std::string& line) { return line.substr(line.find("]: ") + 3); }

struct Fixture {
  std::ostringstream log;
  Logger logger{log, LogLevel::kInfo, LogFormat::kLogfmt};
  TempDir dir;
  std::unique_ptr<CheckpointStore> store;
  std::unique_ptr<LogPipeline> pipeline;
  Recorder postfix, dovecot;

  explicit Fixture(bool checkpoint = true, PipelineOptions options = {}) {
    store = std::make_unique<CheckpointStore>(checkpoint ? dir.path.string() : "", logger);
    pipeline = std::make_unique<LogPipeline>(options, *store, logger,
                                             [] { return std::int64_t{1795000000000000}; });
    pipeline->Route(Program::kPostfix, postfix);
    pipeline->Route(Program::kDovecot, dovecot);
  }
  FakeSource& Add(const std::string& name, SourceKind kind = SourceKind::kFile) {
    auto s = std::make_unique<FakeSource>(name, kind);
    FakeSource& raw = *s;
    pipeline->AddSource(std::move(s));
    return raw;
  }
  std::uint64_t Lines(const std::string& source, const std::string& result) {
    std::uint64_t n = 0;
    bool found = false;
    pipeline->ForEachSource([&](const SourceStats& s) {
      if (s.name != source) return;
      found = true;
      const SourceCounters& c = s.counters;
      if (result == "routed") n = c.routed;
      if (result == "foreign") n = c.foreign;
      if (result == "malformed") n = c.malformed;
      if (result == "classifier_errors") n = c.classifier_errors;
    });
    EXPECT_TRUE(found) << source;
    return n;
  }
  Checkpoint Saved() {
    std::string err;
    auto cp = ParseCheckpoint(ReadSmallFile((dir.path / "log-checkpoint.json").string()), err);
    EXPECT_TRUE(cp) << err;
    return cp ? *cp : Checkpoint{};
  }
};

TEST(LogPipeline, each_record_reaches_the_classifier_of_its_program_once_and_in_order) {
  Fixture f;
  FakeSource& a = f.Add("/var/log/mail.log");
  f.pipeline->Open();
  a.Queue({kPostfix1, kForeign, kDovecot1, kPostfix2});
  f.pipeline->PollOnce();
  f.pipeline->PollOnce();  // nothing new: nothing delivered twice
  a.Queue({kPostfix3, "not a log line"});
  f.pipeline->PollOnce();
  EXPECT_EQ((std::vector<std::string>{Message(kPostfix1), Message(kPostfix2), Message(kPostfix3)}),
            f.postfix.messages);
  EXPECT_EQ(std::vector<std::string>{Message(kDovecot1)}, f.dovecot.messages);
  EXPECT_EQ(4u, f.Lines("/var/log/mail.log", "routed"));
  EXPECT_EQ(1u, f.Lines("/var/log/mail.log", "foreign")) << "counted, handed to no classifier";
  EXPECT_EQ(1u, f.Lines("/var/log/mail.log", "malformed"));
}

TEST(LogPipeline, lines_of_two_sources_are_counted_by_source) {
  Fixture f;
  FakeSource& a = f.Add("/var/log/mail.log");
  FakeSource& b = f.Add("journal", SourceKind::kJournal);
  f.pipeline->Open();
  a.Queue({kPostfix1});
  b.Queue({kDovecot1, kForeign});
  f.pipeline->PollOnce();
  EXPECT_EQ(1u, f.Lines("/var/log/mail.log", "routed"));
  EXPECT_EQ(1u, f.Lines("journal", "routed"));
  EXPECT_EQ(1u, f.Lines("journal", "foreign"));
}

TEST(LogPipeline, a_classifier_that_throws_loses_that_line_only) {
  Fixture f;
  Recorder poisoned("removed");
  f.pipeline->Route(Program::kPostfix, poisoned);
  FakeSource& a = f.Add("/var/log/mail.log");
  f.pipeline->Open();
  a.Queue({kPostfix1, kPostfix2, kPostfix3});
  f.pipeline->PollOnce();
  EXPECT_EQ((std::vector<std::string>{Message(kPostfix1), Message(kPostfix3)}), poisoned.messages);
  EXPECT_EQ(3u, f.postfix.messages.size())
      << "the other classifier of the program still gets every line";
  EXPECT_EQ(1u, f.Lines("/var/log/mail.log", "classifier_errors"));
}

TEST(LogPipeline, the_checkpoint_holds_each_sources_position_and_a_restart_resumes_there) {
  SourcePosition file_start, journal_start;
  {
    Fixture f;
    FakeSource& file = f.Add("/var/log/mail.log");
    FakeSource& journal = f.Add("journal", SourceKind::kJournal);
    f.Add("stdin", SourceKind::kStdin);
    f.pipeline->Open();
    file.Queue({kPostfix1, kPostfix2});
    journal.Queue({kDovecot1});
    f.pipeline->PollOnce();
    f.pipeline->SaveCheckpoint();
    const Checkpoint cp = f.Saved();
    ASSERT_EQ(1u, cp.files.size()) << "stdin has no position";
    EXPECT_EQ(2u, cp.files.at("/var/log/mail.log").offset);
    EXPECT_EQ("cursor-1", cp.journal_cursor);
    EXPECT_EQ(1u, f.store->writes());

    // The restart: new sources, same state dir.
    CheckpointStore store(f.dir.path.string(), f.logger);
    LogPipeline again({}, store, f.logger);
    auto file2 = std::make_unique<FakeSource>("/var/log/mail.log", SourceKind::kFile);
    auto journal2 = std::make_unique<FakeSource>("journal", SourceKind::kJournal);
    FakeSource& f2 = *file2;
    FakeSource& j2 = *journal2;
    again.AddSource(std::move(file2));
    again.AddSource(std::move(journal2));
    again.Open();
    file_start = f2.started_at;
    journal_start = j2.started_at;
  }
  ASSERT_TRUE(file_start.file);
  EXPECT_EQ(2u, file_start.file->offset);
  EXPECT_EQ(42u, file_start.file->id.ino);
  EXPECT_EQ("cursor-1", journal_start.journal_cursor);
}

TEST(LogPipeline, a_file_not_open_at_a_save_keeps_its_saved_position) {
  Fixture f;
  FakeSource& file = f.Add("/var/log/mail.log");
  f.pipeline->Open();
  file.Queue({kPostfix1});
  f.pipeline->PollOnce();
  f.pipeline->SaveCheckpoint();
  file.open = false;  // rotated away, new file not there yet
  file.Queue({kPostfix2});
  f.pipeline->PollOnce();
  f.pipeline->SaveCheckpoint();
  EXPECT_EQ(1u, f.Saved().files.at("/var/log/mail.log").offset);
  EXPECT_EQ(2u, f.store->writes());
}

TEST(LogPipeline, stop_reads_what_arrived_since_the_last_poll_and_writes_the_checkpoint) {
  PipelineOptions slow;
  slow.poll_interval = std::chrono::hours(1);  // the thread polls once, then waits for Stop
  slow.checkpoint_interval = std::chrono::hours(1);
  Fixture f(true, slow);
  FakeSource& file = f.Add("/var/log/mail.log");
  file.Queue({kPostfix1});
  f.pipeline->Start();
  file.Queue({kPostfix2, kPostfix3});
  f.pipeline->Stop();
  EXPECT_EQ(1, file.starts);
  EXPECT_EQ((std::vector<std::string>{Message(kPostfix1), Message(kPostfix2), Message(kPostfix3)}),
            f.postfix.messages);
  EXPECT_EQ(3u, f.Saved().files.at("/var/log/mail.log").offset);
  const int polls = file.polls;
  f.pipeline->Stop();  // a second Stop (the destructor's) reads nothing more
  EXPECT_EQ(polls, file.polls);
}

TEST(LogPipeline, without_a_state_dir_nothing_is_written) {
  Fixture f(false);
  FakeSource& file = f.Add("/var/log/mail.log");
  f.pipeline->Open();
  file.Queue({kPostfix1});
  f.pipeline->PollOnce();
  f.pipeline->SaveCheckpoint();
  EXPECT_EQ(0u, f.store->writes());
  EXPECT_FALSE(fs::exists(f.dir.path / "log-checkpoint.json"));
}

TEST(LogCollector, reports_each_sources_lines_and_health_and_checkpoint_writes) {
  Fixture f;
  FakeSource& file = f.Add("/var/log/mail.log");
  f.pipeline->Open();
  file.Queue({kPostfix1, kForeign});
  f.pipeline->PollOnce();
  f.pipeline->SaveCheckpoint();
  LogCollector collector(std::move(f.store), std::move(f.pipeline));
  std::vector<prometheus::MetricFamily> out;
  collector.Collect(out);
  const std::string text = metrics::SerializeText(out);
  for (const char* want :
       {"mailpath_log_lines_total{source=\"/var/log/mail.log\",result=\"routed\"} 1\n",
        "mailpath_log_lines_total{source=\"/var/log/mail.log\",result=\"foreign\"} 1\n",
        "mailpath_log_rotations_total{source=\"/var/log/mail.log\"} 2\n",
        "mailpath_log_source_up{source=\"/var/log/mail.log\"} 1\n",
        "mailpath_log_checkpoint_writes_total{result=\"ok\"} 1\n"}) {
    EXPECT_NE(std::string::npos, text.find(want)) << want << text;
  }
}

}  // namespace
}  // namespace mailpath::logs
