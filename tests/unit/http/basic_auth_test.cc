#include "mailpath/http/basic_auth.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <utility>
#include <vector>

namespace mailpath::http {
namespace {

using Users = std::vector<std::pair<std::string, std::string>>;

// bcrypt of "s3cret" with cost 4 (fast enough for unit tests).
constexpr const char* kHash = "$2y$04$FRTTwc39N0wot0O1iGsrCuU4HzJNC1TnHAGgHwcvtXuAq/.npXl/6";

std::string Basic(const std::string& user_colon_password) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  const std::string& s = user_colon_password;
  for (std::size_t i = 0; i < s.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(s[i]) << 16;
    if (i + 1 < s.size()) v |= static_cast<unsigned char>(s[i + 1]) << 8;
    if (i + 2 < s.size()) v |= static_cast<unsigned char>(s[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < s.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < s.size() ? kAlphabet[v & 63] : '=';
  }
  return "Basic " + out;
}

TEST(BasicAuthCrypt, verifies_a_real_bcrypt_hash) {
  EXPECT_TRUE(BasicAuth::CryptVerify("s3cret", kHash));
  EXPECT_FALSE(BasicAuth::CryptVerify("s3cret!", kHash));
  EXPECT_FALSE(BasicAuth::CryptVerify("s3cret", "not-a-hash"));
}

TEST(BasicAuthCrypt, accepts_2b_and_2a_prefixes) {
  std::string b = kHash;
  b[2] = 'b';
  EXPECT_TRUE(BasicAuth::CryptVerify("s3cret", b));
}

TEST(BasicAuth, right_password_passes_and_wrong_or_missing_fails) {
  const BasicAuth auth(Users{{"alice", kHash}});
  EXPECT_TRUE(auth.Check(Basic("alice:s3cret")));
  EXPECT_FALSE(auth.Check(Basic("alice:wrong")));
  EXPECT_FALSE(auth.Check(Basic("alice:")));
  EXPECT_FALSE(auth.Check(Basic("bob:s3cret")));
  EXPECT_FALSE(auth.Check(""));
  EXPECT_FALSE(auth.Check("Bearer abc"));
  EXPECT_FALSE(auth.Check("Basic !!!!"));
  EXPECT_FALSE(auth.Check(Basic("no-colon")));
}

TEST(BasicAuth, scheme_is_case_insensitive_and_password_may_hold_colons) {
  std::string hash;
  const BasicAuth auth(Users{{"alice", kHash}},
                       [&hash](const std::string& p, const std::string& h) {
                         hash = h;
                         return p == "a:b";
                       });
  std::string header = Basic("alice:a:b");
  header.replace(0, 5, "bAsIc");
  EXPECT_TRUE(auth.Check(header));
  EXPECT_EQ(kHash, hash);
}

TEST(BasicAuth, success_and_failure_are_both_cached) {
  std::atomic<int> calls{0};
  const BasicAuth auth(Users{{"alice", kHash}},
                       [&calls](const std::string& p, const std::string& h) {
                         ++calls;
                         return BasicAuth::CryptVerify(p, h);
                       });
  EXPECT_TRUE(auth.Check(Basic("alice:s3cret")));
  EXPECT_TRUE(auth.Check(Basic("alice:s3cret")));
  EXPECT_TRUE(auth.Check(Basic("alice:s3cret")));
  EXPECT_EQ(1, calls.load());
  EXPECT_FALSE(auth.Check(Basic("alice:wrong")));
  EXPECT_FALSE(auth.Check(Basic("alice:wrong")));
  EXPECT_EQ(2, calls.load());
}

TEST(BasicAuth, an_unseen_credential_is_busy_while_a_bcrypt_runs_and_a_known_one_passes) {
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  const BasicAuth auth(Users{{"alice", kHash}}, [&](const std::string& p, const std::string& h) {
    if (p == "slow") {
      entered.set_value();
      released.wait();
      return false;
    }
    return BasicAuth::CryptVerify(p, h);
  });
  ASSERT_EQ(BasicAuth::Verdict::kAllowed, auth.Verify(Basic("alice:s3cret")));
  std::thread guess(
      [&] { EXPECT_EQ(BasicAuth::Verdict::kDenied, auth.Verify(Basic("alice:slow"))); });
  entered.get_future().wait();
  EXPECT_EQ(BasicAuth::Verdict::kBusy, auth.Verify(Basic("alice:other")));
  EXPECT_EQ(BasicAuth::Verdict::kAllowed, auth.Verify(Basic("alice:s3cret")));
  release.set_value();
  guess.join();
  EXPECT_EQ(BasicAuth::Verdict::kDenied, auth.Verify(Basic("alice:other")));
}

TEST(BasicAuth, a_flood_of_failures_never_evicts_a_known_good_credential) {
  std::atomic<int> calls{0};
  const BasicAuth auth(Users{{"alice", kHash}}, [&calls](const std::string& p, const std::string&) {
    ++calls;
    return p == "good";
  });
  ASSERT_TRUE(auth.Check(Basic("alice:good")));
  for (std::size_t i = 0; i < 2 * BasicAuth::kMaxCached + 5; ++i) {
    ASSERT_FALSE(auth.Check(Basic("alice:guess" + std::to_string(i))));
  }
  const int before = calls.load();
  EXPECT_TRUE(auth.Check(Basic("alice:good")));
  EXPECT_EQ(before, calls.load());
}

TEST(BasicAuth, unknown_user_still_costs_a_verification) {
  int calls = 0;
  const BasicAuth auth(Users{{"alice", kHash}}, [&calls](const std::string&, const std::string&) {
    ++calls;
    return true;  // even a verifier that accepts anything cannot admit an unknown user
  });
  EXPECT_FALSE(auth.Check(Basic("mallory:s3cret")));
  EXPECT_EQ(1, calls);
}

TEST(DecodeBase64, decodes_padding_and_rejects_garbage) {
  for (const auto& [in, want] : std::vector<std::pair<const char*, const char*>>{
           {"YWxpY2U6czNjcmV0", "alice:s3cret"}, {"YQ==", "a"}, {"YWI=", "ab"}}) {
    const auto out = DecodeBase64(in);
    ASSERT_TRUE(out) << in;
    EXPECT_EQ(want, *out);
  }
  for (const char* bad : {"YQ=", "Y===", "YQ==YQ==", "Y*Q="}) {
    EXPECT_EQ("malformed base64", MessageOrEmpty(DecodeBase64(bad))) << bad;
  }
}

}  // namespace
}  // namespace mailpath::http
