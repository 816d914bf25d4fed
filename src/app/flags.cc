#include "mailpath/app/flags.h"

#include <sstream>

#include "mailpath/app/option_table.h"

namespace mailpath::app {
namespace {

const CollectorInfo* FindCollector(const std::vector<CollectorInfo>& collectors,
                                   const std::string& name) {
  for (const auto& c : collectors) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Error Usage(std::string text) { return Error{std::move(text)}; }

}  // namespace

std::string FindConfigFileFlag(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config.file" && i + 1 < args.size()) return args[i + 1];
    if (args[i].starts_with("--config.file=")) return args[i].substr(14);
  }
  return "";
}

Result<FlagAction> ParseFlags(const std::vector<std::string>& args,
                              const std::vector<CollectorInfo>& collectors, Options& options) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") return FlagAction::kHelp;
    if (arg == "--version") return FlagAction::kVersion;
    if (!arg.starts_with("--")) return Usage("unexpected argument '" + arg + "'");

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
        return Usage("unknown collector '" + cname + "' in flag '" + arg + "'");
      }
      bool on = !negated;
      if (value) {
        const auto v = ParseBoolText(*value);
        if (!v) return Usage("invalid value for flag '--" + name + "': " + v.message());
        on = negated ? !*v : *v;
      }
      options.collector_switches[cname] = on;
      continue;
    }

    const OptionSpec* spec = FindOption(base);
    if (spec == nullptr || (negated && spec->kind != OptionKind::kBool)) {
      return Usage("unknown long flag '--" + name + "'");
    }
    std::string v;
    if (spec->kind == OptionKind::kBool) {
      if (value) {
        const auto b = ParseBoolText(*value);
        if (!b) return Usage("invalid value for flag '--" + name + "': " + b.message());
        v = (*b != negated) ? "true" : "false";
      } else {
        v = negated ? "false" : "true";
      }
    } else if (value) {
      v = *value;
    } else if (i + 1 < args.size()) {
      v = args[++i];
    } else {
      return Usage("expected argument for flag '--" + name + "'");
    }
    if (const Status applied = spec->apply(options, v); !applied) {
      return Usage("invalid value for flag '--" + name + "': " + applied.message());
    }
  }
  return FlagAction::kRun;
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
         "       mailpath_exporter diagnose [--tcp.ports=...]   TCP path report (PMTUD blackholes) "
         "and advice;\n"
         "                                                      exit 3 when suspects are found\n\n"
         "Prometheus exporter for Postfix and Dovecot mail hosts: queues, rate limits,\n"
         "throttling, TLS losses and TCP path health.\n\nFlags:\n"
         "  -h, --help                 Show this help and exit.\n"
         "      --version              Show the version and exit.\n";
  for (const auto& spec : OptionTable()) {
    std::string left = "--";
    if (spec.kind == OptionKind::kBool) left += "[no-]";
    left += spec.flag;
    if (spec.kind != OptionKind::kBool) left += "=" + std::string(spec.placeholder);
    out << "      " << left;
    if (left.size() < 21)
      out << std::string(21 - left.size(), ' ');
    else
      out << "\n" << std::string(27, ' ');
    out << spec.help;
    if (!spec.field.empty()) out << " [config: " << spec.field << "]";
    out << "\n";
  }
  out << "\nCollectors (--[no-]collector.<name>) [config: collectors.<name>, true or false]:\n";
  for (const auto& c : collectors) {
    std::string left = "--[no-]collector." + c.name;
    out << "      " << left;
    if (left.size() < 21)
      out << std::string(21 - left.size(), ' ');
    else
      out << "\n" << std::string(27, ' ');
    out << c.help << (c.default_enabled ? " Default on." : " Default off.") << "\n";
  }
  return out.str();
}

}  // namespace mailpath::app
