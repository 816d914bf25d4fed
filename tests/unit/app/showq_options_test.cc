#include <gtest/gtest.h>

#include "mailpath/app/config_file.h"
#include "mailpath/app/flags.h"

namespace mailpath::app {
namespace {

TEST(ShowqOptions, deferred_domains_cap_flag_accepts_0_to_10000) {
  for (const auto& [arg, want] :
       std::vector<std::pair<std::string, int>>{{"--showq.deferred-domains-cap=0", 0},
                                                {"--showq.deferred-domains-cap=50", 50},
                                                {"--showq.deferred-domains-cap=10000", 10000}}) {
    SCOPED_TRACE(arg);
    Options o;
    const auto r = ParseFlags({arg}, {}, o);
    ASSERT_EQ("", MessageOrEmpty(r));
    EXPECT_EQ(want, o.showq_deferred_domains_cap);
  }
}

TEST(ShowqOptions, deferred_domains_cap_flag_rejects_bad_values_naming_the_flag) {
  for (const std::string bad : {"-1", "10001", "ten", ""}) {
    SCOPED_TRACE(bad);
    Options o;
    const auto r = ParseFlags({"--showq.deferred-domains-cap=" + bad}, {}, o);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(std::string::npos, r.message().find("--showq.deferred-domains-cap")) << r.message();
  }
}

TEST(ShowqOptions, deferred_domains_cap_from_json_config) {
  Options o;
  ASSERT_EQ("", MessageOrEmpty(
                    ApplyConfigJson(R"({"showq": {"deferred_domains_cap": 25}})", "c.json", o)));
  EXPECT_EQ(25, o.showq_deferred_domains_cap);
  const std::string err =
      MessageOrEmpty(ApplyConfigJson(R"({"showq": {"deferred_domains_cap": -3}})", "c.json", o));
  EXPECT_NE(std::string::npos, err.find("/showq/deferred_domains_cap")) << err;
}

}  // namespace
}  // namespace mailpath::app
