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

namespace mailpath::http {

/// HTTP Basic authentication against bcrypt hashes (exporter-toolkit's
/// basic_auth_users). bcrypt costs tens of milliseconds by design, so
/// successful (user, password, hash) checks are remembered by their SHA-256,
/// as exporter-toolkit does; failures are never cached. Unknown users cost a
/// bcrypt too, so timing does not reveal which users exist. Thread-safe.
class BasicAuth {
 public:
  /// Verifies `password` against a crypt(3) `hash`; the default uses crypt_r.
  using Verifier = std::function<bool(const std::string& password, const std::string& hash)>;

  static constexpr std::size_t kMaxCached = 1024;
  /// The WWW-Authenticate value sent with 401.
  static constexpr const char* kChallenge = "Basic realm=\"mailpath_exporter\"";

  explicit BasicAuth(std::vector<std::pair<std::string, std::string>> users,
                     Verifier verify = CryptVerify);

  /// True when the `Authorization` header value carries a known user and the
  /// right password.
  [[nodiscard]] bool Check(std::string_view authorization) const;

  /// crypt_r(password, hash) compared with `hash` in constant time.
  static bool CryptVerify(const std::string& password, const std::string& hash);

 private:
  using Digest = std::array<unsigned char, 32>;

  std::vector<std::pair<std::string, std::string>> users_;
  Verifier verify_;
  mutable std::mutex mu_;           // guards cache_
  mutable std::set<Digest> cache_;  // SHA-256(user, password, hash) of successes
};

/// Decodes standard base64 (RFC 4648, padding required); false if malformed.
/// Pure.
[[nodiscard]] bool DecodeBase64(std::string_view in, std::string& out);

}  // namespace mailpath::http
