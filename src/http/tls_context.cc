#include "tls_context.h"

#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>
#include <stdexcept>

#include "mailpath/http/server.h"

namespace mailpath::http {

struct TlsContext::Identity {
  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
  STACK_OF(X509) * chain = nullptr;
  ~Identity() {
    X509_free(cert);
    EVP_PKEY_free(key);
    sk_X509_pop_free(chain, X509_free);
  }
};

namespace {

std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

// Throws unless the libssl.so that civetweb will dlopen is usable with
// OpenSSL 3. A dlopen from this executable searches the same DT_RPATH that
// civetweb's dlopen falls back to, so this sees what civetweb will see.
void CheckCivetwebOpenSsl() {
  void* handle = dlopen("libssl.so", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    throw std::runtime_error(std::string("TLS: civetweb cannot load libssl.so: ") + dlerror() +
                             "; install the shim libraries in /usr/lib/mailpath_exporter");
  }
  const bool ok = dlsym(handle, "SSL_get_peer_certificate") != nullptr;
  dlclose(handle);
  if (!ok) {
    throw std::runtime_error(
        "TLS: the libssl.so found lacks SSL_get_peer_certificate (OpenSSL 3), civetweb would "
        "crash; the shim libssl.so from /usr/lib/mailpath_exporter is missing");
  }
}

Result<std::shared_ptr<const TlsContext::Identity>> LoadIdentity(const std::string& cert_file,
                                                                 const std::string& key_file) {
  auto id = std::make_shared<TlsContext::Identity>();
  std::FILE* f = std::fopen(cert_file.c_str(), "r");
  if (f == nullptr) return ErrnoError(cert_file + ": cannot open certificate");
  id->cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  id->chain = sk_X509_new_null();
  while (id->cert != nullptr) {
    X509* extra = PEM_read_X509(f, nullptr, nullptr, nullptr);
    if (extra == nullptr) break;
    sk_X509_push(id->chain, extra);
  }
  std::fclose(f);
  ERR_clear_error();  // the end of the PEM stream is reported as an error
  if (id->cert == nullptr) return Error{cert_file + ": no PEM certificate"};
  f = std::fopen(key_file.c_str(), "r");
  if (f == nullptr) return ErrnoError(key_file + ": cannot open private key");
  id->key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (id->key == nullptr) return Error{key_file + ": no PEM private key: " + OpenSslError()};
  if (X509_check_private_key(id->cert, id->key) != 1) {
    ERR_clear_error();
    return Error{key_file + ": private key does not match the certificate in " + cert_file};
  }
  return std::shared_ptr<const TlsContext::Identity>(std::move(id));
}

int AcceptAny(int, X509_STORE_CTX*) { return 1; }

// cipher_suites and curve_preferences; an Error says what OpenSSL refused.
Status ApplyAlgorithms(SSL_CTX* ctx, const TlsSettings& s) {
  if (!s.cipher_list.empty() && SSL_CTX_set_cipher_list(ctx, s.cipher_list.c_str()) != 1) {
    return Error{"cipher_suites: OpenSSL accepts none of " + s.cipher_list + ": " + OpenSslError()};
  }
  if (!s.groups_list.empty() && SSL_CTX_set1_groups_list(ctx, s.groups_list.c_str()) != 1) {
    return Error{"curve_preferences: OpenSSL refuses " + s.groups_list + ": " + OpenSslError()};
  }
  return {};
}

int CertCallback(SSL* ssl, void* arg) {
  auto id = static_cast<TlsContext*>(arg)->Current();
  if (!id) return 0;
  return SSL_use_cert_and_key(ssl, id->cert, id->key, id->chain, 1) == 1 ? 1 : 0;
}

}  // namespace

TlsContext::TlsContext(TlsSettings settings) : settings_(std::move(settings)) {
  CheckCivetwebOpenSsl();
  if (!settings_.cipher_list.empty() || !settings_.groups_list.empty()) {
    // Try them now, so a bad list fails the load rather than every handshake.
    SSL_CTX* probe = SSL_CTX_new(TLS_server_method());
    const Status applied =
        probe ? ApplyAlgorithms(probe, settings_) : Status(Error{"cannot create an SSL_CTX"});
    SSL_CTX_free(probe);
    if (!applied) throw std::runtime_error("TLS: " + applied.message());
  }
  cert_stamp_ = Stamp(settings_.cert_file);
  key_stamp_ = Stamp(settings_.key_file);
  auto identity = LoadIdentity(settings_.cert_file, settings_.key_file);
  if (!identity) throw TlsFileError("TLS: " + identity.message());
  identity_ = std::move(*identity);
  last_check_ = std::chrono::steady_clock::now();
  if (!settings_.client_ca_file.empty()) {
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(settings_.client_ca_file.c_str());
    if (names == nullptr) {
      ERR_clear_error();
      throw TlsFileError("TLS: " + settings_.client_ca_file + ": no PEM CA certificate");
    }
    sk_X509_NAME_pop_free(names, X509_NAME_free);
  }
}

TlsContext::~TlsContext() = default;

TlsContext::FileStamp TlsContext::Stamp(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return {};
  return {st.st_ino, st.st_size,
          static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec};
}

std::shared_ptr<const TlsContext::Identity> TlsContext::Current() {
  const std::lock_guard<std::mutex> lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (now - last_check_ < std::chrono::seconds(1)) return identity_;
  last_check_ = now;
  const FileStamp cert = Stamp(settings_.cert_file);
  const FileStamp key = Stamp(settings_.key_file);
  if (cert == cert_stamp_ && key == key_stamp_) return identity_;
  // A half-replaced pair does not match; keep the old one and retry later.
  if (auto fresh = LoadIdentity(settings_.cert_file, settings_.key_file)) {
    identity_ = std::move(*fresh);
    cert_stamp_ = cert;
    key_stamp_ = key;
  }
  return identity_;
}

int TlsContext::Configure(void* raw) {
  auto* ctx = static_cast<SSL_CTX*>(raw);
  if (SSL_CTX_set_min_proto_version(ctx, settings_.min_version) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, settings_.max_version) != 1) {
    return -1;
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (!ApplyAlgorithms(ctx, settings_)) return -1;
  SSL_CTX_set_cert_cb(ctx, CertCallback, this);
  int mode = SSL_VERIFY_NONE;
  SSL_verify_cb callback = nullptr;
  switch (settings_.client_auth) {
    case ClientAuth::kNoClientCert:
      break;
    case ClientAuth::kRequestClientCert:
      mode = SSL_VERIFY_PEER;
      callback = AcceptAny;
      break;
    case ClientAuth::kRequireAnyClientCert:
      mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
      callback = AcceptAny;
      break;
    case ClientAuth::kVerifyClientCertIfGiven:
      mode = SSL_VERIFY_PEER;
      break;
    case ClientAuth::kRequireAndVerifyClientCert:
      mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
      break;
  }
  if (!settings_.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, settings_.client_ca_file.c_str(), nullptr) != 1) {
      ERR_clear_error();
      return -1;
    }
    SSL_CTX_set_client_CA_list(ctx, SSL_load_client_CA_file(settings_.client_ca_file.c_str()));
  }
  SSL_CTX_set_verify(ctx, mode, callback);
  SSL_CTX_set_verify_depth(ctx, 9);
  // Sessions must not outlive a change of client CA: no session cache or
  // tickets across contexts; a reload creates a new context anyway.
  static const unsigned char kSessionId[] = "mailpath_exporter";
  SSL_CTX_set_session_id_context(ctx, kSessionId, sizeof kSessionId - 1);
  return 1;
}

}  // namespace mailpath::http
