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
      {"copytruncate then regrown below offset", OpenFile{a, 10, 4}, {true, a, 4}, FollowAction::kTruncated},
      {"copytruncate, regrown past offset before the poll", OpenFile{a, 10, 40, true}, {true, a, 40},
       FollowAction::kTruncated},
      {"copytruncate, regrown to the same size, then renamed", OpenFile{a, 40, 40, true}, {true, b, 0},
       FollowAction::kTruncated},
      {"rename and create", OpenFile{a, 10, 30}, {true, b, 0}, FollowAction::kRotated},
      {"rename, successor already written", OpenFile{a, 10, 10}, {true, b, 500}, FollowAction::kRotated},
      {"deleted", OpenFile{a, 10, 10}, {false, {}, 0}, FollowAction::kVanished},
      {"renamed, no successor yet, old still growing", OpenFile{a, 10, 40}, {false, {}, 0}, FollowAction::kVanished},
      {"same inode number on another device", OpenFile{a, 10, 10}, {true, FileId{2, 100}, 10}, FollowAction::kRotated},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(static_cast<int>(c.want), static_cast<int>(DecideFollow(c.open, c.path)));
  }
}

}  // namespace
}  // namespace mailpath::logs
