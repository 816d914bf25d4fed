#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "mailpath/logs/file_follower.h"
#include "mailpath/logs/journal_source.h"
#include "mailpath/logs/line_source.h"
#include "mailpath/logs/line_splitter.h"

namespace mailpath::logs {
namespace {

class FileLineSource final : public LineSource {
 public:
  FileLineSource(const std::string& path, std::size_t max_line_bytes, bool from_beginning,
                 Logger& logger)
      : follower_(path, max_line_bytes, logger), from_beginning_(from_beginning) {}
  [[nodiscard]] const std::string& name() const override { return follower_.path(); }
  [[nodiscard]] SourceKind kind() const override { return SourceKind::kFile; }
  void Start(const SourcePosition& saved) override { follower_.Start(saved.file, from_beginning_); }
  void Poll(LineSink& sink) override {
    follower_.Poll([&sink](std::string_view line, bool oversized) { sink.Line(line, oversized); });
  }
  [[nodiscard]] SourcePosition Position() override { return {follower_.Position(), ""}; }
  [[nodiscard]] SourceHealth Health() const override {
    const FollowerStats& st = follower_.stats();
    return {st.open, st.rotations, st.truncations, st.open_errors};
  }

 private:
  FileFollower follower_;
  bool from_beginning_;
};

class StdinLineSource final : public LineSource {
 public:
  explicit StdinLineSource(std::size_t max_line_bytes) : splitter_(max_line_bytes) {}
  [[nodiscard]] const std::string& name() const override { return name_; }
  [[nodiscard]] SourceKind kind() const override { return SourceKind::kStdin; }
  void Start(const SourcePosition&) override {
    ::fcntl(0, F_SETFL, ::fcntl(0, F_GETFL) | O_NONBLOCK);
    up_ = true;
  }
  void Poll(LineSink& sink) override {
    if (eof_) return;
    const auto on_line = [&sink](std::string_view line, bool oversized) {
      sink.Line(line, oversized);
    };
    char buf[64 * 1024];
    for (;;) {
      const ssize_t n = ::read(0, buf, sizeof buf);
      if (n > 0) {
        splitter_.Feed(std::string_view(buf, static_cast<std::size_t>(n)), on_line);
        continue;
      }
      if (n == 0) {
        splitter_.Flush(on_line);
        eof_ = true;
        up_ = false;
      }
      break;  // EAGAIN, EOF or error
    }
  }
  [[nodiscard]] SourcePosition Position() override { return {}; }
  [[nodiscard]] SourceHealth Health() const override { return {.up = up_}; }

 private:
  const std::string name_ = "stdin";
  LineSplitter splitter_;
  bool eof_ = false;
  bool up_ = false;
};

// The journal may be unreadable at start (missing group, no journald yet):
// the source reports up 0, the reason is logged (rate-limited) and opening
// is retried every few seconds, so the exporter recovers by itself.
class JournalLineSource final : public LineSource {
 public:
  JournalLineSource(const LineSourceOptions& o, Logger& logger)
      : directory_(o.journal_directory),
        matches_(o.journal_matches),
        from_beginning_(o.from_beginning),
        logger_(logger) {}
  [[nodiscard]] const std::string& name() const override { return name_; }
  [[nodiscard]] SourceKind kind() const override { return SourceKind::kJournal; }
  void Start(const SourcePosition& saved) override {
    cursor_ = saved.journal_cursor;
    Open();
  }
  void Poll(LineSink& sink) override {
    if (!journal_ && std::chrono::steady_clock::now() >= next_open_) Open();
    if (journal_) journal_->Poll([&sink](LogRecord& r) { sink.Record(r); });
  }
  [[nodiscard]] SourcePosition Position() override {
    return {std::nullopt, journal_ ? journal_->cursor() : std::string()};
  }
  [[nodiscard]] SourceHealth Health() const override {
    return {.up = journal_ != nullptr, .open_errors = open_errors_};
  }

 private:
  void Open() {
    next_open_ = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    try {
      auto journal = std::make_unique<JournalSource>(directory_, matches_, logger_);
      journal->Start(cursor_, from_beginning_);
      journal_ = std::move(journal);
      if (open_errors_ > 0) logger_.Info("journal opened", {});
    } catch (const std::exception& e) {
      ++open_errors_;
      logger_.LogEvery("journal-open", std::chrono::minutes(1), LogLevel::kError,
                       "cannot read the journal; retrying every 5 s", {{"err", e.what()}});
    }
  }

  const std::string name_ = "journal";
  std::string directory_;
  std::vector<std::string> matches_;
  bool from_beginning_;
  Logger& logger_;
  std::string cursor_;  // the checkpoint's, for (re)opening
  std::unique_ptr<JournalSource> journal_;
  std::uint64_t open_errors_ = 0;
  std::chrono::steady_clock::time_point next_open_{};
};

}  // namespace

std::vector<std::unique_ptr<LineSource>> MakeLineSources(const LineSourceOptions& options,
                                                         Logger& logger) {
  std::vector<std::unique_ptr<LineSource>> out;
  for (const std::string& file : options.files) {
    if (file == "-") {
      out.push_back(std::make_unique<StdinLineSource>(options.max_line_bytes));
    } else {
      out.push_back(std::make_unique<FileLineSource>(file, options.max_line_bytes,
                                                     options.from_beginning, logger));
    }
  }
  if (options.journal) out.push_back(std::make_unique<JournalLineSource>(options, logger));
  return out;
}

ReplayLineSource::ReplayLineSource(std::string path, std::size_t max_line_bytes)
    : path_(std::move(path)), max_line_bytes_(max_line_bytes) {}

void ReplayLineSource::Poll(LineSink& sink) {
  if (done_) return;
  done_ = true;
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error_ = path_ + ": cannot open: " + std::strerror(errno);
    return;
  }
  LineSplitter splitter(max_line_bytes_);
  const auto on_line = [&sink](std::string_view line, bool oversized) {
    sink.Line(line, oversized);
  };
  std::vector<char> buf(256 * 1024);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error_ = path_ + ": read: " + std::strerror(errno);
      ::close(fd);
      return;
    }
    if (n == 0) break;
    splitter.Feed(std::string_view(buf.data(), static_cast<std::size_t>(n)), on_line);
  }
  splitter.Flush(on_line);
  ::close(fd);
  up_ = true;
}

}  // namespace mailpath::logs
