#include "mailpath/logs/follow_decision.h"

#include <gtest/gtest.h>

namespace mailpath::logs {
namespace {

TEST(DecideFollow, table_of_events) {
  const FileId a{1, 100}, b{1, 200};
  struct Case {
    const char* name;
    std::optional<OpenFile> open;
    PathStat path;
    FollowAction want;
  };
  const Case cases[] = {
      {"missing at start", std::nullopt, {false, {}, 0}, FollowAction::kWait},
      {"appears", std::nullopt, {true, a, 10}, FollowAction::kOpen},
      {"nothing new", OpenFile{a, 10, 10}, {true, a, 10}, FollowAction::kIdle},
      {"appended", OpenFile{a, 10, 25}, {true, a, 25}, FollowAction::kRead},
      {"copytruncate", OpenFile{a, 10, 0}, {true, a, 0}, FollowAction::kTruncated},
      {"copytruncate then regrown below offset",
       OpenFile{a, 10, 4},
       {true, a, 4},
       FollowAction::kTruncated},
      {"copytruncate, regrown past offset before the poll",
       OpenFile{a, 10, 40, true},
       {true, a, 40},
       FollowAction::kTruncated},
      {"copytruncate, regrown to the same size, then renamed",
       OpenFile{a, 40, 40, true},
       {true, b, 0},
       FollowAction::kTruncated},
      {"rename and create", OpenFile{a, 10, 30}, {true, b, 0}, FollowAction::kRotated},
      {"rename, successor already written",
       OpenFile{a, 10, 10},
       {true, b, 500},
       FollowAction::kRotated},
      {"deleted", OpenFile{a, 10, 10}, {false, {}, 0}, FollowAction::kVanished},
      {"renamed, no successor yet, old still growing",
       OpenFile{a, 10, 40},
       {false, {}, 0},
       FollowAction::kVanished},
      {"same inode number on another device",
       OpenFile{a, 10, 10},
       {true, FileId{2, 100}, 10},
       FollowAction::kRotated},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(static_cast<int>(c.want), static_cast<int>(DecideFollow(c.open, c.path)));
  }
}

TEST(RotatedAfter, table_of_directories) {
  using V = std::vector<std::string>;
  struct Case {
    const char* name;
    Sibling resumed;
    std::vector<Sibling> siblings;
    V want;
  };
  const Case cases[] = {
      {"numbered, two rotations while stopped",
       {"mail.log.2", 100},
       {{"mail.log.1", 200}, {"mail.log.2", 100}, {"mail.log.3", 50}, {"mail.log.4.gz", 10}},
       V{"mail.log.1"}},
      {"numbered, delaycompress: older ones compressed",
       {"mail.log.3", 100},
       {{"mail.log.1", 300}, {"mail.log.2", 200}, {"mail.log.3", 100}, {"mail.log.4.gz", 50}},
       V{"mail.log.2", "mail.log.1"}},
      {"a compressed newer file cannot be followed",
       {"mail.log.2", 100},
       {{"mail.log.1.gz", 200}, {"mail.log.2", 100}},
       V{}},
      {"equal mtimes: .1 is newer than .2, .3 older",
       {"mail.log.2", 100},
       {{"mail.log.1", 100}, {"mail.log.3", 100}, {"mail.log.10", 100}},
       V{"mail.log.1"}},
      {"dateext",
       {"mail.log-20261120", 100},
       {{"mail.log-20261122", 300}, {"mail.log-20261121", 200}, {"mail.log-20261119", 50}},
       V{"mail.log-20261121", "mail.log-20261122"}},
      {"dateext, equal mtimes: later date is newer",
       {"mail.log-20261120", 100},
       {{"mail.log-20261122", 100}, {"mail.log-20261121", 100}, {"mail.log-20261119", 100}},
       V{"mail.log-20261121", "mail.log-20261122"}},
      {"other files sharing the prefix are not siblings",
       {"mail.log.1", 100},
       {{"mail.logger", 500}, {"mail.log", 500}, {"mail.log.1", 100}},
       V{}},
      {"nothing rotated after it",
       {"mail.log.1", 100},
       {{"mail.log.1", 100}, {"mail.log.2", 90}},
       V{}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RotatedAfter("mail.log", c.resumed, c.siblings), c.want) << c.name;
  }
}

}  // namespace
}  // namespace mailpath::logs
