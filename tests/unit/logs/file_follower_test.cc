// FileFollower on real files in a temp directory (no sockets, no sleeps):
// the restart cases whose order matters.
#include "mailpath/logs/file_follower.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mailpath/common/logger.h"
#include "temp_dir.h"

namespace mailpath::logs {
namespace {

namespace fs = std::filesystem;

using test_support::TempDir;

void Append(const fs::path& p, const std::vector<std::string>& lines) {
  std::ofstream out(p, std::ios::app);
  for (const auto& l : lines) out << l << "\n";
}

TEST(FileFollower, a_second_rotation_right_after_a_restart_into_a_rotated_file_loses_nothing) {
  TempDir dir;
  const fs::path log = dir.path / "mail.log";
  std::ostringstream sink;
  Logger logger(sink, LogLevel::kError, LogFormat::kLogfmt);
  std::vector<std::string> got;
  const FileFollower::OnLine collect = [&got](std::string_view line, bool) {
    got.emplace_back(line);
  };

  Append(log, {"d1", "d2"});
  std::optional<FilePosition> saved;
  {
    FileFollower f(log.string(), 4096, logger);
    f.Start(std::nullopt, /*from_beginning=*/true);
    f.Poll(collect);
    saved = f.Position();
  }
  ASSERT_EQ(got, (std::vector<std::string>{"d1", "d2"}));
  got.clear();
  // While stopped: more lines, a rotation, lines in the new file.
  Append(log, {"d3", "d4"});
  fs::rename(log, dir.path / "mail.log.1");
  Append(log, {"z1", "z2"});

  FileFollower f(log.string(), 4096, logger);
  f.Start(saved, true);  // resumes in mail.log.1
  // Before its first poll, the current file is rotated away too.
  Append(log, {"z3"});
  fs::rename(dir.path / "mail.log.1", dir.path / "mail.log.2");
  fs::rename(log, dir.path / "mail.log.1");
  Append(log, {"w1"});
  for (int i = 0; i < 4; ++i) f.Poll(collect);
  EXPECT_EQ(got, (std::vector<std::string>{"d3", "d4", "z1", "z2", "z3", "w1"}));
}

TEST(FileFollower, two_rotations_while_stopped_read_the_middle_file_too) {
  TempDir dir;
  const fs::path log = dir.path / "mail.log";
  std::ostringstream sink;
  Logger logger(sink, LogLevel::kError, LogFormat::kLogfmt);
  std::vector<std::string> got;
  const FileFollower::OnLine collect = [&got](std::string_view line, bool) {
    got.emplace_back(line);
  };

  Append(log, {"x1"});
  std::optional<FilePosition> saved;
  {
    FileFollower f(log.string(), 4096, logger);
    f.Start(std::nullopt, /*from_beginning=*/true);
    f.Poll(collect);
    saved = f.Position();
  }
  got.clear();
  // While stopped: the checkpointed file gets a line and is rotated twice
  // (logrotate's numbering, delaycompress: .3 is an older compressed one).
  Append(log, {"x2"});
  Append(dir.path / "mail.log.3.gz", {"older, compressed"});
  Append(dir.path / "mail.log.2", {"older, already rotated away"});
  fs::last_write_time(dir.path / "mail.log.2",
                      fs::file_time_type::clock::now() - std::chrono::hours(2));
  fs::rename(dir.path / "mail.log.2", dir.path / "mail.log.3");
  fs::rename(log, dir.path / "mail.log.1");
  Append(log, {"y1", "y2"});
  fs::rename(dir.path / "mail.log.1", dir.path / "mail.log.2");
  fs::rename(log, dir.path / "mail.log.1");
  Append(log, {"z1"});

  FileFollower f(log.string(), 4096, logger);
  f.Start(saved, true);
  Append(log, {"z2"});
  for (int i = 0; i < 4; ++i) f.Poll(collect);
  EXPECT_EQ(got, (std::vector<std::string>{"x2", "y1", "y2", "z1", "z2"}));
  EXPECT_EQ(f.stats().rotations, 2u);
}

}  // namespace
}  // namespace mailpath::logs
