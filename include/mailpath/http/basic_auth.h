#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mailpath/common/result.h"

namespace mailpath::http {

/// HTTP Basic authentication against bcrypt hashes (exporter-toolkit's
/// basic_auth_users). bcrypt costs tens of milliseconds by design, so the
/// outcome of a (user, password, hash) check is remembered by its SHA-256, as
/// exporter-toolkit does: successes in one set, failures in another (bounded,
/// so a flood of guesses never pushes a known good credential out). At most
/// one bcrypt runs at a time, as in exporter-toolkit; a credential not seen
/// before that arrives while one runs is not checked (kBusy), so a flood of
/// guesses costs one core at most and holds no worker. Unknown users cost a
/// bcrypt too, so timing does not reveal which users exist. Thread-safe.
class BasicAuth {
 public:
  enum class Verdict { kAllowed, kDenied, kBusy };

  /// Verifies `password` against a crypt(3) `hash`; the default uses crypt_r.
  using Verifier = std::function<bool(const std::string& password, const std::string& hash)>;

  static constexpr std::size_t kMaxCached = 1024;
  /// The WWW-Authenticate value sent with 401.
  static constexpr const char* kChallenge = "Basic realm=\"mailpath_exporter\"";

  explicit BasicAuth(std::vector<std::pair<std::string, std::string>> users,
                     Verifier verify = CryptVerify);

  /// True when the `Authorization` header value carries a known user and the
  /// right password.
  [[nodiscard]] bool Check(std::string_view authorization) const {
    return Verify(authorization) == Verdict::kAllowed;
  }
  /// kAllowed or kDenied for a known outcome or one just computed; kBusy when
  /// the outcome is unknown and another bcrypt is running (answer 429).
  [[nodiscard]] Verdict Verify(std::string_view authorization) const;

  /// crypt_r(password, hash) compared with `hash` in constant time.
  static bool CryptVerify(const std::string& password, const std::string& hash);

 private:
  using Digest = std::array<unsigned char, 32>;

  std::vector<std::pair<std::string, std::string>> users_;
  Verifier verify_;
  mutable std::mutex mu_;              // guards cache_ and failures_
  mutable std::set<Digest> cache_;     // SHA-256(user, password, hash) of successes
  mutable std::set<Digest> failures_;  // the same, of failures
  mutable std::mutex verify_mu_;       // held while a bcrypt runs
};

/// Decodes standard base64 (RFC 4648, padding required); an Error if
/// malformed. Pure.
[[nodiscard]] Result<std::string> DecodeBase64(std::string_view in);

}  // namespace mailpath::http
