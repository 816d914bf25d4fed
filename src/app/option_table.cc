#include "mailpath/app/option_table.h"

#include <charconv>
#include <limits>

#include "mailpath/certs/probe_dialogue.h"

namespace mailpath::app {
namespace {

using K = OptionKind;

Status SetString(std::string& field, const std::string& v) {
  field = v;
  return {};
}

Status Append(std::vector<std::string>& field, const std::string& v) {
  field.push_back(v);
  return {};
}

Status ParseIntInRange(const std::string& v, int low, int high, int& out) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec != std::errc() || ptr != v.data() + v.size() || value < low || value > high) {
    return Error{low == 1 ? "expected a positive integer, got '" + v + "'"
                          : "expected an integer from " + std::to_string(low) + " to " +
                                std::to_string(high) + ", got '" + v + "'"};
  }
  out = value;
  return {};
}

template <typename T>
Status Set(T& field, Result<T> parsed) {
  if (!parsed) return parsed.error();
  field = std::move(*parsed);
  return {};
}

Status ParsePositiveInt(const std::string& v, int& out) {
  return ParseIntInRange(v, 1, std::numeric_limits<int>::max(), out);
}

Status ParsePortList(const std::string& v, std::vector<std::uint16_t>& out) {
  std::vector<std::uint16_t> ports;
  std::size_t start = 0;
  while (start <= v.size()) {
    const std::size_t comma = v.find(',', start);
    const std::string item =
        v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    int p = 0;
    auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), p);
    if (item.empty() || ec != std::errc() || ptr != item.data() + item.size() || p < 1 ||
        p > 65535) {
      return Error{"expected a comma-separated list of ports, got '" + v + "'"};
    }
    ports.push_back(static_cast<std::uint16_t>(p));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (ports.size() > 32) return Error{"at most 32 ports"};
  out = std::move(ports);
  return {};
}

}  // namespace

Result<bool> ParseBoolText(const std::string& v) {
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  return Error{"expected true or false, got '" + v + "'"};
}

namespace {

Status SetBool(bool& field, const std::string& v) {
  auto parsed = ParseBoolText(v);
  if (!parsed) return parsed.error();
  field = *parsed;
  return {};
}

}  // namespace

// To add an option: a field in Options (options.h), one row here, one row in
// docs/configuration.md's table and one in README.md's flag table (the docs
// check fails until both are there). Flags, the JSON config and --help follow.
const std::vector<OptionSpec>& OptionTable() {
  static const std::vector<OptionSpec> table = {
      {"web.listen-address", "web.listen_addresses", "", K::kRepeated, "ADDRESS", "127.0.0.1:9999",
       "Address to listen on for the web interface and telemetry; repeatable "
       "(\":PORT\", \"HOST:PORT\", \"[V6]:PORT\"). Default \":10154\".",
       [](Options& o, const std::string& v) { return Append(o.listen_addresses, v); }},
      {"web.telemetry-path", "web.telemetry_path", "", K::kString, "PATH", "/m",
       "Path under which to expose metrics. Default \"/metrics\".",
       [](Options& o, const std::string& v) {
         if (v.empty() || v[0] != '/') return Status(Error{"must start with '/', got '" + v + "'"});
         o.telemetry_path = v;
         return Status();
       }},
      {"web.config.file", "web.config_file", "", K::kString, "FILE",
       "/etc/mailpath_exporter/web.yml",
       "Path to an exporter-toolkit web configuration file (TLS, basic auth, headers, rate limit).",
       [](Options& o, const std::string& v) { return SetString(o.web_config_file, v); }},
      {"web.max-requests", "web.max_requests", "", K::kInt, "N", "8",
       "Maximum number of requests served at once (HTTP worker threads). Default 40.",
       [](Options& o, const std::string& v) { return ParsePositiveInt(v, o.web_max_requests); }},
      {"log.level", "log.level", "", K::kString, "LEVEL", "debug",
       "Only log messages with the given severity or above: debug, info, warn, error. Default "
       "info.",
       [](Options& o, const std::string& v) { return Set(o.log_level, ParseLogLevel(v)); }},
      {"log.format", "log.format", "", K::kString, "FORMAT", "json",
       "Output format of log messages: logfmt or json. Default logfmt.",
       [](Options& o, const std::string& v) { return Set(o.log_format, ParseLogFormat(v)); }},
      {"collector.disable-defaults", "collectors.disable_defaults", "", K::kBool, "", "true",
       "Disable all collectors that are on by default; enable some with --collector.<name>.",
       [](Options& o, const std::string& v) { return SetBool(o.disable_defaults, v); }},
      // Command line only: the file cannot name another file.
      {"config.file", "", "", K::kString, "FILE", "/etc/mailpath_exporter/config.json",
       "JSON configuration file; every flag but this one can be set in it (see "
       "docs/configuration.md).",
       [](Options& o, const std::string& v) { return SetString(o.config_file, v); }},
      {"once", "run.once", "", K::kBool, "", "true",
       "Run every enabled collector once, print the exposition to stdout and exit.",
       [](Options& o, const std::string& v) { return SetBool(o.once, v); }},
      {"path.procfs", "path.procfs", "", K::kString, "PATH", "/host/proc",
       "procfs mountpoint, read by the process collector and the tcp collector (kernel counters). "
       "Default /proc.",
       [](Options& o, const std::string& v) { return SetString(o.procfs, v); }},
      {"postfix.showq_path", "postfix.showq_path", "", K::kString, "PATH",
       "/var/spool/postfix-out/public/showq",
       "Path (or host:port) of Postfix's showq service. Default "
       "/var/spool/postfix/public/showq.",
       [](Options& o, const std::string& v) { return SetString(o.showq_path, v); }},
      {"showq.deferred-domains-cap", "showq.deferred_domains_cap", "", K::kInt, "N", "50",
       "Report deferred recipients per destination domain for at most N domains "
       "(the rest summed as domain=\"other\"). Default 0 = off.",
       [](Options& o, const std::string& v) {
         return ParseIntInRange(v, 0, 10000, o.showq_deferred_domains_cap);
       }},
      {"postfix.logfile_path", "postfix.logfile_paths", "log.files", K::kRepeated, "FILE",
       "/var/log/mail.log", "Log file to follow (\"-\" for standard input); repeatable.",
       [](Options& o, const std::string& v) { return Append(o.log_files, v); }},
      {"systemd.enable", "systemd.enable", "", K::kBool, "", "true",
       "Read log lines from the systemd journal.",
       [](Options& o, const std::string& v) { return SetBool(o.systemd_enable, v); }},
      {"systemd.unit", "systemd.unit", "", K::kRepeated, "UNIT", "postfix@-.service",
       "Only read journal entries of this systemd unit; repeatable (units and slices are ORed, "
       "e.g. postfix@-.service and dovecot.service).",
       [](Options& o, const std::string& v) { return Append(o.systemd_units, v); }},
      {"systemd.slice", "systemd.slice", "", K::kRepeated, "SLICE", "system-postfix.slice",
       "Only read journal entries of this systemd slice; repeatable.",
       [](Options& o, const std::string& v) { return Append(o.systemd_slices, v); }},
      {"systemd.journal_path", "systemd.journal_path", "", K::kString, "PATH",
       "/var/log/journal/remote", "Read the journal from this directory instead of the system's.",
       [](Options& o, const std::string& v) { return SetString(o.systemd_journal_path, v); }},
      {"postfix.sasl-users-cap", "postfix.sasl_users_cap", "", K::kInt, "N", "50",
       "Most SASL usernames with their own series in postfix_sasl_user_*; the rest is \"other\". "
       "Default 20.",
       [](Options& o, const std::string& v) {
         return ParsePositiveInt(v, o.postfix_sasl_users_cap);
       }},
      {"postfix.client-networks-cap", "postfix.client_networks_cap", "", K::kInt, "N", "50",
       "Most client networks (/24, /64) in postfix_client_network_limit_hits_total. Default 20.",
       [](Options& o, const std::string& v) {
         return ParsePositiveInt(v, o.postfix_client_networks_cap);
       }},
      {"postfix.destination-domains-cap", "postfix.destination_domains_cap", "", K::kInt, "N", "50",
       "Most recipient domains in postfix_remote_throttling_by_domain_total. Default 20.",
       [](Options& o, const std::string& v) {
         return ParsePositiveInt(v, o.postfix_destination_domains_cap);
       }},
      {"tcp.ports", "tcp.ports", "", K::kPorts, "PORTS", "25,587",
       "Local mail ports whose sockets the tcp collector reads (inbound). Default "
       "25,465,587,143,993,110,995.",
       [](Options& o, const std::string& v) { return ParsePortList(v, o.tcp_ports); }},
      {"tcp.remote-ports", "tcp.remote_ports", "", K::kPorts, "PORTS", "25",
       "Remote ports of outbound delivery sockets the tcp collector reads. Default 25,465,587.",
       [](Options& o, const std::string& v) { return ParsePortList(v, o.tcp_remote_ports); }},
      {"cert.target", "cert.targets", "", K::kRepeated, "PORT:KIND[:FILE]", "465:smtps",
       "A port the cert collector probes: KIND smtp (STARTTLS), smtps, imap (STARTTLS), imaps, "
       "pop3 (STLS) or "
       "pop3s; FILE the certificate the daemon is configured with (else asked from "
       "postconf/doveconf). "
       "Repeatable. Default: the TLS-capable well-known ports of --tcp.ports.",
       [](Options& o, const std::string& v) {
         if (auto target = certs::ParseTarget(v); !target) return Status(target.error());
         return Append(o.cert_targets, v);
       }},
      {"cert.probe-interval-seconds", "cert.probe_interval_seconds", "", K::kInt, "N", "600",
       "Seconds between two loopback TLS probes of each port (never per scrape). Default 300.",
       [](Options& o, const std::string& v) {
         return ParsePositiveInt(v, o.cert_probe_interval_seconds);
       }},
      {"cert.address", "cert.address", "", K::kString, "ADDR", "192.0.2.1",
       "Address the cert collector connects to. Default 127.0.0.1.",
       [](Options& o, const std::string& v) { return SetString(o.cert_address, v); }},
      {"cert.source-address", "cert.source_address", "", K::kString, "ADDR", "192.0.2.53",
       "Local address the cert probes connect from; with the cert collector on, the postfix and "
       "dovecot collectors "
       "leave out the lines of sessions from it. Default 127.0.0.153 when --cert.address is in "
       "127/8, else none.",
       [](Options& o, const std::string& v) { return SetString(o.cert_source_address, v); }},
      {"cert.ca-file", "cert.ca_file", "", K::kString, "FILE", "/etc/ssl/mail-ca.pem",
       "Verify served chains against this CA file instead of the system trust store.",
       [](Options& o, const std::string& v) { return SetString(o.cert_ca_file, v); }},
      {"dovecot.config", "dovecot.config", "", K::kString, "FILE", "/etc/dovecot/dovecot.conf",
       "Dovecot's configuration file, read with doveconf -c by diagnose (limits per port) and the "
       "cert collector "
       "(certificate file). Default: doveconf's own.",
       [](Options& o, const std::string& v) { return SetString(o.dovecot_config, v); }},
      {"replay", "run.replay", "", K::kRepeated, "FILE", "/var/log/mail.log.1",
       "Read FILE from start to end through the log pipeline, print the exposition and exit; "
       "repeatable.",
       [](Options& o, const std::string& v) { return Append(o.replay_files, v); }},
      {"state.dir", "log.state_dir", "", K::kString, "DIR", "/var/lib/mailpath_exporter",
       "Directory for the log checkpoint (file positions, journal cursor), so restarts neither "
       "skip nor "
       "re-read lines. Empty: no checkpoint.",
       [](Options& o, const std::string& v) { return SetString(o.state_dir, v); }},
      {"log.from-beginning", "log.from_beginning", "", K::kBool, "", "true",
       "With no checkpoint, read log files and the journal from their beginning instead of their "
       "end.",
       [](Options& o, const std::string& v) { return SetBool(o.log_from_beginning, v); }},
      {"log.max-line-bytes", "log.max_line_bytes", "", K::kInt, "N", "16384",
       "Longer log lines are counted as oversized and skipped. Default 65536.",
       [](Options& o, const std::string& v) { return ParsePositiveInt(v, o.log_max_line_bytes); }},
  };
  return table;
}

const OptionSpec* FindOption(std::string_view flag) {
  for (const auto& spec : OptionTable()) {
    if (spec.flag == flag) return &spec;
  }
  return nullptr;
}

}  // namespace mailpath::app
