#include "mailpath/app/catalog.h"

#include <chrono>

#include "mailpath/certs/cert_collector.h"
#include "mailpath/certs/probe_filter.h"
#include "mailpath/logs/classify/dovecot_collector.h"
#include "mailpath/logs/classify/postfix_collector.h"
#include "mailpath/logs/log_pipeline.h"
#include "mailpath/process/process_collector.h"
#include "mailpath/showq/showq_collector.h"
#include "mailpath/tcp/kernel_counters.h"
#include "mailpath/tcp/mnl_sock_diag_source.h"
#include "mailpath/tcp/tcp_collector.h"

namespace mailpath::app {
namespace {

// The cert probe's source address: the reserved loopback one unless the probe goes elsewhere.
std::string ProbeSource(const Options& o) {
  if (!o.cert_source_address.empty()) return o.cert_source_address;
  return o.cert_address.starts_with("127.") ? certs::kDefaultProbeSource : "";
}

logs::PipelineOptions PipelineOptionsFrom(const Options& o) {
  logs::PipelineOptions p;
  p.files = o.log_files;
  p.journal = o.systemd_enable;
  for (const std::string& u : o.systemd_units) p.journal_matches.push_back("_SYSTEMD_UNIT=" + u);
  for (const std::string& s : o.systemd_slices) p.journal_matches.push_back("_SYSTEMD_SLICE=" + s);
  p.journal_directory = o.systemd_journal_path;
  p.state_dir = o.state_dir;
  p.from_beginning = o.log_from_beginning;
  p.max_line_bytes = static_cast<std::size_t>(o.log_max_line_bytes);
  return p;
}

// The classifier behind a filter that drops the cert probe's own sessions (by its source address); as
// it is when the cert collector is off (the filter would search every line for nothing).
template <typename C>
std::unique_ptr<metrics::Collector> WithoutProbeLines(std::unique_ptr<C> c, const Options& o, Lifecycle& life) {
  if (!CollectorEnabled(o, CollectorInfo{"cert", "", false}) || ProbeSource(o).empty()) {
    life.AddRecordConsumer(c.get());
    return c;
  }
  logs::RecordConsumer& consumer = *c;
  auto filtered = std::make_unique<certs::ProbeFilteredClassifier>(std::move(c), consumer, ProbeSource(o));
  life.AddRecordConsumer(filtered.get());
  return filtered;
}

}  // namespace

std::vector<CatalogEntry> Catalog() {
  return {
      {{"process", "The exporter's own CPU, memory and file descriptors (process_*).", true},
       [](const Options& o, Logger&, Lifecycle&) {
         return std::make_unique<process::ProcessCollector>(o.procfs);
       }},
      {{"showq", "Postfix queues from the showq service: depth, bytes, recipients, ages, "
                 "defer reasons (postfix_up, postfix_showq_*).",
        true},
       [](const Options& o, Logger&, Lifecycle&) {
         using namespace std::chrono;
         return std::make_unique<showq::ShowqCollector>(
             showq::MakeSocketTransport(o.showq_path, seconds(60)),
             showq::ShowqCollectorOptions{
                 static_cast<std::size_t>(o.showq_deferred_domains_cap)},
             [] {
               return duration<double>(system_clock::now().time_since_epoch()).count();
             });
       }},
      {{"tcp", "TCP path health of the mail ports from sock_diag tcp_info: states, MSS/PMTU/RTT, "
               "retransmits, PMTUD blackhole suspects (mailpath_tcp_*).",
        true},
       [](const Options& o, Logger& logger, Lifecycle& life) {
         life.peer_paths = std::make_shared<tcp::PeerPaths>();
         return std::make_unique<tcp::TcpCollector>(
             tcp::TcpCollectorOptions{o.tcp_ports, o.tcp_remote_ports, life.peer_paths},
             std::make_unique<tcp::MnlSockDiagSource>(o.tcp_ports, o.tcp_remote_ports),
             std::make_unique<tcp::ProcfsKernelCounters>(o.procfs), logger);
       }},
      {{"cert", "Served certificate of each TLS-capable mail port, from a cached loopback handshake every few "
                "minutes, against the file on disk (mailpath_cert_*).",
        false},
       [](const Options& o, Logger&, Lifecycle& life) {
         certs::CertCollectorOptions c;
         for (const std::string& spec : o.cert_targets) {
           if (auto t = certs::ParseTarget(spec)) c.targets.push_back(*t);
         }
         if (o.cert_targets.empty()) {
           for (auto port : o.tcp_ports) {
             if (auto t = certs::WellKnownTarget(port)) c.targets.push_back(*t);
           }
         }
         c.probe.address = o.cert_address;
         c.probe.source_address = ProbeSource(o);
         c.probe.ca_file = o.cert_ca_file;
         c.dovecot_config = o.dovecot_config;
         c.interval = std::chrono::seconds(o.cert_probe_interval_seconds);
         auto collector = std::make_unique<certs::CertCollector>(std::move(c));
         certs::CertCollector* raw = collector.get();
         life.OnShutdown([raw] { raw->Stop(); });
         return collector;
       }},
      {{"postfix", "Postfix rate limits, throttling, TLS losses, rejects and deliveries, from its logs (postfix_*).",
        true},
       [](const Options& o, Logger&, Lifecycle& life) {
         auto c = std::make_unique<logs::classify::PostfixCollector>(logs::classify::PostfixCollectorOptions{
             static_cast<std::size_t>(o.postfix_sasl_users_cap),
             static_cast<std::size_t>(o.postfix_client_networks_cap),
             static_cast<std::size_t>(o.postfix_destination_domains_cap)});
         if (life.peer_paths) c->SetPathAttribution(life.peer_paths);
         return WithoutProbeLines(std::move(c), o, life);
       }},
      {{"dovecot", "Dovecot logins, pre-auth failures, TLS losses and limits, from its logs (dovecot_*).", true},
       [](const Options& o, Logger&, Lifecycle& life) {
         auto c = std::make_unique<logs::classify::DovecotCollector>();
         if (life.peer_paths) c->SetPathAttribution(life.peer_paths);
         return WithoutProbeLines(std::move(c), o, life);
       }},
      // Last: the pipeline feeds the classifiers registered above.
      {{"logs", "The log pipeline (files, stdin, journal) and its own counters (mailpath_log_*).", true},
       [](const Options& o, Logger& logger, Lifecycle& life) {
         auto p = std::make_unique<logs::LogPipeline>(PipelineOptionsFrom(o), logger);
         for (logs::RecordConsumer* c : life.record_consumers()) p->AddConsumer(c);
         logs::LogPipeline* raw = p.get();
         if (o.replay_files.empty()) {
           p->Start();
           life.OnShutdown([raw] { raw->Stop(); });
           life.OnReload([raw] { raw->RequestCheckpoint(); });
         } else {
           life.replay = [raw](const std::string& file) { return raw->Replay(file); };
         }
         return p;
       }},
  };
}

std::vector<CollectorInfo> CatalogInfos() {
  std::vector<CollectorInfo> infos;
  for (const auto& e : Catalog()) infos.push_back(e.info);
  return infos;
}

}  // namespace mailpath::app
