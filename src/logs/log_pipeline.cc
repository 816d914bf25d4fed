#include "mailpath/logs/log_pipeline.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "mailpath/common/read_file.h"
#include "mailpath/logs/envelope.h"
#include "mailpath/logs/file_follower.h"
#include "mailpath/logs/journal_source.h"
#include "mailpath/logs/line_splitter.h"
#include "mailpath/metrics/family_builder.h"

namespace mailpath::logs {

struct LogPipeline::Source {
  enum class Kind { kFile, kStdin, kJournal, kReplay } kind;
  std::string name;
  SourceCounters counters;
  std::unique_ptr<FileFollower> follower;
  std::unique_ptr<JournalSource> journal;
  std::unique_ptr<LineSplitter> splitter;  // stdin
  bool stdin_eof = false;
  // Follower statistics, copied after each poll so scrapes read them safely.
  std::atomic<std::uint64_t> rotations{0};
  std::atomic<std::uint64_t> truncations{0};
  std::atomic<std::uint64_t> open_errors{0};
  std::atomic<int> up{0};
  std::chrono::steady_clock::time_point next_open{};  // journal: when to try opening again
};

namespace {

std::int64_t SystemNowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

LogPipeline::LogPipeline(PipelineOptions options, Logger& logger, NowUs now)
    : options_(std::move(options)), logger_(logger), now_(now ? std::move(now) : NowUs(SystemNowUs)) {}

LogPipeline::~LogPipeline() { Stop(); }

LogPipeline::Source& LogPipeline::AddSource(const std::string& name) {
  std::lock_guard<std::mutex> lock(sources_mu_);
  sources_.push_back(std::make_unique<Source>());
  sources_.back()->name = name;
  return *sources_.back();
}

void LogPipeline::HandleRecord(SourceCounters& counters, LogRecord& record) {
  if (counters.journal) counters.bytes.fetch_add(record.message.size(), std::memory_order_relaxed);
  if (record.program == Program::kForeign) {
    counters.foreign.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  counters.routed.fetch_add(1, std::memory_order_relaxed);
  if (record.timestamp_us > counters.newest_us.load(std::memory_order_relaxed)) {
    counters.newest_us.store(record.timestamp_us, std::memory_order_relaxed);
  }
  for (RecordConsumer* c : consumers_) {
    try {
      c->Consume(record);
    } catch (const std::exception& e) {
      // A classifier bug must cost one line, never the exporter.
      if (counters.classifier_errors.fetch_add(1, std::memory_order_relaxed) < 10) {
        logger_.Error("classifier failed on a line; skipped", {{"err", e.what()}});
      }
    }
  }
}

void LogPipeline::HandleLine(SourceCounters& counters, std::string_view line, bool oversized) {
  counters.bytes.fetch_add(line.size() + 1, std::memory_order_relaxed);
  if (oversized) {
    counters.oversized.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  LogRecord record;
  if (!ParseLogLine(line, now_(), record)) {
    (IsFramingOnly(line) ? counters.skipped : counters.malformed).fetch_add(1, std::memory_order_relaxed);
    return;
  }
  HandleRecord(counters, record);
}

std::string LogPipeline::Replay(const std::string& path) {
  Source& src = AddSource(path);
  src.kind = Source::Kind::kReplay;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return path + ": cannot open: " + std::strerror(errno);
  LineSplitter splitter(options_.max_line_bytes);
  auto on_line = [&](std::string_view line, bool oversized) { HandleLine(src.counters, line, oversized); };
  std::vector<char> buf(256 * 1024);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string err = path + ": read: " + std::strerror(errno);
      ::close(fd);
      return err;
    }
    if (n == 0) break;
    splitter.Feed(std::string_view(buf.data(), static_cast<std::size_t>(n)), on_line);
  }
  splitter.Flush(on_line);
  ::close(fd);
  src.up = 1;
  return "";
}

void LogPipeline::LoadCheckpoint() {
  if (options_.state_dir.empty()) return;
  const std::string path = options_.state_dir + "/log-checkpoint.json";
  std::string text;
  try {
    text = ReadSmallFile(path);
  } catch (const std::system_error& e) {
    if (e.code().value() != ENOENT) logger_.Warn("cannot read log checkpoint", {{"path", path}, {"err", e.what()}});
    return;
  }
  std::string err;
  if (auto cp = ParseCheckpoint(text, err)) {
    loaded_ = std::move(*cp);
  } else {
    logger_.Warn("ignoring damaged log checkpoint", {{"path", path}, {"err", err}});
  }
}

void LogPipeline::SaveCheckpoint() {
  if (options_.state_dir.empty()) return;
  Checkpoint cp = loaded_;  // keep entries of sources that have no open file right now
  for (auto& s : sources_) {
    if (s->follower) {
      if (auto pos = s->follower->Position()) cp.files[s->name] = *pos;
    } else if (s->journal && !s->journal->cursor().empty()) {
      cp.journal_cursor = s->journal->cursor();
    }
  }
  const std::string path = options_.state_dir + "/log-checkpoint.json";
  if (std::string err = WriteFileAtomically(path, SerializeCheckpoint(cp)); !err.empty()) {
    checkpoint_failures_.fetch_add(1);
    logger_.LogEvery("checkpoint", std::chrono::minutes(1), LogLevel::kWarn, "cannot write log checkpoint",
                     {{"err", err}});
    return;
  }
  loaded_ = std::move(cp);
  checkpoint_writes_.fetch_add(1);
}

void LogPipeline::Start() {
  LoadCheckpoint();
  for (const auto& file : options_.files) {
    Source& src = AddSource(file == "-" ? "stdin" : file);
    if (file == "-") {
      src.kind = Source::Kind::kStdin;
      src.splitter = std::make_unique<LineSplitter>(options_.max_line_bytes);
      ::fcntl(0, F_SETFL, ::fcntl(0, F_GETFL) | O_NONBLOCK);
      src.up = 1;
      continue;
    }
    src.kind = Source::Kind::kFile;
    src.follower = std::make_unique<FileFollower>(file, options_.max_line_bytes, logger_);
    std::optional<FilePosition> saved;
    if (auto it = loaded_.files.find(file); it != loaded_.files.end()) saved = it->second;
    src.follower->Start(saved, options_.from_beginning);
  }
  if (options_.journal) {
    Source& src = AddSource("journal");
    src.kind = Source::Kind::kJournal;
    src.counters.journal = true;
    OpenJournal(src);
  }
  thread_ = std::thread([this] { Run(); });
}

// The journal may be unreadable at start (missing group, no journald yet):
// the source reports up 0, the reason is logged (rate-limited) and opening
// is retried every few seconds, so the exporter recovers by itself.
void LogPipeline::OpenJournal(Source& src) {
  src.next_open = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  try {
    auto journal = std::make_unique<JournalSource>(options_.journal_directory, options_.journal_matches, logger_);
    journal->Start(loaded_.journal_cursor, options_.from_beginning);
    src.journal = std::move(journal);
    src.up = 1;
    if (src.open_errors.load() > 0) logger_.Info("journal opened", {});
  } catch (const std::exception& e) {
    src.open_errors.fetch_add(1);
    src.up = 0;
    logger_.LogEvery("journal-open", std::chrono::minutes(1), LogLevel::kError,
                     "cannot read the journal; retrying every 5 s", {{"err", e.what()}});
  }
}

void LogPipeline::PollOnce() {
  for (auto& s : sources_) {
    switch (s->kind) {
      case Source::Kind::kFile: {
        s->follower->Poll([&](std::string_view line, bool over) { HandleLine(s->counters, line, over); });
        const FollowerStats& st = s->follower->stats();
        s->rotations = st.rotations;
        s->truncations = st.truncations;
        s->open_errors = st.open_errors;
        s->up = st.open ? 1 : 0;
        break;
      }
      case Source::Kind::kStdin: {
        if (s->stdin_eof) break;
        char buf[64 * 1024];
        for (;;) {
          const ssize_t n = ::read(0, buf, sizeof buf);
          if (n > 0) {
            s->splitter->Feed(std::string_view(buf, static_cast<std::size_t>(n)),
                              [&](std::string_view line, bool over) { HandleLine(s->counters, line, over); });
            continue;
          }
          if (n == 0) {
            s->splitter->Flush([&](std::string_view line, bool over) { HandleLine(s->counters, line, over); });
            s->stdin_eof = true;
            s->up = 0;
          }
          break;  // EAGAIN, EOF or error
        }
        break;
      }
      case Source::Kind::kJournal:
        if (!s->journal && std::chrono::steady_clock::now() >= s->next_open) OpenJournal(*s);
        if (s->journal) s->journal->Poll([&](LogRecord& r) { HandleRecord(s->counters, r); });
        break;
      case Source::Kind::kReplay:
        break;
    }
  }
}

void LogPipeline::Run() {
  auto last_save = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stopping_) {
    const bool requested = checkpoint_requested_;
    checkpoint_requested_ = false;
    lock.unlock();
    PollOnce();
    if (requested || std::chrono::steady_clock::now() - last_save >= options_.checkpoint_interval) {
      SaveCheckpoint();
      last_save = std::chrono::steady_clock::now();
    }
    lock.lock();
    stop_cv_.wait_for(lock, options_.poll_interval,
                      [this] { return stopping_ || checkpoint_requested_; });
  }
}

void LogPipeline::RequestCheckpoint() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    checkpoint_requested_ = true;
  }
  stop_cv_.notify_all();
}

void LogPipeline::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (stopping_ || !thread_.joinable()) return;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
  PollOnce();  // what arrived since the last poll
  SaveCheckpoint();
}

void LogPipeline::Collect(std::vector<prometheus::MetricFamily>& out) {
  using metrics::FamilyBuilder;
  using prometheus::MetricType;
  FamilyBuilder lines("mailpath_log_lines_total",
                      "Log lines read, by source and result: routed (Postfix/Dovecot, handed to the classifiers), "
                      "foreign (other programs), malformed (no envelope), oversized (over the line cap, skipped), skipped "
                      "(blank lines and journalctl's \"-- ... --\" markers).",
                      MetricType::Counter);
  FamilyBuilder bytes("mailpath_log_read_bytes_total", "Bytes of log lines read, by source (for the journal: MESSAGE bytes).", MetricType::Counter);
  FamilyBuilder rotations("mailpath_log_rotations_total",
                          "Rotations followed (the old file drained, the new one opened), by source.",
                          MetricType::Counter);
  FamilyBuilder truncations("mailpath_log_truncations_total",
                            "Files found shorter than the read position (copytruncate), by source.",
                            MetricType::Counter);
  FamilyBuilder open_errors("mailpath_log_open_errors_total", "Failed attempts to open a log source, by source.",
                            MetricType::Counter);
  FamilyBuilder classifier_errors("mailpath_log_classifier_errors_total",
                                  "Routed lines a classifier failed on (skipped; a bug worth reporting), by source.",
                                  MetricType::Counter);
  FamilyBuilder up("mailpath_log_source_up", "1 while the source is open and readable.", MetricType::Gauge);
  FamilyBuilder lag("mailpath_log_lag_seconds",
                    "Seconds between now and the newest Postfix/Dovecot line's own timestamp, by source.",
                    MetricType::Gauge);
  const double now_s = static_cast<double>(now_()) / 1e6;
  {
    std::lock_guard<std::mutex> lock(sources_mu_);
    for (const auto& s : sources_) {
      const SourceCounters& c = s->counters;
      for (const auto& [result, v] : {std::pair{"routed", &c.routed}, std::pair{"foreign", &c.foreign},
                                      std::pair{"malformed", &c.malformed}, std::pair{"oversized", &c.oversized},
                                      std::pair{"skipped", &c.skipped}}) {
        lines.Counter({{"source", s->name}, {"result", result}}, static_cast<double>(v->load()));
      }
      bytes.Counter({{"source", s->name}}, static_cast<double>(c.bytes.load()));
      classifier_errors.Counter({{"source", s->name}}, static_cast<double>(c.classifier_errors.load()));
      if (s->kind == Source::Kind::kJournal) {
        open_errors.Counter({{"source", s->name}}, static_cast<double>(s->open_errors.load()));
      }
      if (s->kind == Source::Kind::kFile) {
        rotations.Counter({{"source", s->name}}, static_cast<double>(s->rotations.load()));
        truncations.Counter({{"source", s->name}}, static_cast<double>(s->truncations.load()));
        open_errors.Counter({{"source", s->name}}, static_cast<double>(s->open_errors.load()));
      }
      up.Gauge({{"source", s->name}}, s->up.load());
      if (const std::int64_t newest = c.newest_us.load(); newest > 0 && s->kind != Source::Kind::kReplay) {
        lag.Gauge({{"source", s->name}}, now_s - static_cast<double>(newest) / 1e6);
      }
    }
  }
  for (FamilyBuilder* b : {&lines, &bytes, &classifier_errors, &rotations, &truncations, &open_errors, &up, &lag}) {
    if (!b->family().metric.empty()) out.push_back(std::move(*b).Build());
  }
  if (!options_.state_dir.empty()) {
    out.push_back(FamilyBuilder("mailpath_log_checkpoint_writes_total",
                                "Checkpoint writes to --state.dir, by result.", MetricType::Counter)
                      .Counter({{"result", "ok"}}, static_cast<double>(checkpoint_writes_.load()))
                      .Counter({{"result", "error"}}, static_cast<double>(checkpoint_failures_.load()))
                      .family());
  }
}

}  // namespace mailpath::logs
