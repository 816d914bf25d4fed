#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mailpath/common/logger.h"
#include "mailpath/logs/checkpoint.h"
#include "mailpath/logs/log_record.h"

namespace mailpath::logs {

/// What kind of source a LineSource is: decides which of the mailpath_log_*
/// families it reports (rotations only for files, no lag for a replay, ...).
enum class SourceKind { kFile, kStdin, kJournal, kReplay };

/// Where a source stands, for the checkpoint: a followed file's position, or
/// the journal's cursor. Sources that cannot resume (stdin, a replay) have
/// neither.
struct SourcePosition {
  std::optional<FilePosition> file;
  std::string journal_cursor;
};

/// A source's health after its last Poll.
struct SourceHealth {
  bool up = false;  // open and readable
  std::uint64_t rotations = 0;
  std::uint64_t truncations = 0;
  std::uint64_t open_errors = 0;
};

/// Receives what a source reads, one line or record at a time, in order.
class LineSink {
 public:
  virtual ~LineSink() = default;
  /// A raw line (no newline; cut to the line cap and flagged when longer).
  virtual void Line(std::string_view line, bool oversized) = 0;
  /// A record already framed by its source (the journal's fields).
  virtual void Record(LogRecord& record) = 0;
};

/// One source of log lines: a followed file, standard input, the journal or
/// a file replayed once. The log pipeline polls every source on its own
/// thread; a source is used by that one thread only.
class LineSource {
 public:
  virtual ~LineSource() = default;
  /// The `source` label and the checkpoint key: the path, "stdin", "journal".
  [[nodiscard]] virtual const std::string& name() const = 0;
  [[nodiscard]] virtual SourceKind kind() const = 0;
  /// Opens the source, resuming at `saved` when it still matches (a file by
  /// inode and fingerprint, the journal by cursor); without a usable saved
  /// position it starts at the end, or at the beginning when configured so.
  virtual void Start(const SourcePosition& saved) = 0;
  /// Reads everything new and hands it to `sink`, in order. Never throws for
  /// an unreadable source: Health() says so.
  virtual void Poll(LineSink& sink) = 0;
  /// Just past the last line handed to the sink, for the checkpoint.
  [[nodiscard]] virtual SourcePosition Position() = 0;
  [[nodiscard]] virtual SourceHealth Health() const = 0;
};

/// Options of the sources built from flags.
struct LineSourceOptions {
  std::vector<std::string> files;  // "-" is standard input
  bool journal = false;
  std::vector<std::string> journal_matches;  // "FIELD=value" matches, ORed; empty: every entry
  std::string journal_directory;             // sd_journal_open_directory when set
  bool from_beginning = false;
  std::size_t max_line_bytes = 64 * 1024;
};

/// The followed files (FileFollower), standard input and the journal
/// (JournalSource), in that order, as the flags name them.
[[nodiscard]] std::vector<std::unique_ptr<LineSource>> MakeLineSources(
    const LineSourceOptions& options, Logger& logger);

/// `path` read once from its start to its end by the first Poll (--replay).
/// Health().up is 0 and error() says why when it cannot be read.
class ReplayLineSource final : public LineSource {
 public:
  ReplayLineSource(std::string path, std::size_t max_line_bytes);
  [[nodiscard]] const std::string& name() const override { return path_; }
  [[nodiscard]] SourceKind kind() const override { return SourceKind::kReplay; }
  void Start(const SourcePosition&) override {}
  void Poll(LineSink& sink) override;
  [[nodiscard]] SourcePosition Position() override { return {}; }
  [[nodiscard]] SourceHealth Health() const override { return {.up = up_}; }
  /// "" or what went wrong, naming the file.
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  std::string path_;
  std::size_t max_line_bytes_;
  bool done_ = false;
  bool up_ = false;
  std::string error_;
};

}  // namespace mailpath::logs
