#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mailpath/common/logger.h"
#include "mailpath/logs/checkpoint.h"
#include "mailpath/logs/log_record.h"
#include "mailpath/metrics/collector.h"

namespace mailpath::logs {

class FileFollower;
class JournalSource;

struct PipelineOptions {
  std::vector<std::string> files;  // "-" is standard input
  bool journal = false;
  std::vector<std::string> journal_matches;  // "FIELD=value" matches, ORed; empty: every entry
  std::string journal_directory;  // sd_journal_open_directory when set
  std::string state_dir;          // checkpoint location; empty: no checkpoint
  bool from_beginning = false;
  std::size_t max_line_bytes = 64 * 1024;
  std::chrono::milliseconds poll_interval{250};
  std::chrono::seconds checkpoint_interval{5};
};

/// Per-source line results, exported as mailpath_log_lines_total{source,result}.
struct SourceCounters {
  std::atomic<std::uint64_t> routed{0};     // Postfix or Dovecot lines handed to the classifiers
  std::atomic<std::uint64_t> foreign{0};    // well-formed lines of other programs
  std::atomic<std::uint64_t> malformed{0};  // not blank, and no recognisable envelope
  std::atomic<std::uint64_t> skipped{0};    // blank lines and journalctl's "-- ... --" markers (IsFramingOnly)
  std::atomic<std::uint64_t> classifier_errors{0};  // a classifier threw on a routed line (a bug; line skipped)
  std::atomic<std::uint64_t> oversized{0};  // over the line cap; skipped
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::int64_t> newest_us{0};   // newest line timestamp seen
  bool journal = false;                      // records arrive framed: count MESSAGE bytes
};

/// source -> envelope -> router -> consumers. Owns its sources and one
/// thread that polls them; consumers (the Postfix and Dovecot classifiers)
/// are called on that thread only, in log order. Also the `logs` collector:
/// its own counters per source.
class LogPipeline final : public metrics::Collector {
 public:
  using NowUs = std::function<std::int64_t()>;

  LogPipeline(PipelineOptions options, Logger& logger, NowUs now = nullptr);
  ~LogPipeline() override;

  /// Registers a consumer; call before Start or Replay.
  void AddConsumer(RecordConsumer* consumer) { consumers_.push_back(consumer); }

  /// Opens the sources (resuming from the checkpoint) and starts polling.
  void Start();
  /// Reads what is left, writes the checkpoint, joins the thread.
  void Stop();
  /// Asks the polling thread to read what is new and write the checkpoint
  /// now (SIGHUP), without waiting for it. Thread-safe.
  void RequestCheckpoint();

  /// Reads `path` from start to end through the same pipeline, synchronously.
  /// Returns "" or an error naming the file.
  [[nodiscard]] std::string Replay(const std::string& path);

  /// Hands one line to the pipeline as if read from `source` (index into
  /// the sources registered with counters). Used by sources and tests.
  void HandleLine(SourceCounters& counters, std::string_view line, bool oversized);
  /// Hands one already-framed record (journal) to the pipeline.
  void HandleRecord(SourceCounters& counters, LogRecord& record);

  void Collect(std::vector<prometheus::MetricFamily>& out) override;

 private:
  struct Source;
  Source& AddSource(const std::string& name);
  void Run();
  void PollOnce();
  void OpenJournal(Source& src);
  void SaveCheckpoint();
  void LoadCheckpoint();

  PipelineOptions options_;
  Logger& logger_;
  NowUs now_;
  std::vector<RecordConsumer*> consumers_;
  std::vector<std::unique_ptr<Source>> sources_;  // fixed after Start/Replay begins
  std::mutex sources_mu_;  // guards sources_ growth against Collect
  Checkpoint loaded_;
  std::atomic<std::uint64_t> checkpoint_writes_{0};
  std::atomic<std::uint64_t> checkpoint_failures_{0};
  std::mutex stop_mu_;  // guards stopping_ and checkpoint_requested_ with stop_cv_
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  bool checkpoint_requested_ = false;
  std::thread thread_;
};

}  // namespace mailpath::logs
