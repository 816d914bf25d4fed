#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "mailpath/certs/cert_probe.h"
#include "mailpath/metrics/collector.h"

namespace mailpath::certs {

struct CertCollectorOptions {
  std::vector<Target> targets;  // --cert.target, else the well-known TLS ports of --tcp.ports
  ProbeOptions probe;
  std::chrono::seconds interval{300};
  bool discover_files = true;  // ask postconf / doveconf for a target without a file
  std::string dovecot_config;  // doveconf -c; empty: doveconf's default
};

/// The served certificate of each TLS-capable mail port (collector `cert`): a
/// loopback handshake per port every `interval` on a thread of its own, never
/// during a scrape; scrapes read the cached result. Compares the served leaf
/// with the certificate file the daemon is configured with.
class CertCollector final : public metrics::Collector {
 public:
  explicit CertCollector(CertCollectorOptions options);
  ~CertCollector() override;
  void Collect(std::vector<prometheus::MetricFamily>& out) override;
  /// Stops the probe thread (idempotent).
  void Stop();

 private:
  struct State {
    bool probed = false;
    ProbeResult last;                // the last probe
    std::optional<CertInfo> served;  // the last certificate seen served (kept while the port fails)
    double when = 0;                 // Unix time of the last probe
    std::optional<CertInfo> file;    // the configured certificate file's first certificate
  };
  void Loop();
  void ProbeAll();
  CertCollectorOptions options_;
  std::mutex mu_;  // guards states_, rounds_, stop_
  std::condition_variable cv_;
  std::map<std::uint16_t, State> states_;
  std::uint64_t rounds_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

/// The certificate file a daemon is configured with, from `postconf -h`
/// (smtpd_tls_cert_file, else the first of smtpd_tls_chain_files) for SMTP or
/// `doveconf -h` (2.4 ssl_server_cert_file, else 2.3 ssl_cert without its
/// "<") for IMAP/POP3. Empty when unknown.
[[nodiscard]] std::string DiscoverCertFile(Protocol protocol,
                                           const std::string& dovecot_config = "");

/// Picks the configured file out of postconf/doveconf answers. Pure.
[[nodiscard]] std::string ConfiguredFile(Protocol protocol, std::string_view first,
                                         std::string_view second);

}  // namespace mailpath::certs
