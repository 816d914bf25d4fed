#include "mailpath/certs/cert_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>

namespace mailpath::certs {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double AsnTimeToUnix(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<double>(timegm(&tm));
}

std::optional<CertInfo> Info(X509* x) {
  if (x == nullptr) return std::nullopt;
  CertInfo c;
  c.not_before = AsnTimeToUnix(X509_get0_notBefore(x));
  c.not_after = AsnTimeToUnix(X509_get0_notAfter(x));
  unsigned char* der = nullptr;
  const int len = i2d_X509(x, &der);
  if (len <= 0) return std::nullopt;
  c.der.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (EVP_Digest(c.der.data(), c.der.size(), md, &md_len, EVP_sha256(), nullptr) == 1 &&
      md_len >= 6) {
    std::uint64_t v = 0;
    for (int i = 0; i < 6; ++i) v = (v << 8) | md[i];
    c.fingerprint48 = static_cast<double>(v);
  }
  return c;
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

bool WaitFd(int fd, short events, Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return false;
  pollfd p{fd, events, 0};
  return poll(&p, 1, static_cast<int>(left)) == 1;
}

int Connect(const ProbeOptions& o, std::uint16_t port, Clock::time_point deadline,
            std::string& error) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST;
  addrinfo* res = nullptr;
  if (getaddrinfo(o.address.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 ||
      res == nullptr) {
    error = "bad probe address " + o.address;
    return -1;
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);
  const int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  if (!o.source_address.empty()) {
    addrinfo* src = nullptr;
    if (getaddrinfo(o.source_address.c_str(), nullptr, &hints, &src) == 0 && src != nullptr) {
      const int rc = bind(fd, src->ai_addr, src->ai_addrlen);
      freeaddrinfo(src);
      if (rc != 0) {
        error = std::string("bind ") + o.source_address + ": " + std::strerror(errno);
        close(fd);
        return -1;
      }
    }
  }
  if (connect(fd, res->ai_addr, res->ai_addrlen) != 0 && errno != EINPROGRESS) {
    error = std::string("connect: ") + std::strerror(errno);
    close(fd);
    return -1;
  }
  int soerr = 0;
  socklen_t len = sizeof soerr;
  if (!WaitFd(fd, POLLOUT, deadline) || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0 ||
      soerr != 0) {
    error = std::string("connect: ") + (soerr ? std::strerror(soerr) : "timed out");
    close(fd);
    return -1;
  }
  return fd;
}

// Reads plaintext until `check` says complete.
Reply ReadPlain(int fd, Clock::time_point deadline, std::string& buf,
                const std::function<Reply(std::string_view)>& check) {
  char tmp[2048];
  for (;;) {
    const Reply r = check(buf);
    if (r != Reply::kIncomplete) return r;
    if (buf.size() > 64 * 1024 || !WaitFd(fd, POLLIN, deadline)) return Reply::kRefused;
    const ssize_t n = recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return Reply::kRefused;
    buf.append(tmp, static_cast<std::size_t>(n));
  }
}

bool SendPlain(int fd, std::string_view s) {
  return send(fd, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size());
}

// Drives a non-blocking SSL call until done or the deadline.
template <typename F>
int SslCall(SSL* ssl, int fd, Clock::time_point deadline, F f) {
  for (;;) {
    const int rc = f();
    if (rc > 0) return rc;
    const int err = SSL_get_error(ssl, rc);
    if (err == SSL_ERROR_WANT_READ) {
      if (!WaitFd(fd, POLLIN, deadline)) return -1;
    } else if (err == SSL_ERROR_WANT_WRITE) {
      if (!WaitFd(fd, POLLOUT, deadline)) return -1;
    } else {
      return rc;
    }
  }
}

Reply ReadTls(SSL* ssl, int fd, Clock::time_point deadline, std::string& buf,
              const std::function<Reply(std::string_view)>& check) {
  char tmp[2048];
  for (;;) {
    const Reply r = check(buf);
    if (r != Reply::kIncomplete) return r;
    if (buf.size() > 64 * 1024) return Reply::kRefused;
    const int n = SslCall(ssl, fd, deadline, [&] { return SSL_read(ssl, tmp, sizeof tmp); });
    if (n <= 0) return Reply::kRefused;
    buf.append(tmp, static_cast<std::size_t>(n));
  }
}

}  // namespace

ProbeResult ProbeTarget(const Target& t, const ProbeOptions& o) {
  ProbeResult r;
  const auto start = Clock::now();
  const auto deadline = start + o.timeout;
  auto fail = [&r](const char* stage, std::string error) {
    r.failed_stage = stage;
    r.error = std::move(error);
    return r;
  };
  Fd sock;
  std::string error;
  sock.fd = Connect(o, t.port, deadline, error);
  if (sock.fd < 0) return fail("connect", error);
  auto mark = Clock::now();
  r.stage_seconds["connect"] = Seconds(start, mark);
  std::string buf;
  if (t.mode == TlsMode::kStartTls) {
    if (ReadPlain(sock.fd, deadline, buf,
                  [&](std::string_view b) { return CheckGreeting(t.protocol, b); }) != Reply::kOk) {
      return fail("banner", "no greeting");
    }
    auto now = Clock::now();
    r.stage_seconds["banner"] = Seconds(mark, now);
    mark = now;
    if (t.protocol == Protocol::kSmtp) {
      buf.clear();
      if (!SendPlain(sock.fd, EhloCommand()) ||
          ReadPlain(sock.fd, deadline, buf, [](std::string_view b) { return CheckEhlo(b); }) !=
              Reply::kOk) {
        return fail("starttls", "EHLO refused");
      }
    }
    buf.clear();
    if (!SendPlain(sock.fd, StartTlsCommand(t.protocol)) ||
        ReadPlain(sock.fd, deadline, buf,
                  [&](std::string_view b) { return CheckStartTls(t.protocol, b); }) != Reply::kOk) {
      SendPlain(sock.fd, GoodbyeCommand(t.protocol));
      return fail("starttls", "STARTTLS refused: " + buf.substr(0, 80));
    }
    now = Clock::now();
    r.stage_seconds["starttls"] = Seconds(mark, now);
    mark = now;
  }
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  if (!ctx) return fail("handshake", "SSL_CTX_new failed");
  if (o.ca_file.empty()) {
    SSL_CTX_set_default_verify_paths(ctx.get());
  } else {
    SSL_CTX_load_verify_locations(ctx.get(), o.ca_file.c_str(), nullptr);
  }
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE,
                     nullptr);  // read the verdict, never refuse: expired is data
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), sock.fd);
  if (SslCall(ssl.get(), sock.fd, deadline, [&] { return SSL_connect(ssl.get()); }) != 1) {
    return fail("handshake", "TLS handshake failed");
  }
  auto now = Clock::now();
  r.stage_seconds["handshake"] = Seconds(mark, now);
  X509* peer = SSL_get1_peer_certificate(ssl.get());
  r.served = Info(peer);
  X509_free(peer);
  r.chain_verified = r.served && SSL_get_verify_result(ssl.get()) == X509_V_OK;
  // Implicit TLS: take the greeting first, so the server sees a normal session, then say goodbye.
  buf.clear();
  if (t.mode == TlsMode::kImplicit) {
    (void)ReadTls(ssl.get(), sock.fd, deadline, buf,
                  [&](std::string_view b) { return CheckGreeting(t.protocol, b); });
    buf.clear();
  }
  const std::string_view bye = GoodbyeCommand(t.protocol);
  if (SslCall(ssl.get(), sock.fd, deadline,
              [&] { return SSL_write(ssl.get(), bye.data(), static_cast<int>(bye.size())); }) > 0) {
    // Wait for the server's answer (221 / "* BYE" + "z OK" / "+OK") so it closes first.
    (void)ReadTls(ssl.get(), sock.fd, deadline, buf, [](std::string_view b) {
      return b.find('\n') == std::string_view::npos ? Reply::kIncomplete : Reply::kOk;
    });
  }
  SSL_shutdown(ssl.get());
  if (!r.served) return fail("handshake", "no certificate");
  r.ok = true;
  return r;
}

std::optional<CertInfo> DecodeFirstPemCertificate(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  const std::size_t b = pem.find(kBegin);
  if (b == std::string_view::npos) return std::nullopt;
  const std::size_t e = pem.find(kEnd, b);
  if (e == std::string_view::npos) return std::nullopt;
  // Only the CERTIFICATE block goes to OpenSSL: a chain file's key block is never decoded.
  const std::string block(pem.substr(b, e + kEnd.size() - b));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(block.data(), static_cast<int>(block.size())), BIO_free);
  X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  auto info = Info(x);
  X509_free(x);
  return info;
}

Result<CertInfo> ReadCertFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoError("cannot open " + path);
  // Keep only the first CERTIFICATE block; lines of any other block (a Postfix chain file's key)
  // are dropped as they are read, never kept or decoded.
  std::string block, line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside && line.starts_with("-----BEGIN CERTIFICATE-----")) inside = true;
    if (!inside) continue;
    block += line;
    block += '\n';
    if (line.starts_with("-----END CERTIFICATE-----")) break;
  }
  auto info = DecodeFirstPemCertificate(block);
  if (!info) return Error{path + " holds no PEM certificate"};
  return std::move(*info);
}

}  // namespace mailpath::certs
