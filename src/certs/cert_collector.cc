#include "mailpath/certs/cert_collector.h"

#include <cstdio>
#include <set>

#include "mailpath/metrics/family_builder.h"

namespace mailpath::certs {
namespace {

using metrics::FamilyBuilder;
using prometheus::MetricType;

std::string Trim(std::string_view s) {
  while (!s.empty() &&
         (s.back() == '\n' || s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return std::string(s);
}

std::string Run(const std::string& command) {
  std::string out;
  if (FILE* p = popen((command + " 2>/dev/null").c_str(), "r")) {
    char buf[1024];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string ConfiguredFile(Protocol protocol, std::string_view first, std::string_view second) {
  std::string a = Trim(first), b = Trim(second);
  if (protocol == Protocol::kSmtp) {
    if (!a.empty()) return a;  // smtpd_tls_cert_file
    // smtpd_tls_chain_files: comma or space separated; the first file holds the first key and its
    // chain.
    const std::size_t end = b.find_first_of(", \t");
    return b.substr(0, end);
  }
  if (!a.empty()) return a;                           // 2.4 ssl_server_cert_file
  if (!b.empty() && b.front() == '<') b.erase(0, 1);  // 2.3 ssl_cert = </path
  return Trim(b);
}

std::string DiscoverCertFile(Protocol protocol, const std::string& dovecot_config) {
  if (protocol == Protocol::kSmtp) {
    return ConfiguredFile(protocol, Run("postconf -h smtpd_tls_cert_file"),
                          Run("postconf -h smtpd_tls_chain_files"));
  }
  // The path goes to a shell: only a plain path is passed on.
  const bool plain = dovecot_config.find_first_not_of(
                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-") ==
                     std::string::npos;
  const std::string doveconf =
      dovecot_config.empty() || !plain ? "doveconf" : "doveconf -c " + dovecot_config;
  return ConfiguredFile(protocol, Run(doveconf + " -h ssl_server_cert_file"),
                        Run(doveconf + " -h ssl_cert"));
}

CertCollector::CertCollector(CertCollectorOptions options) : options_(std::move(options)) {
  // One target per port (the first wins): two would emit the same series twice.
  std::set<std::uint16_t> seen;
  std::erase_if(options_.targets, [&seen](const Target& t) { return !seen.insert(t.port).second; });
  thread_ = std::thread([this] { Loop(); });
}

CertCollector::~CertCollector() { Stop(); }

void CertCollector::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CertCollector::Loop() {
  for (;;) {
    ProbeAll();
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, options_.interval, [this] { return stop_; })) return;
  }
}

void CertCollector::ProbeAll() {
  for (const Target& t : options_.targets) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
    }
    ProbeResult r = ProbeTarget(t, options_.probe);
    std::string path = t.cert_file;
    if (path.empty() && options_.discover_files)
      path = DiscoverCertFile(t.protocol, options_.dovecot_config);
    std::optional<CertInfo> file;
    if (!path.empty()) {
      if (auto read = ReadCertFile(path); read.ok()) file = std::move(*read);
    }
    std::lock_guard<std::mutex> lock(mu_);
    State& s = states_[t.port];
    s.probed = true;
    if (r.served) s.served = r.served;
    s.last = std::move(r);
    s.when = Now();
    s.file = std::move(file);
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++rounds_;
  cv_.notify_all();
}

void CertCollector::Collect(std::vector<prometheus::MetricFamily>& out) {
  std::unique_lock<std::mutex> lock(mu_);
  // The first scrape after start waits a little for the first round instead of reporting nothing;
  // never long (a scrape has its deadline): ports not probed yet are simply absent.
  cv_.wait_for(lock, std::chrono::seconds(5), [this] { return rounds_ > 0 || stop_; });
  FamilyBuilder success("mailpath_cert_probe_success",
                        "1 if the last loopback TLS probe of the port got a certificate, else 0.",
                        MetricType::Gauge);
  FamilyBuilder when("mailpath_cert_probe_timestamp_seconds",
                     "When the port was last probed (Unix time).", MetricType::Gauge);
  FamilyBuilder not_after(
      "mailpath_cert_not_after_timestamp_seconds",
      "notAfter of the certificate the port serves (source=served, kept while the port fails) "
      "and of the file the daemon is configured with (source=file).",
      MetricType::Gauge);
  FamilyBuilder not_before("mailpath_cert_not_before_timestamp_seconds", "notBefore, as notAfter.",
                           MetricType::Gauge);
  FamilyBuilder fingerprint(
      "mailpath_cert_fingerprint48",
      "The first 48 bits of the certificate's SHA-256 fingerprint, as a number (changes when "
      "the certificate does; never a label).",
      MetricType::Gauge);
  FamilyBuilder verified(
      "mailpath_cert_chain_verified",
      "1 if the served chain verified against the trust store (or --cert.ca-file), else 0. "
      "Names are not checked.",
      MetricType::Gauge);
  FamilyBuilder matches(
      "mailpath_cert_served_matches_file",
      "1 if the served leaf is the first certificate of the configured file, 0 if not (renewed "
      "on disk, not reloaded); absent when the file is unknown or unreadable.",
      MetricType::Gauge);
  FamilyBuilder stages(
      "mailpath_cert_probe_stage_seconds",
      "Time of each stage of the last probe: connect, banner, starttls (STARTTLS ports), "
      "handshake.",
      MetricType::Gauge);
  for (const Target& t : options_.targets) {
    auto it = states_.find(t.port);
    if (it == states_.end() || !it->second.probed) continue;
    const State& s = it->second;
    const std::string port = std::to_string(t.port);
    success.Gauge({{"port", port}}, s.last.ok ? 1 : 0);
    when.Gauge({{"port", port}}, s.when);
    for (const auto& [stage, seconds] : s.last.stage_seconds)
      stages.Gauge({{"port", port}, {"stage", stage}}, seconds);
    if (s.served) {
      not_after.Gauge({{"port", port}, {"source", "served"}}, s.served->not_after);
      not_before.Gauge({{"port", port}, {"source", "served"}}, s.served->not_before);
      fingerprint.Gauge({{"port", port}, {"source", "served"}}, s.served->fingerprint48);
      verified.Gauge({{"port", port}}, s.last.ok && s.last.chain_verified ? 1 : 0);
    }
    if (s.file) {
      not_after.Gauge({{"port", port}, {"source", "file"}}, s.file->not_after);
      not_before.Gauge({{"port", port}, {"source", "file"}}, s.file->not_before);
      fingerprint.Gauge({{"port", port}, {"source", "file"}}, s.file->fingerprint48);
      if (s.served) matches.Gauge({{"port", port}}, s.served->der == s.file->der ? 1 : 0);
    }
  }
  for (FamilyBuilder* b :
       {&success, &when, &not_after, &not_before, &fingerprint, &verified, &matches, &stages}) {
    if (!b->family().metric.empty()) out.push_back(std::move(*b).Build());
  }
}

}  // namespace mailpath::certs
