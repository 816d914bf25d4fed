#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mailpath::logs {

/// Cuts a byte stream into lines. A partial last line is held until its
/// newline arrives (or Flush). Lines longer than `max_line_bytes` are cut to
/// that length and flagged oversized; the rest of such a line is discarded up
/// to its newline. Bytes are passed through untouched (NUL, invalid UTF-8):
/// deciding what they mean is the parser's job. A trailing '\r' is removed.
class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line_bytes = 64 * 1024) : max_(max_line_bytes) {}

  /// Calls `on_line(std::string_view line, bool oversized)` for every complete
  /// line in `chunk`. pending_bytes() afterwards tells how many bytes belong
  /// to a line not yet complete, so a caller can checkpoint at a line boundary.
  template <typename OnLine>
  void Feed(std::string_view chunk, OnLine&& on_line);

  /// Emits a held partial line (at end of a replayed file).
  template <typename OnLine>
  void Flush(OnLine&& on_line);

  /// Bytes held back in a partial line (not yet emitted).
  [[nodiscard]] std::size_t pending_bytes() const { return pending_bytes_; }
  void Reset() {
    held_.clear();
    pending_bytes_ = 0;
    skipping_ = false;
  }

 private:
  const std::size_t max_;
  std::string held_;               // start of a line that spans chunks (at most max_ bytes)
  std::size_t pending_bytes_ = 0;  // raw bytes of the current partial line, incl. discarded ones
  bool skipping_ = false;          // current line is oversized; drop until newline
};

template <typename OnLine>
void LineSplitter::Feed(std::string_view chunk, OnLine&& on_line) {
  while (!chunk.empty()) {
    const std::size_t nl = chunk.find('\n');
    const std::string_view piece = chunk.substr(0, nl);
    if (nl == std::string_view::npos) {
      pending_bytes_ += piece.size();
      if (!skipping_) {
        const std::size_t room = max_ - held_.size();
        held_.append(piece.substr(0, room));
        if (piece.size() > room) skipping_ = true;
      }
      return;
    }
    chunk.remove_prefix(nl + 1);
    bool oversized = skipping_;
    std::string_view line;
    if (held_.empty() && !skipping_) {
      line = piece;
      if (line.size() > max_) {
        line = line.substr(0, max_);
        oversized = true;
      }
    } else {
      if (!skipping_) {
        const std::size_t room = max_ - held_.size();
        held_.append(piece.substr(0, room));
        if (piece.size() > room) oversized = true;
      }
      line = held_;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    on_line(line, oversized);
    held_.clear();
    pending_bytes_ = 0;
    skipping_ = false;
  }
}

template <typename OnLine>
void LineSplitter::Flush(OnLine&& on_line) {
  if (pending_bytes_ == 0) return;
  std::string_view line = held_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  on_line(line, skipping_);
  Reset();
}

}  // namespace mailpath::logs
