#include "mailpath/app/web_config.h"

#include <array>

#include "mailpath/app/go_tls_names.h"
#include "mailpath/app/mini_yaml.h"
#include "mailpath/common/go_duration.h"

namespace mailpath::app {
namespace {

using Kind = YamlNode::Kind;

// exporter-toolkit's list of configurable response headers and, for two of
// them, their allowed values (names and values compared exactly, as it does).
std::string CheckHeader(const std::string& name, const std::string& value) {
  static constexpr std::array<const char*, 5> kNames = {
      "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection",
      "Content-Security-Policy"};
  bool known = false;
  for (const char* n : kNames) known = known || name == n;
  if (!known) return "HTTP header \"" + name + "\" can not be configured";
  if (name == "X-Frame-Options" && value != "deny" && value != "sameorigin") {
    return "invalid value for X-Frame-Options. Expected one of: [\"deny\" \"sameorigin\"], but "
           "got: \"" +
           value + "\"";
  }
  if (name == "X-Content-Type-Options" && value != "nosniff") {
    return "invalid value for X-Content-Type-Options. Expected one of: [\"nosniff\"], but got: \"" +
           value + "\"";
  }
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return "headers: control character in " + name;
  }
  return "";
}

class Reader {
 public:
  Reader(const std::string& filename, WebConfig& out) : filename_(filename), out_(out) {
    const std::size_t slash = filename.rfind('/');
    dir_ = slash == std::string::npos ? "" : filename.substr(0, slash + 1);
  }

  std::string Error(const YamlNode& at, const std::string& reason) const {
    return filename_ + ":" + std::to_string(at.line) + ": " + reason;
  }

  std::string Top(const YamlNode& root) {
    if (root.kind == Kind::kNull) return "";
    if (root.kind != Kind::kMap) return Error(root, "expected a mapping of web.Config fields");
    for (const YamlNode& node : root.map) {
      const std::string& key = node.key;
      std::string err;
      if (key == "tls_server_config") {
        out_.has_tls_server_config = true;
        err = Tls(node);
      } else if (key == "basic_auth_users") {
        out_.has_basic_auth_users = true;
        err = Users(node);
      } else if (key == "http_server_config") {
        out_.has_http_server_config = true;
        err = HttpServer(node);
      } else if (key == "rate_limit") {
        out_.has_rate_limit = true;
        err = RateLimit(node);
      } else {
        err = Error(node, "field " + key + " not found in type web.Config");
      }
      if (!err.empty()) return err;
    }
    return "";
  }

 private:
  std::string Path(const std::string& p) const {
    if (p.empty() || p.front() == '/') return p;
    return dir_ + p;
  }

  std::string ScalarOf(const YamlNode& node, const std::string& key, std::string& value) const {
    if (node.kind == Kind::kNull) return "";
    if (node.kind != Kind::kScalar) return Error(node, key + ": expected a string");
    value = node.scalar;
    return "";
  }

  std::string Version(const YamlNode& node, const std::string& key, int& version) const {
    std::string name;
    if (std::string err = ScalarOf(node, key, name); !err.empty() || name.empty()) return err;
    static constexpr std::array<std::pair<const char*, int>, 4> kVersions = {
        {{"TLS10", 0x0301}, {"TLS11", 0x0302}, {"TLS12", 0x0303}, {"TLS13", 0x0304}}};
    for (const auto& [n, v] : kVersions) {
      if (name == n) {
        version = v;
        return "";
      }
    }
    return Error(node, "unknown TLS version: " + name);
  }

  std::string Tls(const YamlNode& node) {
    if (node.kind == Kind::kNull) return "";
    if (node.kind != Kind::kMap) return Error(node, "tls_server_config: expected a mapping");
    http::TlsSettings tls;
    std::string auth;
    for (const YamlNode& value : node.map) {
      const std::string& key = value.key;
      std::string err;
      if (key == "cert_file")
        err = ScalarOf(value, key, tls.cert_file);
      else if (key == "key_file")
        err = ScalarOf(value, key, tls.key_file);
      else if (key == "client_ca_file")
        err = ScalarOf(value, key, tls.client_ca_file);
      else if (key == "client_auth_type")
        err = ScalarOf(value, key, auth);
      else if (key == "min_version")
        err = Version(value, key, tls.min_version);
      else if (key == "max_version")
        err = Version(value, key, tls.max_version);
      else if (key == "cipher_suites")
        err = NameList(value, key, "cipher", OpenSslCipherName, tls.cipher_list);
      else if (key == "curve_preferences")
        err = NameList(value, key, "curve", OpenSslGroupName, tls.groups_list);
      else if (key == "prefer_server_cipher_suites") {
        // The server's preference is always used.
      } else {
        err = Error(value, "field " + key + " not found in type web.TLSConfig");
      }
      if (!err.empty()) return err;
    }
    static constexpr std::array<std::pair<const char*, http::ClientAuth>, 5> kAuth = {{
        {"NoClientCert", http::ClientAuth::kNoClientCert},
        {"RequestClientCert", http::ClientAuth::kRequestClientCert},
        {"RequireAnyClientCert", http::ClientAuth::kRequireAnyClientCert},
        {"VerifyClientCertIfGiven", http::ClientAuth::kVerifyClientCertIfGiven},
        {"RequireAndVerifyClientCert", http::ClientAuth::kRequireAndVerifyClientCert},
    }};
    bool known = auth.empty();
    for (const auto& [n, v] : kAuth) {
      if (auth == n) {
        tls.client_auth = v;
        known = true;
      }
    }
    if (!known) return Error(node, "invalid ClientAuth: " + auth);
    // As exporter-toolkit: an empty block means plain HTTP.
    if (tls.cert_file.empty() && tls.key_file.empty() && tls.client_ca_file.empty() &&
        auth.empty()) {
      return "";
    }
    if (tls.cert_file.empty()) return Error(node, "missing cert_file");
    if (tls.key_file.empty()) return Error(node, "missing key_file");
    const bool verifies = tls.client_auth == http::ClientAuth::kVerifyClientCertIfGiven ||
                          tls.client_auth == http::ClientAuth::kRequireAndVerifyClientCert;
    if (!tls.client_ca_file.empty() && tls.client_auth == http::ClientAuth::kNoClientCert) {
      return Error(node, "Client CA's have been configured without a Client Auth Policy");
    }
    if (verifies && tls.client_ca_file.empty()) {
      return Error(node, "client_auth_type " + auth + " needs client_ca_file");
    }
    if (tls.min_version > tls.max_version) return Error(node, "min_version is above max_version");
    tls.cert_file = Path(tls.cert_file);
    tls.key_file = Path(tls.key_file);
    tls.client_ca_file = Path(tls.client_ca_file);
    out_.tls = std::move(tls);
    return "";
  }

  // A list of Go names translated to an OpenSSL ':'-list. Names that map to
  // "" (TLS 1.3 suites) are accepted and left out, as Go does.
  template <typename Lookup>
  std::string NameList(const YamlNode& node, const std::string& key, const std::string& what,
                       Lookup lookup, std::string& out) {
    if (node.kind == Kind::kNull) return "";
    if (node.kind != Kind::kList) return Error(node, key + ": expected a list");
    bool ignored = false;
    for (const YamlNode& item : node.list) {
      if (item.kind != Kind::kScalar) return Error(item, key + ": expected a list of strings");
      const auto name = lookup(item.scalar);
      if (!name) return Error(item, "unknown " + what + ": " + item.scalar);
      if (name->empty()) {
        ignored = true;
        continue;
      }
      if (!out.empty()) out += ':';
      out += *name;
    }
    if (ignored)
      out_.warnings.push_back(key + ": TLS 1.3 suites cannot be chosen and are left out, as in Go");
    return "";
  }

  std::string RateLimit(const YamlNode& node) {
    if (node.kind == Kind::kNull) return "";
    if (node.kind != Kind::kMap) return Error(node, "rate_limit: expected a mapping");
    http::RateLimit limit;
    for (const YamlNode& value : node.map) {
      if (value.kind != Kind::kScalar && value.kind != Kind::kNull)
        return Error(value, "rate_limit: " + value.key + ": expected a scalar");
      if (value.key == "interval") {
        if (value.kind == Kind::kNull) continue;
        const auto seconds = ParseGoDuration(value.scalar);
        if (!seconds) return Error(value, "rate_limit: interval: " + seconds.message());
        limit.interval_seconds = *seconds;
      } else if (value.key == "burst") {
        if (value.kind == Kind::kNull) continue;
        const std::string& b = value.scalar;
        const bool digits =
            !b.empty() && b.size() <= 9 && b.find_first_not_of("0123456789") == std::string::npos;
        if (!digits)
          return Error(value, "rate_limit: burst: expected a non-negative integer: " + b);
        limit.burst = std::stoll(b);
      } else {
        return Error(value, "field " + value.key + " not found in type web.RateLimiterConfig");
      }
    }
    if (limit.interval_seconds > 0) {  // interval 0 disables it
      if (limit.burst == 0)
        out_.warnings.push_back("rate_limit: burst is 0, every request is refused (429)");
      out_.rate_limit = limit;
    }
    return "";
  }

  std::string Users(const YamlNode& node) {
    if (node.kind == Kind::kNull) return "";
    if (node.kind != Kind::kMap)
      return Error(node, "basic_auth_users: expected a mapping of user: bcrypt hash");
    for (const YamlNode& hash : node.map) {
      const std::string& user = hash.key;
      if (hash.kind != Kind::kScalar)
        return Error(hash, "basic_auth_users: " + user + ": expected a bcrypt hash");
      const std::string& h = hash.scalar;
      if (h.size() != 60 || h[0] != '$' || h[1] != '2' ||
          (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') || h[3] != '$') {
        return Error(hash,
                     "basic_auth_users: " + user + ": not a bcrypt hash ($2a$, $2b$ or $2y$)");
      }
      // As golang.org/x/crypto/bcrypt reads a hash: "$2?$NN$" then 53
      // characters of bcrypt's base64; a cost outside 4..31 is refused there
      // (crypt_r refuses it too, so every password would get 401).
      const bool digits = h[4] >= '0' && h[4] <= '9' && h[5] >= '0' && h[5] <= '9';
      const int cost = digits ? (h[4] - '0') * 10 + (h[5] - '0') : -1;
      if (!digits || h[6] != '$') {
        return Error(hash, "basic_auth_users: " + user + ": bcrypt hash without a two-digit cost");
      }
      if (cost < 4 || cost > 31) {
        return Error(hash, "basic_auth_users: " + user + ": bcrypt cost " + h.substr(4, 2) +
                               " outside 4..31");
      }
      for (std::size_t i = 7; i < h.size(); ++i) {
        const char c = h[i];
        const bool b64 = c == '.' || c == '/' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9');
        if (!b64) {
          return Error(hash, "basic_auth_users: " + user +
                                 ": bcrypt salt and hash hold a character outside ./A-Za-z0-9");
        }
      }
      if (user.find(':') != std::string::npos) {
        return Error(hash, "basic_auth_users: user names cannot contain ':'");
      }
      out_.basic_auth_users.emplace_back(user, h);
    }
    return "";
  }

  std::string HttpServer(const YamlNode& node) {
    if (node.kind == Kind::kNull) return "";
    if (node.kind != Kind::kMap) return Error(node, "http_server_config: expected a mapping");
    for (const YamlNode& value : node.map) {
      const std::string& key = value.key;
      if (key == "http2") continue;  // civetweb speaks HTTP/1.1
      if (key != "headers")
        return Error(value, "field " + key + " not found in type web.HTTPConfig");
      if (value.kind == Kind::kNull) continue;
      if (value.kind != Kind::kMap) return Error(value, "headers: expected a mapping");
      for (const YamlNode& v : value.map) {
        const std::string& name = v.key;
        if (v.kind != Kind::kScalar) return Error(v, "headers: " + name + ": expected a string");
        if (std::string err = CheckHeader(name, v.scalar); !err.empty()) return Error(v, err);
        out_.headers.emplace_back(name, v.scalar);
      }
    }
    return "";
  }

  const std::string& filename_;
  std::string dir_;
  WebConfig& out_;
};

}  // namespace

Status ParseWebConfig(std::string_view text, const std::string& filename, WebConfig& out) {
  out = WebConfig{};
  YamlNode root;
  if (const Status parsed = ParseYamlSubset(text, root); !parsed) {
    // "line N: reason" -> "FILE:N: reason"
    const std::string& err = parsed.message();
    return Error{filename + ":" + (err.rfind("line ", 0) == 0 ? err.substr(5) : err)};
  }
  Reader reader(filename, out);
  if (std::string err = reader.Top(root); !err.empty()) return Error{std::move(err)};
  return {};
}

}  // namespace mailpath::app
