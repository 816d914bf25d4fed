// mailpath_exporter: flags, wiring and the process's life; nothing else.
#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "mailpath/app/catalog.h"
#include "mailpath/app/config_file.h"
#include "mailpath/app/flags.h"
#include "mailpath/app/state_dir_lock.h"
#include "mailpath/app/web_config.h"
#include "mailpath/app/web_config_watcher.h"
#include "mailpath/build_version.h"
#include "mailpath/common/logger.h"
#include "mailpath/http/router.h"
#include "mailpath/http/server.h"
#include "mailpath/metrics/collector_runner.h"
#include "mailpath/metrics/exposition.h"
#include "mailpath/metrics/single_flight.h"
#include "mailpath/tcp/diagnose.h"

namespace {

using mailpath::app::Options;

constexpr int kExitUsage = 2;
constexpr int kExitRuntime = 1;

int UsageError(const std::string& message) {
  std::cerr << "mailpath_exporter: error: " << message << ", try --help\n";
  return kExitUsage;
}

std::string CompilerName() {
#if defined(__clang__)
  return "clang-" __clang_version__;
#elif defined(__GNUC__)
  return "gcc-" __VERSION__;
#else
  return "unknown";
#endif
}

}  // namespace

int main(int argc, char** argv) {
  // Scrapes land on any of the HTTP worker threads; without a cap glibc gives
  // each its own arena and the RSS of a small exporter grows with the thread
  // count. Two arenas are plenty for this workload.
  mallopt(M_ARENA_MAX, 2);
  // As the Go runtime does: the soft descriptor limit up to the hard one, so
  // that a crowd of clients meets the kernel's limit, not an old default.
  if (rlimit nofile{};
      getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  // "mailpath_exporter diagnose [flags]": the TCP path report for a human.
  const bool diagnose = !args.empty() && args[0] == "diagnose";
  if (diagnose) args.erase(args.begin());
  const auto infos = mailpath::app::CatalogInfos();

  Options options;
  if (std::string file = mailpath::app::FindConfigFileFlag(args); !file.empty()) {
    if (const auto loaded = mailpath::app::LoadConfigFile(file, options); !loaded) {
      std::cerr << "mailpath_exporter: error: " << loaded.message() << "\n";
      return kExitUsage;
    }
  }
  const auto parsed = mailpath::app::ParseFlags(args, infos, options);
  if (!parsed) return UsageError(parsed.message());
  switch (*parsed) {
    case mailpath::app::FlagAction::kHelp:
      std::cout << mailpath::app::UsageText(infos);
      return 0;
    case mailpath::app::FlagAction::kVersion:
      std::cout << "mailpath_exporter, version " << MAILPATH_VERSION
                << " (revision: " << MAILPATH_REVISION << ")\n  compiler: " << CompilerName()
                << "\n";
      return 0;
    case mailpath::app::FlagAction::kRun:
      break;
  }
  if (diagnose) {
    return mailpath::tcp::RunDiagnose(options.tcp_ports, options.tcp_remote_ports,
                                      options.dovecot_config);
  }
  for (const auto& [name, on] : options.collector_switches) {
    bool known = false;
    for (const auto& info : infos) known = known || info.name == name;
    if (!known) return UsageError("unknown collector '" + name + "' in " + options.config_file);
  }
  if (std::string err = mailpath::app::CheckCollectorFeeds(options); !err.empty())
    return UsageError(err);
  mailpath::app::WebConfig web_config;
  if (!options.web_config_file.empty()) {
    if (const auto loaded = mailpath::app::LoadWebConfig(options.web_config_file, web_config);
        !loaded) {
      std::cerr << "mailpath_exporter: error: invalid --web.config.file: " << loaded.message()
                << "\n";
      return kExitUsage;
    }
  }
  if (options.listen_addresses.empty()) {
    options.listen_addresses = {mailpath::app::kDefaultListenAddress};
  }
  for (const auto& address : options.listen_addresses) {
    if (const auto spec = mailpath::http::ToCivetListenSpec(address); !spec) {
      return UsageError("invalid value for flag '--web.listen-address': " + spec.message());
    }
  }

  // One exporter per state dir: two would overwrite each other's checkpoint.
  std::unique_ptr<mailpath::app::StateDirLock> state_lock;
  if (!options.state_dir.empty()) {
    auto lock = mailpath::app::StateDirLock::Acquire(options.state_dir);
    if (!lock && lock.error().error_number == EWOULDBLOCK) {
      std::cerr << "mailpath_exporter: error: " << lock.message() << "\n";
      return kExitUsage;
    }
    if (lock) {
      state_lock = std::move(*lock);
    } else {
      std::cerr << "mailpath_exporter: warning: " << lock.message() << "\n";
    }
  }

  // Block the stop signals before any thread starts, so that every thread
  // inherits the mask and only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  mailpath::Logger logger(std::cerr, options.log_level, options.log_format);
  mailpath::app::Lifecycle lifecycle;
  mailpath::metrics::CollectorRunner runner({MAILPATH_VERSION, MAILPATH_REVISION, CompilerName()},
                                            logger);
  mailpath::app::BuiltCollectors built;
  try {
    built = mailpath::app::BuildCollectors(options, logger, lifecycle);
  } catch (const mailpath::app::CollectorStartError& e) {
    logger.Error("cannot start collector", {{"collector", e.collector()}, {"err", e.what()}});
    lifecycle.Shutdown();
    return kExitRuntime;
  }
  for (auto& [name, collector] : built.collectors) runner.Add(name, std::move(collector));

  if (!options.replay_files.empty()) {
    if (!built.replay) {
      std::cerr << "mailpath_exporter: error: --replay needs the logs collector, try --help\n";
      return kExitUsage;
    }
    for (const auto& file : options.replay_files) {
      if (std::string err = built.replay(file); !err.empty()) {
        std::cerr << "mailpath_exporter: error: " << err << "\n";
        return kExitRuntime;
      }
    }
    std::cout << mailpath::metrics::SerializeText(runner.Scrape()) << std::flush;
    return 0;
  }

  if (options.once) {
    std::cout << mailpath::metrics::SerializeText(runner.Scrape()) << std::flush;
    lifecycle.Shutdown();
    return 0;
  }

  mailpath::http::RouterConfig rc;
  rc.telemetry_path = options.telemetry_path;
  rc.version = MAILPATH_VERSION;
  rc.collectors = runner.Names();
  // Scrapes that arrive while one is being produced share it (20 concurrent
  // scrapers cost one collection, not 20); a lone scrape is always fresh.
  mailpath::metrics::SingleFlight<std::string> shared_scrape(
      [&runner](const mailpath::Deadline& deadline) {
        return mailpath::metrics::SerializeText(runner.Scrape(deadline));
      });
  rc.scrape = [&shared_scrape](const mailpath::Deadline& deadline) {
    return *shared_scrape.Get(deadline);
  };
  rc.ready = [] { return true; };
  const mailpath::http::Router router(std::move(rc));

  std::unique_ptr<mailpath::http::Server> server;
  mailpath::http::ServerOptions server_options;
  server_options.listen_addresses = options.listen_addresses;
  server_options.max_requests = options.web_max_requests;
  mailpath::app::ApplyWebConfig(web_config, server_options);
  for (const auto& warning : web_config.warnings) {
    logger.Warn("web config warning", {{"file", options.web_config_file}, {"msg", warning}});
  }
  try {
    server = mailpath::http::StartCivetServer(server_options, router);
  } catch (const mailpath::http::TlsFileError& e) {
    std::cerr << "mailpath_exporter: error: invalid --web.config.file: " << e.what() << "\n";
    lifecycle.Shutdown();
    return kExitUsage;
  } catch (const std::exception& e) {
    logger.Error("cannot start web server", {{"err", e.what()}});
    lifecycle.Shutdown();
    return kExitRuntime;
  }
  // A changed --web.config.file (or client CA file) is applied while running.
  std::unique_ptr<mailpath::app::WebConfigWatcher> web_config_watcher;
  if (!options.web_config_file.empty()) {
    web_config_watcher = std::make_unique<mailpath::app::WebConfigWatcher>(
        options.web_config_file, web_config, server_options, *server, logger);
  }
  std::string collectors;
  for (const auto& n : runner.Names()) collectors += (collectors.empty() ? "" : ",") + n;
  logger.Info(
      "starting mailpath_exporter",
      {{"version", MAILPATH_VERSION}, {"revision", MAILPATH_REVISION}, {"collectors", collectors}});
  for (const auto& address : server->BoundAddresses()) {
    logger.Info("listening", {{"address", address},
                              {"telemetry_path", options.telemetry_path},
                              {"tls", server_options.tls ? "true" : "false"}});
  }

  // SIGHUP (systemctl reload, logrotate's postrotate): re-read the web config
  // and write the log checkpoint now; it no longer ends the process.
  int sig = 0;
  for (;;) {
    sigwait(&stop_signals, &sig);
    if (sig != SIGHUP) break;
    logger.Info("SIGHUP: reloading the web config and writing the log checkpoint");
    if (web_config_watcher) web_config_watcher->ReloadNow();
    lifecycle.Reload();
  }
  logger.Info("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  web_config_watcher.reset();  // before the server it reloads
  runner.CancelInFlight();     // a scrape waiting on showq answers now, with postfix_up 0
  server->Stop();              // waits for in-flight scrapes
  lifecycle.Shutdown();
  logger.Info("stopped");
  return 0;
}
