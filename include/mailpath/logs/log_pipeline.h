#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mailpath/common/logger.h"
#include "mailpath/logs/checkpoint.h"
#include "mailpath/logs/checkpoint_store.h"
#include "mailpath/logs/line_source.h"
#include "mailpath/logs/log_record.h"

namespace mailpath::logs {

/// How the driver paces itself.
struct PipelineOptions {
  std::chrono::milliseconds poll_interval{250};
  std::chrono::seconds checkpoint_interval{5};
  std::size_t max_line_bytes = 64 * 1024;  // of replayed files
};

/// Per-source line results, exported as mailpath_log_lines_total{source,result}.
struct SourceCounters {
  std::atomic<std::uint64_t> routed{0};     // Postfix or Dovecot lines handed to the classifiers
  std::atomic<std::uint64_t> foreign{0};    // well-formed lines of other programs
  std::atomic<std::uint64_t> malformed{0};  // not blank, and no recognisable envelope
  std::atomic<std::uint64_t> skipped{
      0};  // blank lines and journalctl's "-- ... --" markers (IsFramingOnly)
  std::atomic<std::uint64_t> classifier_errors{
      0};  // a classifier threw on a routed line (a bug; line skipped)
  std::atomic<std::uint64_t> oversized{0};  // over the line cap; skipped
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::int64_t> newest_us{0};  // newest line timestamp seen
  bool journal = false;                    // records arrive framed: count MESSAGE bytes
};

/// One source as the `logs` collector sees it: its line counters and its
/// health as of its last poll (copied, so scrapes never touch the source).
struct SourceStats {
  std::string name;
  SourceKind kind = SourceKind::kFile;
  SourceCounters counters;
  std::atomic<int> up{0};
  std::atomic<std::uint64_t> rotations{0};
  std::atomic<std::uint64_t> truncations{0};
  std::atomic<std::uint64_t> open_errors{0};
};

/// The log driver: sources -> envelope -> router -> classifiers. Polls its
/// LineSources on one thread; each record goes to the consumers routed for
/// its program (Postfix lines to the Postfix classifier, Dovecot lines to the
/// Dovecot one), on that thread only, in log order; other programs' lines
/// are counted, not handed on. Resumes from and saves to a CheckpointStore.
/// Its counters are read by LogCollector.
class LogPipeline {
 public:
  using NowUs = std::function<std::int64_t()>;

  LogPipeline(PipelineOptions options, CheckpointStore& store, Logger& logger, NowUs now = nullptr);
  ~LogPipeline();
  LogPipeline(const LogPipeline&) = delete;
  LogPipeline& operator=(const LogPipeline&) = delete;

  /// Hands every record of `program` to `consumer`. Call before Open, Start
  /// or Replay. A consumer that throws costs that line (counted), never the
  /// pipeline.
  void Route(Program program, RecordConsumer& consumer);
  /// Adds a source to poll. Call before Open or Start.
  void AddSource(std::unique_ptr<LineSource> source);

  /// Starts every source at its checkpointed position (Open) and the
  /// polling thread.
  void Start();
  /// Reads what is left, writes the checkpoint, joins the thread.
  void Stop();
  /// Asks the polling thread to read what is new and write the checkpoint
  /// now (SIGHUP), without waiting for it. Thread-safe.
  void RequestCheckpoint();

  /// Reads `path` from start to end through the same routing, synchronously
  /// (--replay). Returns "" or an error naming the file.
  [[nodiscard]] std::string Replay(const std::string& path);

  /// The steps of the thread, for tests that drive the pipeline without it:
  /// load the checkpoint and start the sources; poll each source once; save
  /// every source's position.
  void Open();
  void PollOnce();
  void SaveCheckpoint();

  /// Calls `fn` for each source, in the order added. Thread-safe.
  void ForEachSource(const std::function<void(const SourceStats&)>& fn);
  [[nodiscard]] std::int64_t NowMicros() const { return now_(); }

 private:
  struct Entry;
  Entry& Add(std::unique_ptr<LineSource> source);
  void Run();
  void HandleLine(SourceCounters& counters, std::string_view line, bool oversized);
  void HandleRecord(SourceCounters& counters, LogRecord& record);

  PipelineOptions options_;
  CheckpointStore& store_;
  Logger& logger_;
  NowUs now_;
  // now_() read once per poll of a source (the year of a year-less stamp is
  // inferred from it), not once per line.
  std::int64_t poll_now_us_ = 0;
  std::array<std::vector<RecordConsumer*>, 3> routes_;  // by Program
  std::vector<std::unique_ptr<Entry>> entries_;         // grows only before the thread starts
  std::mutex entries_mu_;  // guards entries_ growth against ForEachSource
  Checkpoint loaded_;   // the last checkpoint read or written; keeps entries of files not open now
  std::mutex stop_mu_;  // guards stopping_ and checkpoint_requested_ with stop_cv_
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  bool checkpoint_requested_ = false;
  std::thread thread_;
};

}  // namespace mailpath::logs
