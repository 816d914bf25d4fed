#include "mailpath/logs/file_follower.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace mailpath::logs {
namespace {

PathStat StatPath(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {true,
          {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)},
          static_cast<std::uint64_t>(st.st_size)};
}

std::string PrefixBytes(int fd, std::uint32_t len) {
  std::string buf(len, '\0');
  std::size_t got = 0;
  while (got < len) {
    const ssize_t n = ::pread(fd, buf.data() + got, len - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  buf.resize(got);
  return buf;
}

std::string DirName(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Opens `path` for reading only if it is a regular file, never blocking: a
// FIFO would block open() until a writer came (and with it the thread that
// polls every file source), and a device or a directory is no log. Returns
// the descriptor, or -1 with `err` (errno) or `why` (not a regular file).
int OpenRegular(const std::string& path, int& err, std::string& why) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    err = errno;
    return -1;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    err = 0;
    why = S_ISFIFO(st.st_mode)                         ? "not a regular file but a FIFO"
          : S_ISDIR(st.st_mode)                        ? "not a regular file but a directory"
          : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "not a regular file but a device"
          : S_ISSOCK(st.st_mode)                       ? "not a regular file but a socket"
                                                       : "not a regular file";
    return -1;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

int OpenRegular(const std::string& path) {
  int err = 0;
  std::string why;
  return OpenRegular(path, err, why);
}

struct SiblingEntry {
  Sibling sibling;
  FileId id;
};

/// Regular files in `dir` whose names start with `base` (but are not it).
std::vector<SiblingEntry> ListSiblings(const std::string& dir, const std::string& base) {
  std::vector<SiblingEntry> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name == base || !name.starts_with(base)) continue;
    struct stat st {};
    if (::stat((dir + "/" + name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    out.push_back(
        {{name, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec},
         {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)}});
  }
  ::closedir(d);
  return out;
}

}  // namespace

FileFollower::FileFollower(std::string path, std::size_t max_line_bytes, Logger& logger)
    : path_(std::move(path)), logger_(logger), splitter_(max_line_bytes) {}

FileFollower::~FileFollower() {
  Close();
  for (const int fd : queued_fds_) ::close(fd);
}

void FileFollower::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  stats_.open = false;
  splitter_.Reset();
}

bool FileFollower::OpenAt(const std::string& path, std::uint64_t offset, bool at_end) {
  int err = 0;
  std::string why;
  const int fd = OpenRegular(path, err, why);
  if (fd < 0) {
    ++stats_.open_errors;
    if (why.empty()) {
      why = std::strerror(err);
      if (err == EACCES) why += "; add the exporter's user to the group that owns it (usually adm)";
    }
    logger_.LogEvery("open:" + path, std::chrono::minutes(1), LogLevel::kWarn,
                     "cannot open log file", {{"path", path}, {"err", why}});
    return false;
  }
  Adopt(fd, offset, at_end);
  return true;
}

void FileFollower::Adopt(int fd, std::uint64_t offset, bool at_end) {
  struct stat st {};
  ::fstat(fd, &st);
  Close();
  fd_ = fd;
  id_ = {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
  offset_ = at_end ? static_cast<std::uint64_t>(st.st_size) : offset;
  ::lseek(fd_, static_cast<off_t>(offset_), SEEK_SET);
  fingerprint_len_ = 0;
  RefreshFingerprint();
  stats_.open = true;
}

void FileFollower::RefreshFingerprint() {
  if (fd_ < 0 || fingerprint_len_ >= kFingerprintBytes) return;
  const std::string prefix = PrefixBytes(fd_, kFingerprintBytes);
  fingerprint_len_ = static_cast<std::uint32_t>(prefix.size());
  fingerprint_ = Fingerprint(prefix);
}

bool FileFollower::Matches(int fd, const FilePosition& pos) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || static_cast<std::uint64_t>(st.st_size) < pos.offset) return false;
  return Fingerprint(PrefixBytes(fd, pos.fingerprint_len)) == pos.fingerprint &&
         static_cast<std::uint64_t>(st.st_size) >= pos.fingerprint_len;
}

std::optional<std::string> FileFollower::FindSibling(const FilePosition& saved) {
  for (const auto& entry : ListSiblings(DirName(path_), BaseName(path_))) {
    if (entry.id == saved.id) return DirName(path_) + "/" + entry.sibling.name;
  }
  return std::nullopt;
}

void FileFollower::QueueNewerSiblings(const std::string& rotated) {
  const std::string dir = DirName(path_);
  const auto entries = ListSiblings(dir, BaseName(path_));
  const auto resumed = std::find_if(entries.begin(), entries.end(),
                                    [&](const SiblingEntry& e) { return e.id == id_; });
  if (resumed != entries.end()) {
    std::vector<Sibling> siblings;
    for (const auto& e : entries) siblings.push_back(e.sibling);
    for (const std::string& name : RotatedAfter(BaseName(path_), resumed->sibling, siblings)) {
      const int fd = OpenRegular(dir + "/" + name);
      if (fd < 0) {
        logger_.Warn("cannot open a file rotated while stopped, its lines are skipped",
                     {{"path", dir + "/" + name}, {"err", std::strerror(errno)}});
        continue;
      }
      queued_fds_.push_back(fd);
      logger_.Info("log rotated while stopped, will read this rotated file next",
                   {{"path", path_}, {"rotated", dir + "/" + name}});
    }
  }
  // Hold the current file too: if it is rotated away before the rotated
  // ones are drained, it is still read, in order.
  const int current = OpenRegular(path_);
  if (current >= 0) queued_fds_.push_back(current);
  logger_.Info("log rotated while stopped, finishing the rotated file first",
               {{"path", path_}, {"rotated", rotated}});
}

void FileFollower::Start(const std::optional<FilePosition>& saved, bool from_beginning) {
  const PathStat now = StatPath(path_);
  if (saved) {
    if (now.exists && now.id == saved->id) {
      if (OpenAt(path_, 0, false)) {
        ResumeAt(*saved);
      } else {
        unread_saved_ = saved;  // resume there once it becomes readable
      }
      return;
    }
    if (auto sibling = FindSibling(*saved)) {
      const int fd = OpenRegular(*sibling);
      const bool ok = fd >= 0 && Matches(fd, *saved);
      if (fd >= 0) ::close(fd);
      if (ok && OpenAt(*sibling, saved->offset, false)) {
        QueueNewerSiblings(*sibling);
        return;  // Poll sees another file at path_ and drains this one first
      }
    }
    if (now.exists) {
      logger_.Warn(
          "saved log position no longer matches any file, reading the current file from the start",
          {{"path", path_}});
      OpenAt(path_, 0, false);
    }
    return;
  }
  if (now.exists && !OpenAt(path_, 0, !from_beginning) && !from_beginning) {
    // There but unreadable (permissions, a FIFO): what it holds now is old,
    // so when this same file first becomes readable it is read from its end.
    unread_at_start_ = now.id;
  }
}

void FileFollower::ResumeAt(const FilePosition& saved) {
  if (Matches(fd_, saved)) {
    offset_ = saved.offset;
    ::lseek(fd_, static_cast<off_t>(offset_), SEEK_SET);
  } else {
    ++stats_.truncations;  // truncated or replaced while we were down: read it all
    logger_.Info("log file changed while stopped, reading it from the start", {{"path", path_}});
  }
}

void FileFollower::ReadToEnd(const OnLine& on_line) {
  std::vector<char> buf(64 * 1024);
  for (;;) {
    const ssize_t n = ::read(fd_, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      logger_.LogEvery("read:" + path_, std::chrono::minutes(1), LogLevel::kWarn,
                       "cannot read log file", {{"path", path_}, {"err", std::strerror(errno)}});
      return;
    }
    if (n == 0) {
      if (fingerprint_len_ < kFingerprintBytes) RefreshFingerprint();  // the prefix grew
      return;
    }
    stats_.bytes_read += static_cast<std::uint64_t>(n);
    offset_ += static_cast<std::uint64_t>(n);
    splitter_.Feed(std::string_view(buf.data(), static_cast<std::size_t>(n)), on_line);
  }
}

void FileFollower::Poll(const OnLine& on_line) {
  const PathStat path = StatPath(path_);
  std::optional<OpenFile> open;
  if (fd_ >= 0) {
    struct stat st {};
    ::fstat(fd_, &st);
    const auto size = static_cast<std::uint64_t>(st.st_size);
    open = OpenFile{id_, offset_, size, false};
    const std::int64_t mtime_ns =
        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    if ((size != last_size_ || mtime_ns != last_mtime_ns_) && fingerprint_len_ > 0) {
      // One pread of <= 256 bytes, only when the file changed: catches a
      // truncation that regrew past our offset between two polls.
      open->prefix_changed = size < fingerprint_len_ ||
                             Fingerprint(PrefixBytes(fd_, fingerprint_len_)) != fingerprint_;
    }
    last_size_ = size;
    last_mtime_ns_ = mtime_ns;
  }
  switch (DecideFollow(open, path)) {
    case FollowAction::kWait:
    case FollowAction::kIdle:
      return;
    case FollowAction::kOpen: {
      // A file that appears after start is new content: read it from 0. The
      // file that was there at start but unreadable starts at its end.
      // The checkpointed file that was unreadable at start resumes where
      // it was left.
      const bool old = unread_at_start_ && path.id == *unread_at_start_;
      const bool resume = unread_saved_ && path.id == unread_saved_->id;
      if (OpenAt(path_, 0, old)) {
        if (old) {
          logger_.Info("log file readable now, reading from its end (never read before)",
                       {{"path", path_}});
        }
        if (resume) ResumeAt(*unread_saved_);
        unread_at_start_.reset();
        unread_saved_.reset();
        ReadToEnd(on_line);
      }
      return;
    }
    case FollowAction::kRead:
      ReadToEnd(on_line);
      return;
    case FollowAction::kTruncated:
      ++stats_.truncations;
      splitter_.Reset();
      offset_ = 0;
      ::lseek(fd_, 0, SEEK_SET);
      fingerprint_len_ = 0;
      RefreshFingerprint();
      ReadToEnd(on_line);
      return;
    case FollowAction::kVanished:
      ReadToEnd(
          on_line);  // the renamed file may still be written to; keep it until a successor appears
      return;
    case FollowAction::kRotated:
      ReadToEnd(on_line);
      splitter_.Flush(on_line);  // the old file's unterminated last line is as complete as it gets
      ++stats_.rotations;
      if (!queued_fds_.empty()) {  // the file that followed it when we started, wherever it is now
        Adopt(queued_fds_.front(), 0, false);
        queued_fds_.pop_front();
        ReadToEnd(on_line);
        return;  // if path_ holds yet another file, the next poll moves on to it
      }
      if (OpenAt(path_, 0, false)) ReadToEnd(on_line);
      return;
  }
}

std::optional<FilePosition> FileFollower::Position() {
  if (fd_ >= 0 && fingerprint_len_ < kFingerprintBytes) RefreshFingerprint();
  if (fd_ < 0) return std::nullopt;
  return FilePosition{id_, offset_ - splitter_.pending_bytes(), fingerprint_, fingerprint_len_};
}

}  // namespace mailpath::logs
