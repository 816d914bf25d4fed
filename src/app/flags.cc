#include "mailpath/app/flags.h"

#include <charconv>
#include <functional>
#include <sstream>

#include "mailpath/certs/probe_dialogue.h"

namespace mailpath::app {
namespace {

enum class Kind { kString, kRepeated, kBool, kInt };

struct FlagSpec {
  std::string name;
  Kind kind;
  std::string placeholder;
  std::string help;
  // Applies a value; returns an error text or "" on success. Bool flags get
  // "true" or "false".
  std::function<std::string(Options&, const std::string&)> apply;
};

std::string SetString(std::string& field, const std::string& v) {
  field = v;
  return "";
}

std::string ParseBool(const std::string& v, bool& out) {
  if (v == "true" || v == "1") out = true;
  else if (v == "false" || v == "0") out = false;
  else return "expected true or false, got '" + v + "'";
  return "";
}

std::string ParsePositiveInt(const std::string& v, int& out) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec != std::errc() || ptr != v.data() + v.size() || value <= 0) {
    return "expected a positive integer, got '" + v + "'";
  }
  out = value;
  return "";
}

std::string ParsePortList(const std::string& v, std::vector<std::uint16_t>& out) {
  std::vector<std::uint16_t> ports;
  std::size_t start = 0;
  while (start <= v.size()) {
    const std::size_t comma = v.find(',', start);
    const std::string item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    int p = 0;
    auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), p);
    if (item.empty() || ec != std::errc() || ptr != item.data() + item.size() || p < 1 || p > 65535) {
      return "expected a comma-separated list of ports, got '" + v + "'";
    }
    ports.push_back(static_cast<std::uint16_t>(p));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (ports.size() > 32) return "at most 32 ports";
  out = std::move(ports);
  return "";
}

const std::vector<FlagSpec>& FlagTable() {
  static const std::vector<FlagSpec> table = {
      {"web.listen-address", Kind::kRepeated, "ADDRESS",
       "Address to listen on for the web interface and telemetry; repeatable "
       "(\":PORT\", \"HOST:PORT\", \"[V6]:PORT\"). Default \":10154\".",
       [](Options& o, const std::string& v) {
         o.listen_addresses.push_back(v);
         return std::string();
       }},
      {"web.telemetry-path", Kind::kString, "PATH",
       "Path under which to expose metrics. Default \"/metrics\".",
       [](Options& o, const std::string& v) {
         if (v.empty() || v[0] != '/') return "must start with '/', got '" + v + "'";
         o.telemetry_path = v;
         return std::string();
       }},
      {"web.config.file", Kind::kString, "FILE",
       "Path to an exporter-toolkit web configuration file (TLS, basic auth, headers, rate limit).",
       [](Options& o, const std::string& v) { return SetString(o.web_config_file, v); }},
      {"web.max-requests", Kind::kInt, "N",
       "Maximum number of requests served at once (HTTP worker threads). Default 40.",
       [](Options& o, const std::string& v) { return ParsePositiveInt(v, o.web_max_requests); }},
      {"log.level", Kind::kString, "LEVEL",
       "Only log messages with the given severity or above: debug, info, warn, error. Default info.",
       [](Options& o, const std::string& v) {
         return ParseLogLevel(v, o.log_level)
                    ? std::string()
                    : "expected one of debug, info, warn, error, got '" + v + "'";
       }},
      {"log.format", Kind::kString, "FORMAT",
       "Output format of log messages: logfmt or json. Default logfmt.",
       [](Options& o, const std::string& v) {
         return ParseLogFormat(v, o.log_format)
                    ? std::string()
                    : "expected logfmt or json, got '" + v + "'";
       }},
      {"collector.disable-defaults", Kind::kBool, "",
       "Disable all collectors that are on by default; enable some with --collector.<name>.",
       [](Options& o, const std::string& v) { return ParseBool(v, o.disable_defaults); }},
      {"config.file", Kind::kString, "FILE",
       "JSON configuration file for settings too rich for flags (see docs/configuration.md).",
       [](Options& o, const std::string& v) { return SetString(o.config_file, v); }},
      {"once", Kind::kBool, "",
       "Run every enabled collector once, print the exposition to stdout and exit.",
       [](Options& o, const std::string& v) { return ParseBool(v, o.once); }},
      {"path.procfs", Kind::kString, "PATH",
       "procfs mountpoint, read by the process collector. Default /proc.",
       [](Options& o, const std::string& v) { return SetString(o.procfs, v); }},
      {"postfix.showq_path", Kind::kString, "PATH",
       "Path (or host:port) of Postfix's showq service. Default "
       "/var/spool/postfix/public/showq.",
       [](Options& o, const std::string& v) { return SetString(o.showq_path, v); }},
      {"showq.deferred-domains-cap", Kind::kInt, "N",
       "Report deferred recipients per destination domain for at most N domains "
       "(the rest summed as domain=\"other\"). Default 0 = off.",
       [](Options& o, const std::string& v) {
         int value = 0;
         auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
         if (ec != std::errc() || ptr != v.data() + v.size() || value < 0 || value > 10000) {
           return "expected an integer from 0 to 10000, got '" + v + "'";
         }
         o.showq_deferred_domains_cap = value;
         return std::string();
       }},
      {"postfix.logfile_path", Kind::kRepeated, "FILE",
       "Log file to follow (\"-\" for standard input); repeatable.",
       [](Options& o, const std::string& v) {
         o.log_files.push_back(v);
         return std::string();
       }},
      {"systemd.enable", Kind::kBool, "",
       "Read log lines from the systemd journal.",
       [](Options& o, const std::string& v) { return ParseBool(v, o.systemd_enable); }},
      {"systemd.unit", Kind::kRepeated, "UNIT",
       "Only read journal entries of this systemd unit; repeatable (units and slices are ORed, "
       "e.g. postfix@-.service and dovecot.service).",
       [](Options& o, const std::string& v) {
         o.systemd_units.push_back(v);
         return std::string();
       }},
      {"systemd.slice", Kind::kRepeated, "SLICE",
       "Only read journal entries of this systemd slice; repeatable.",
       [](Options& o, const std::string& v) {
         o.systemd_slices.push_back(v);
         return std::string();
       }},
      {"systemd.journal_path", Kind::kString, "PATH",
       "Read the journal from this directory instead of the system's.",
       [](Options& o, const std::string& v) { return SetString(o.systemd_journal_path, v); }},
      {"postfix.sasl-users-cap", Kind::kInt, "N",
       "Most SASL usernames with their own series in postfix_sasl_user_*; the rest is \"other\". Default 20.",
       [](Options& o, const std::string& v) { return ParsePositiveInt(v, o.postfix_sasl_users_cap); }},
      {"postfix.client-networks-cap", Kind::kInt, "N",
       "Most client networks (/24, /64) in postfix_client_network_limit_hits_total. Default 20.",
       [](Options& o, const std::string& v) { return ParsePositiveInt(v, o.postfix_client_networks_cap); }},
      {"postfix.destination-domains-cap", Kind::kInt, "N",
       "Most recipient domains in postfix_remote_throttling_by_domain_total. Default 20.",
       [](Options& o, const std::string& v) { return ParsePositiveInt(v, o.postfix_destination_domains_cap); }},
      {"tcp.ports", Kind::kString, "PORTS",
       "Local mail ports whose sockets the tcp collector reads (inbound). Default 25,465,587,143,993,110,995.",
       [](Options& o, const std::string& v) { return ParsePortList(v, o.tcp_ports); }},
      {"tcp.remote-ports", Kind::kString, "PORTS",
       "Remote ports of outbound delivery sockets the tcp collector reads. Default 25,465,587.",
       [](Options& o, const std::string& v) { return ParsePortList(v, o.tcp_remote_ports); }},
      {"cert.target", Kind::kRepeated, "PORT:KIND[:FILE]",
       "A port the cert collector probes: KIND smtp (STARTTLS), smtps, imap (STARTTLS), imaps, pop3 (STLS) or "
       "pop3s; FILE the certificate the daemon is configured with (else asked from postconf/doveconf). "
       "Repeatable. Default: the TLS-capable well-known ports of --tcp.ports.",
       [](Options& o, const std::string& v) {
         std::string error;
         if (!certs::ParseTarget(v, error)) return error;
         o.cert_targets.push_back(v);
         return std::string();
       }},
      {"cert.probe-interval-seconds", Kind::kInt, "N",
       "Seconds between two loopback TLS probes of each port (never per scrape). Default 300.",
       [](Options& o, const std::string& v) { return ParsePositiveInt(v, o.cert_probe_interval_seconds); }},
      {"cert.address", Kind::kString, "ADDR",
       "Address the cert collector connects to. Default 127.0.0.1.",
       [](Options& o, const std::string& v) { return SetString(o.cert_address, v); }},
      {"cert.source-address", Kind::kString, "ADDR",
       "Local address the cert probes connect from; with the cert collector on, the postfix and dovecot collectors "
       "leave out the lines of sessions from it. Default 127.0.0.153 when --cert.address is in 127/8, else none.",
       [](Options& o, const std::string& v) { return SetString(o.cert_source_address, v); }},
      {"cert.ca-file", Kind::kString, "FILE",
       "Verify served chains against this CA file instead of the system trust store.",
       [](Options& o, const std::string& v) { return SetString(o.cert_ca_file, v); }},
      {"dovecot.config", Kind::kString, "FILE",
       "Dovecot's configuration file, read with doveconf -c by diagnose (limits per port) and the cert collector "
       "(certificate file). Default: doveconf's own.",
       [](Options& o, const std::string& v) { return SetString(o.dovecot_config, v); }},
      {"replay", Kind::kRepeated, "FILE",
       "Read FILE from start to end through the log pipeline, print the exposition and exit; repeatable.",
       [](Options& o, const std::string& v) {
         o.replay_files.push_back(v);
         return std::string();
       }},
      {"state.dir", Kind::kString, "DIR",
       "Directory for the log checkpoint (file positions, journal cursor), so restarts neither skip nor "
       "re-read lines. Empty: no checkpoint.",
       [](Options& o, const std::string& v) { return SetString(o.state_dir, v); }},
      {"log.from-beginning", Kind::kBool, "",
       "With no checkpoint, read log files and the journal from their beginning instead of their end.",
       [](Options& o, const std::string& v) { return ParseBool(v, o.log_from_beginning); }},
      {"log.max-line-bytes", Kind::kInt, "N",
       "Longer log lines are counted as oversized and skipped. Default 65536.",
       [](Options& o, const std::string& v) { return ParsePositiveInt(v, o.log_max_line_bytes); }},
  };
  return table;
}

const FlagSpec* FindFlag(const std::string& name) {
  for (const auto& spec : FlagTable()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const CollectorInfo* FindCollector(const std::vector<CollectorInfo>& collectors,
                                   const std::string& name) {
  for (const auto& c : collectors) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

FlagResult Error(std::string text) {
  return {FlagResult::Action::kError, std::move(text)};
}

}  // namespace

std::string FindConfigFileFlag(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config.file" && i + 1 < args.size()) return args[i + 1];
    if (args[i].starts_with("--config.file=")) return args[i].substr(14);
  }
  return "";
}

FlagResult ParseFlags(const std::vector<std::string>& args,
                      const std::vector<CollectorInfo>& collectors, Options& options) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") return {FlagResult::Action::kHelp, ""};
    if (arg == "--version") return {FlagResult::Action::kVersion, ""};
    if (!arg.starts_with("--")) return Error("unexpected argument '" + arg + "'");

    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const std::size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }

    // Collector switches: --collector.<name>[=bool] and --no-collector.<name>.
    bool negated = false;
    std::string base = name;
    if (base.starts_with("no-")) {
      negated = true;
      base = base.substr(3);
    }
    if (base.starts_with("collector.") && base != "collector.disable-defaults") {
      const std::string cname = base.substr(10);
      if (!FindCollector(collectors, cname)) {
        return Error("unknown collector '" + cname + "' in flag '" + arg + "'");
      }
      bool on = !negated;
      if (value) {
        bool v = false;
        if (std::string err = ParseBool(*value, v); !err.empty()) {
          return Error("invalid value for flag '--" + name + "': " + err);
        }
        on = negated ? !v : v;
      }
      options.collector_switches[cname] = on;
      continue;
    }

    const FlagSpec* spec = FindFlag(base);
    if (spec == nullptr || (negated && spec->kind != Kind::kBool)) {
      return Error("unknown long flag '--" + name + "'");
    }
    std::string v;
    if (spec->kind == Kind::kBool) {
      if (value) {
        bool b = false;
        if (std::string err = ParseBool(*value, b); !err.empty()) {
          return Error("invalid value for flag '--" + name + "': " + err);
        }
        v = (b != negated) ? "true" : "false";
      } else {
        v = negated ? "false" : "true";
      }
    } else if (value) {
      v = *value;
    } else if (i + 1 < args.size()) {
      v = args[++i];
    } else {
      return Error("expected argument for flag '--" + name + "'");
    }
    if (std::string err = spec->apply(options, v); !err.empty()) {
      return Error("invalid value for flag '--" + name + "': " + err);
    }
  }
  return {};
}

bool CollectorEnabled(const Options& options, const CollectorInfo& info) {
  if (auto it = options.collector_switches.find(info.name);
      it != options.collector_switches.end()) {
    return it->second;
  }
  return info.default_enabled && !options.disable_defaults;
}

std::string UsageText(const std::vector<CollectorInfo>& collectors) {
  std::ostringstream out;
  out << "usage: mailpath_exporter [<flags>]\n"
         "       mailpath_exporter diagnose [--tcp.ports=...]   TCP path report (PMTUD blackholes) and advice;\n"
         "                                                      exit 3 when suspects are found\n\n"
         "Prometheus exporter for Postfix and Dovecot mail hosts: queues, rate limits,\n"
         "throttling, TLS losses and TCP path health.\n\nFlags:\n"
         "  -h, --help                 Show this help and exit.\n"
         "      --version              Show the version and exit.\n";
  for (const auto& spec : FlagTable()) {
    std::string left = "--" + spec.name;
    if (spec.kind == Kind::kBool) left = "--[no-]" + spec.name;
    else left += "=" + spec.placeholder;
    out << "      " << left;
    if (left.size() < 21) out << std::string(21 - left.size(), ' ');
    else out << "\n" << std::string(27, ' ');
    out << spec.help << "\n";
  }
  out << "\nCollectors (--[no-]collector.<name>):\n";
  for (const auto& c : collectors) {
    std::string left = "--[no-]collector." + c.name;
    out << "      " << left;
    if (left.size() < 21) out << std::string(21 - left.size(), ' ');
    else out << "\n" << std::string(27, ' ');
    out << c.help << (c.default_enabled ? " Default on." : " Default off.") << "\n";
  }
  return out.str();
}

}  // namespace mailpath::app
