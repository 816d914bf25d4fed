#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mailpath/common/logger.h"

namespace mailpath::app {

/// Every setting of the exporter, filled from defaults, then --config.file,
/// then flags (flags win).
struct Options {
  // Web (exporter-toolkit names).
  std::vector<std::string> listen_addresses;  // empty -> {":10154"}
  std::string telemetry_path = "/metrics";
  std::string web_config_file;
  int web_max_requests = 40;

  // Logging of the exporter itself.
  LogLevel log_level = LogLevel::kInfo;
  LogFormat log_format = LogFormat::kLogfmt;

  // Collector selection: explicit --collector.<name> / --no-collector.<name>.
  bool disable_defaults = false;
  std::map<std::string, bool> collector_switches;

  std::string config_file;
  bool once = false;

  // Procfs root for the process collector (node_exporter's --path.procfs).
  std::string procfs = "/proc";

  // prometheus-postfix-exporter compatible inputs, used by their collectors.
  std::string showq_path = "/var/spool/postfix/public/showq";
  // showq collector: per-destination-domain deferred view, 0 = off.
  int showq_deferred_domains_cap = 0;
  std::vector<std::string> log_files;
  bool systemd_enable = false;
  std::vector<std::string> systemd_units;
  std::vector<std::string> systemd_slices;
  std::string systemd_journal_path;

  // Bounded identity views of the postfix collector (values beyond fold into "other").
  int postfix_sasl_users_cap = 20;
  int postfix_client_networks_cap = 20;
  int postfix_destination_domains_cap = 20;

  // TCP path health.
  std::vector<std::uint16_t> tcp_ports{25, 465, 587, 143, 993, 110, 995};
  std::vector<std::uint16_t> tcp_remote_ports{25, 465, 587};

  // Served certificates (collector `cert`): --cert.target "PORT:KIND[:FILE]"; none -> well-known
  // tcp_ports.
  std::vector<std::string> cert_targets;
  int cert_probe_interval_seconds = 300;
  std::string cert_address = "127.0.0.1";
  std::string cert_source_address;
  std::string cert_ca_file;
  std::string
      dovecot_config;  // doveconf -c for diagnose and the cert collector; empty: doveconf's default

  // Log pipeline.
  std::vector<std::string> replay_files;  // --replay: read these, print, exit
  std::string state_dir;                  // checkpoint directory; empty: none
  bool log_from_beginning = false;
  int log_max_line_bytes = 64 * 1024;

  bool operator==(const Options&) const = default;
};

/// The default port: outside the Prometheus wiki's fully allocated
/// 9100-9999 exporter range; 9154 (postfix_exporter) + 1000.
inline constexpr const char* kDefaultListenAddress = ":10154";

}  // namespace mailpath::app
