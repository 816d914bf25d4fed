#include "mailpath/tcp/listen_limits.h"

#include <charconv>
#include <sstream>

namespace mailpath::tcp {
namespace {

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<std::uint16_t> Number(std::string_view s) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v == 0 || v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

}  // namespace

std::vector<MasterService> ParsePostconfM(std::string_view text) {
  std::vector<MasterService> out;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#') continue;
    const auto w = Words(line);
    if (w.size() < 8) continue;
    out.push_back({std::string(w[0]), std::string(w[1]), std::string(w[6]), std::string(w[7])});
  }
  return out;
}

std::optional<std::uint16_t> ServicePort(
    std::string_view name, const std::function<std::optional<std::uint16_t>(std::string_view)>& by_name) {
  const std::size_t colon = name.rfind(':');
  const std::string_view port = colon == std::string_view::npos ? name : name.substr(colon + 1);
  if (auto n = Number(port)) return n;
  return port.empty() ? std::nullopt : by_name(port);
}

std::string NameListenLimit(std::uint16_t port, const ListenerStats& l, const std::vector<MasterService>& services,
                            const std::function<std::optional<std::uint16_t>(std::string_view)>& by_name,
                            std::optional<int> default_process_limit) {
  std::ostringstream out;
  out << "port " << port << ": accept queue " << l.queue << " of backlog " << l.backlog
      << ", full: every process that may accept on it is busy.\n";
  for (const MasterService& s : services) {
    if (s.type != "inet" || ServicePort(s.name, by_name) != port) continue;
    const bool by_default = s.maxproc == "-";
    out << "  Postfix master.cf service \"" << s.name << "\" (" << s.command << ") runs at most ";
    if (by_default) {
      out << (default_process_limit ? std::to_string(*default_process_limit) : std::string("default_process_limit"))
          << " processes (maxproc \"-\" = default_process_limit)";
    } else {
      out << s.maxproc << " process" << (s.maxproc == "1" ? "" : "es") << " (maxproc " << s.maxproc << ")";
    }
    if (s.maxproc == "1") {
      // master_avail.c skips the warning for maxproc 1 (postscreen's setting).
      out << ".\n  The master logs no \"has reached its process limit\" warning for a maxproc 1 service.\n";
    } else {
      out << "; the master logs \"service \\\"" << s.name << "\\\" ... has reached its process limit\"\n"
          << "  (postfix_master_process_limit_reached_total; never for a service bound to loopback only).\n";
    }
    out << "  Limit to raise: " << (by_default ? "default_process_limit (main.cf) or this service's maxproc"
                                               : "maxproc of service " + s.name + "/inet")
        << ", e.g.\n"
        << "    postconf -F '" << s.name << "/inet/maxproc=<more>' && postfix reload\n"
        << "  (the listen backlog follows: max(maxproc, default_process_limit), capped by net.core.somaxconn).\n"
        << "  If the clients are idle or abusive rather than many, shorten smtpd_timeout or limit them\n"
        << "  (smtpd_client_connection_count_limit, postscreen) instead.\n";
    return out.str();
  }
  const char* login = port == 143 || port == 993 ? "imap-login" : port == 110 || port == 995 ? "pop3-login" : nullptr;
  out << "  No Postfix inet service holds this port";
  if (login) {
    out << "; Dovecot serves it: raise service " << login << " { process_limit } (or client_limit in\n"
        << "  high-performance mode) and run doveadm reload; Dovecot logs \"" << login
        << ": ... process_limit (N) reached\" or \"Connection queue full\".\n";
  } else {
    out << " (postconf -M); raise the process limit of the daemon that listens on it.\n";
  }
  return out.str();
}

}  // namespace mailpath::tcp
