#include "mailpath/http/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

namespace mailpath::http {
namespace {

// A valid bcrypt hash of a random string, so that unknown users cost the same.
constexpr const char* kDummyHash = "$2b$10$E9HQ8Q/oWDz.B2uqwYjKievit4NfJ.uJzSzkartK.Lx.C53pc5zg6";

int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

Result<std::string> DecodeBase64(std::string_view in) {
  const Error malformed{"malformed base64"};
  std::string out;
  if (in.size() % 4 != 0) return malformed;
  for (std::size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = in[i + j];
      if (c == '=' && i + 4 == in.size() && j >= 2) {
        v[j] = 0;
        ++pad;
      } else if (pad > 0 || (v[j] = Sextet(c)) < 0) {
        return malformed;
      }
    }
    const unsigned triple = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out += static_cast<char>((triple >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((triple >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(triple & 0xff);
  }
  return out;
}

BasicAuth::BasicAuth(std::vector<std::pair<std::string, std::string>> users, Verifier verify)
    : users_(std::move(users)), verify_(std::move(verify)) {}

bool BasicAuth::CryptVerify(const std::string& password, const std::string& hash) {
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_r(password.c_str(), hash.c_str(), data.get());
  // crypt_r signals failure with NULL or a string starting with '*'.
  if (out == nullptr || out[0] == '*') return false;
  const std::string_view computed(out);
  if (computed.size() != hash.size()) return false;
  return CRYPTO_memcmp(computed.data(), hash.data(), hash.size()) == 0;
}

BasicAuth::Verdict BasicAuth::Verify(std::string_view authorization) const {
  constexpr Verdict kDenied = Verdict::kDenied;
  constexpr std::string_view kScheme = "Basic ";
  if (authorization.size() <= kScheme.size()) return kDenied;
  for (std::size_t i = 0; i < kScheme.size() - 1; ++i) {
    if ((authorization[i] | 0x20) != (kScheme[i] | 0x20)) return kDenied;
  }
  if (authorization[kScheme.size() - 1] != ' ') return kDenied;
  std::string_view encoded = authorization.substr(kScheme.size());
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
  const auto base64 = DecodeBase64(encoded);
  if (!base64) return kDenied;
  const std::string& decoded = *base64;
  const std::size_t colon = decoded.find(':');
  if (colon == std::string::npos) return kDenied;
  const std::string user = decoded.substr(0, colon);
  const std::string password = decoded.substr(colon + 1);

  const std::string* hash = nullptr;
  for (const auto& [u, h] : users_) {
    if (u == user) hash = &h;
  }
  const std::string& against = hash != nullptr ? *hash : std::string(kDummyHash);

  Digest key{};
  const std::string material = user + '\0' + password + '\0' + against;
  unsigned int len = 0;
  EVP_Digest(material.data(), material.size(), key.data(), &len, EVP_sha256(), nullptr);
  {
    const std::lock_guard<std::mutex> lock(mu_);
    if (hash != nullptr && cache_.count(key) != 0) return Verdict::kAllowed;
    if (failures_.count(key) != 0) return kDenied;
  }
  const std::unique_lock<std::mutex> running(verify_mu_, std::try_to_lock);
  if (!running.owns_lock()) return Verdict::kBusy;
  const bool ok = verify_(password, against) && hash != nullptr;
  const std::lock_guard<std::mutex> lock(mu_);
  std::set<Digest>& into = ok ? cache_ : failures_;
  if (into.size() >= kMaxCached) into.clear();
  into.insert(key);
  return ok ? Verdict::kAllowed : kDenied;
}

}  // namespace mailpath::http
