#include "mailpath/tcp/listen_limits.h"

#include <algorithm>
#include <charconv>
#include <sstream>

#include "mailpath/common/text.h"

namespace mailpath::tcp {
namespace {

std::optional<std::uint16_t> Number(std::string_view s) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v == 0 || v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<DovecotService> ParseDoveconf(std::string_view text) {
  std::vector<DovecotService> out;
  std::vector<std::string> stack;  // section kinds: "service", "inet_listener", or "other"
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line[0] == '#') continue;
    if (line == "}") {
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    if (line.back() == '{') {
      const auto w = SplitWords(line.substr(0, line.size() - 1));
      const std::string kind = w.empty() ? "other" : std::string(w[0]);
      if (kind == "service" && w.size() == 2 && stack.empty()) {
        out.push_back({std::string(w[1]), {}, {}, {}, {}});
        stack.push_back("service");
      } else {
        stack.push_back(
            kind == "inet_listener" && stack.size() == 1 && stack[0] == "service" ? kind : "other");
      }
      continue;
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || stack.empty() || out.empty()) continue;
    const std::string_view key = Trim(line.substr(0, eq));
    const std::string value(Trim(line.substr(eq + 1)));
    DovecotService& svc = out.back();
    if (stack.size() == 2 && stack[1] == "inet_listener" && key == "port") {
      if (auto p = Number(value)) svc.ports.push_back(*p);
    } else if (stack.size() == 1 && stack[0] == "service") {
      if (key == "process_limit") svc.process_limit = value;
      if (key == "client_limit") svc.client_limit = value;
      if (key == "service_count" || key == "restart_request_count") svc.service_count = value;
    }
  }
  return out;
}

std::vector<MasterService> ParsePostconfM(std::string_view text) {
  std::vector<MasterService> out;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#') continue;
    const auto w = SplitWords(line);
    if (w.size() < 8) continue;
    out.push_back({std::string(w[0]), std::string(w[1]), std::string(w[6]), std::string(w[7])});
  }
  return out;
}

std::optional<std::uint16_t> ServicePort(
    std::string_view name,
    const std::function<std::optional<std::uint16_t>(std::string_view)>& by_name) {
  const std::size_t colon = name.rfind(':');
  const std::string_view port = colon == std::string_view::npos ? name : name.substr(colon + 1);
  if (auto n = Number(port)) return n;
  return port.empty() ? std::nullopt : by_name(port);
}

std::string NameListenLimit(
    std::uint16_t port, const ListenerStats& l, const std::vector<MasterService>& services,
    const std::function<std::optional<std::uint16_t>(std::string_view)>& by_name,
    std::optional<int> default_process_limit, const std::vector<DovecotService>& dovecot) {
  std::ostringstream out;
  out << "port " << port << ": accept queue " << l.queue << " of backlog " << l.backlog
      << ", full: every process that may accept on it is busy.\n";
  for (const MasterService& s : services) {
    if (s.type != "inet" || ServicePort(s.name, by_name) != port) continue;
    const bool by_default = s.maxproc == "-";
    out << "  Postfix master.cf service \"" << s.name << "\" (" << s.command << ") runs at most ";
    if (by_default) {
      out << (default_process_limit ? std::to_string(*default_process_limit)
                                    : std::string("default_process_limit"))
          << " processes (maxproc \"-\" = default_process_limit)";
    } else {
      out << s.maxproc << " process" << (s.maxproc == "1" ? "" : "es") << " (maxproc " << s.maxproc
          << ")";
    }
    if (s.maxproc == "1") {
      // master_avail.c skips the warning for maxproc 1 (postscreen's setting).
      out << ".\n  The master logs no \"has reached its process limit\" warning for a maxproc 1 "
             "service.\n";
    } else {
      out << "; the master logs \"service \\\"" << s.name
          << "\\\" ... has reached its process limit\"\n"
          << "  (postfix_master_process_limit_reached_total; never for a service bound to loopback "
             "only).\n";
    }
    out << "  Limit to raise: "
        << (by_default ? "default_process_limit (main.cf) or this service's maxproc"
                       : "maxproc of service " + s.name + "/inet")
        << ", e.g.\n"
        << "    postconf -F '" << s.name << "/inet/maxproc=<more>' && postfix reload\n"
        << "  (the listen backlog follows: max(maxproc, default_process_limit), capped by "
           "net.core.somaxconn).\n"
        << "  If the clients are idle or abusive rather than many, shorten smtpd_timeout or limit "
           "them\n"
        << "  (smtpd_client_connection_count_limit, postscreen) instead.\n";
    return out.str();
  }
  for (const DovecotService& d : dovecot) {
    if (std::find(d.ports.begin(), d.ports.end(), port) == d.ports.end()) continue;
    // Unset or 0 means the default_* setting (Dovecot's service defaults).
    const auto value = [](const std::string& v, const char* fallback) {
      return v.empty() || v == "0" ? std::string(fallback) : v;
    };
    out << "  Dovecot service " << d.name
        << " (an inet_listener on this port) runs at most process_limit="
        << value(d.process_limit, "default_process_limit") << " processes";
    out << ", each taking client_limit=" << value(d.client_limit, "default_client_limit")
        << " connections";
    if (!d.service_count.empty()) out << " (service_count=" << d.service_count << ")";
    out << ".\n";
    const bool one_per_process = d.service_count == "1";
    out << "  Limit to raise: "
        << (one_per_process ? "process_limit" : "process_limit or client_limit") << " of service "
        << d.name << ", e.g.\n"
        << "    service " << d.name << " { " << (one_per_process ? "process_limit" : "client_limit")
        << " = <more> }   then doveadm reload\n"
        << "  Dovecot logs \"service(" << d.name
        << "): ... reached, client connections are being dropped\"\n"
        << "  (dovecot_master_limit_reached_total) and \"Connection queue full\"\n"
        << "  (dovecot_login_failures_total{reason=\"connection_queue_full\"}).\n";
    return out.str();
  }
  const char* login = port == 143 || port == 993   ? "imap-login"
                      : port == 110 || port == 995 ? "pop3-login"
                                                   : nullptr;
  out << "  No Postfix inet service holds this port";
  if (login) {
    out << "; Dovecot serves it: raise service " << login
        << " { process_limit } (or client_limit in\n"
        << "  high-performance mode) and run doveadm reload; Dovecot logs \"" << login
        << ": ... process_limit (N) reached\" or \"Connection queue full\".\n";
  } else {
    out << " (postconf -M); raise the process limit of the daemon that listens on it.\n";
  }
  return out.str();
}

}  // namespace mailpath::tcp
