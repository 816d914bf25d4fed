#include "mailpath/app/catalog.h"

#include <chrono>

#include "mailpath/certs/cert_collector.h"
#include "mailpath/certs/probe_filter.h"
#include "mailpath/logs/classify/dovecot_collector.h"
#include "mailpath/logs/classify/postfix_collector.h"
#include "mailpath/logs/line_source.h"
#include "mailpath/logs/log_collector.h"
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

logs::LineSourceOptions LineSourceOptionsFrom(const Options& o) {
  logs::LineSourceOptions p;
  p.files = o.log_files;
  p.journal = o.systemd_enable;
  for (const std::string& u : o.systemd_units) p.journal_matches.push_back("_SYSTEMD_UNIT=" + u);
  for (const std::string& s : o.systemd_slices) p.journal_matches.push_back("_SYSTEMD_SLICE=" + s);
  p.journal_directory = o.systemd_journal_path;
  p.from_beginning = o.log_from_beginning;
  p.max_line_bytes = static_cast<std::size_t>(o.log_max_line_bytes);
  return p;
}

// The classifier, routed the lines of `program`, behind a filter that drops the cert probe's own
// sessions (by its source address); as it is when the cert collector is off (the filter would
// search every line for nothing).
template <typename C>
std::unique_ptr<metrics::Collector> RoutedClassifier(std::unique_ptr<C> c, logs::Program program,
                                                     const Options& o, BuildContext& ctx) {
  if (!CollectorEnabled(o, CollectorInfo{"cert", "", false}) || ProbeSource(o).empty()) {
    ctx.pipeline->Route(program, *c);
    return c;
  }
  logs::RecordConsumer& consumer = *c;
  auto filtered =
      std::make_unique<certs::ProbeFilteredClassifier>(std::move(c), consumer, ProbeSource(o));
  ctx.pipeline->Route(program, *filtered);
  return filtered;
}

const CollectorInfo kLogsInfo{
    "logs", "The log pipeline (files, stdin, journal) and its own counters (mailpath_log_*).",
    true};

}  // namespace

std::vector<CatalogEntry> Catalog() {
  return {
      {{"process", "The exporter's own CPU, memory and file descriptors (process_*).", true},
       [](const Options& o, BuildContext&) {
         return std::make_unique<process::ProcessCollector>(o.procfs);
       }},
      {{"showq",
        "Postfix queues from the showq service: depth, bytes, recipients, ages, "
        "defer reasons (postfix_up, postfix_showq_*).",
        true},
       [](const Options& o, BuildContext&) {
         using namespace std::chrono;
         return std::make_unique<showq::ShowqCollector>(
             showq::MakeSocketTransport(o.showq_path, seconds(60)),
             showq::ShowqCollectorOptions{static_cast<std::size_t>(o.showq_deferred_domains_cap)},
             [] { return duration<double>(system_clock::now().time_since_epoch()).count(); });
       }},
      {{"tcp",
        "TCP path health of the mail ports from sock_diag tcp_info: states, MSS/PMTU/RTT, "
        "retransmits, PMTUD blackhole suspects (mailpath_tcp_*).",
        true},
       [](const Options& o, BuildContext& ctx) {
         ctx.peer_paths = std::make_shared<tcp::PeerPaths>();
         return std::make_unique<tcp::TcpCollector>(
             tcp::TcpCollectorOptions{o.tcp_ports, o.tcp_remote_ports, ctx.peer_paths},
             std::make_unique<tcp::MnlSockDiagSource>(o.tcp_ports, o.tcp_remote_ports),
             std::make_unique<tcp::ProcfsKernelCounters>(o.procfs), ctx.logger);
       }},
      {{"cert",
        "Served certificate of each TLS-capable mail port, from a cached loopback handshake every "
        "few "
        "minutes, against the file on disk (mailpath_cert_*).",
        false},
       [](const Options& o, BuildContext& ctx) {
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
         ctx.life.OnShutdown([raw] { raw->Stop(); });
         return collector;
       }},
      {{"postfix",
        "Postfix rate limits, throttling, TLS losses, rejects and deliveries, from its logs "
        "(postfix_*; needs "
        "the logs collector).",
        true},
       [](const Options& o, BuildContext& ctx) {
         auto c = std::make_unique<logs::classify::PostfixCollector>(
             logs::classify::PostfixCollectorOptions{
                 static_cast<std::size_t>(o.postfix_sasl_users_cap),
                 static_cast<std::size_t>(o.postfix_client_networks_cap),
                 static_cast<std::size_t>(o.postfix_destination_domains_cap)});
         if (ctx.peer_paths) c->SetPathAttribution(ctx.peer_paths);
         return RoutedClassifier(std::move(c), logs::Program::kPostfix, o, ctx);
       },
       true},
      {{"dovecot",
        "Dovecot logins, pre-auth failures, TLS losses and limits, from its logs (dovecot_*; needs "
        "the logs "
        "collector).",
        true},
       [](const Options& o, BuildContext& ctx) {
         auto c = std::make_unique<logs::classify::DovecotCollector>();
         if (ctx.peer_paths) c->SetPathAttribution(ctx.peer_paths);
         return RoutedClassifier(std::move(c), logs::Program::kDovecot, o, ctx);
       },
       true},
      // Built with the pipeline before every other collector (BuildCollectors); last in the
      // exposition.
      {kLogsInfo, [](const Options&, BuildContext& ctx) { return std::move(ctx.log_collector); }},
  };
}

std::string CheckCollectorFeeds(const Options& o) {
  if (CollectorEnabled(o, kLogsInfo)) return "";
  for (const CatalogEntry& e : Catalog()) {
    const auto it = o.collector_switches.find(e.info.name);
    if (e.needs_logs && it != o.collector_switches.end() && it->second) {
      return "collector '" + e.info.name +
             "' reads its lines from the logs collector, which is off; add "
             "--collector.logs or drop --collector." +
             e.info.name;
    }
  }
  return "";
}

BuiltCollectors BuildCollectors(const Options& o, Logger& logger, Lifecycle& life) {
  BuildContext ctx{logger, life, nullptr, nullptr, nullptr};
  BuiltCollectors built;
  if (CollectorEnabled(o, kLogsInfo)) {
    auto store = std::make_unique<logs::CheckpointStore>(o.state_dir, logger);
    logs::PipelineOptions po;
    po.max_line_bytes = static_cast<std::size_t>(o.log_max_line_bytes);
    auto pipeline = std::make_unique<logs::LogPipeline>(po, *store, logger);
    if (o.replay_files.empty()) {
      for (auto& source : logs::MakeLineSources(LineSourceOptionsFrom(o), logger)) {
        pipeline->AddSource(std::move(source));
      }
    }
    ctx.pipeline = pipeline.get();
    ctx.log_collector = std::make_unique<logs::LogCollector>(std::move(store), std::move(pipeline));
  }
  for (const CatalogEntry& e : Catalog()) {
    if (!CollectorEnabled(o, e.info)) continue;
    if (e.needs_logs && ctx.pipeline == nullptr) {
      logger.Warn("collector not enabled: it reads its lines from the logs collector, which is off",
                  {{"collector", e.info.name}});
      continue;
    }
    try {
      built.collectors.emplace_back(e.info.name, e.make(o, ctx));
    } catch (const std::exception& err) {
      throw CollectorStartError(e.info.name, err.what());
    }
  }
  if (logs::LogPipeline* p = ctx.pipeline) {
    if (o.replay_files.empty()) {
      try {
        p->Start();
      } catch (const std::exception& err) {
        throw CollectorStartError(kLogsInfo.name, err.what());
      }
      life.OnShutdown([p] { p->Stop(); });
      life.OnReload([p] { p->RequestCheckpoint(); });
    } else {
      built.replay = [p](const std::string& file) { return p->Replay(file); };
    }
  }
  return built;
}

std::vector<CollectorInfo> CatalogInfos() {
  std::vector<CollectorInfo> infos;
  for (const auto& e : Catalog()) infos.push_back(e.info);
  return infos;
}

}  // namespace mailpath::app
