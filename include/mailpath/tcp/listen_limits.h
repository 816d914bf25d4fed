#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mailpath/tcp/port_aggregate.h"

namespace mailpath::tcp {

/// One master.cf entry as `postconf -M` prints it (postconf(1): name, type,
/// private, unpriv, chroot, wakeup, maxproc, command + args on one line).
struct MasterService {
  std::string name;     // "submission", "587", "127.0.0.1:587", "[::1]:587"
  std::string type;     // "inet", "unix", ...
  std::string maxproc;  // "1", "-" (default_process_limit), "0" (no limit)
  std::string command;  // "smtpd", "postscreen", ...
};

/// One Dovecot service as `doveconf` prints it: its inet_listener ports and
/// its limits (values as printed; empty when not printed).
struct DovecotService {
  std::string name;                  // "imap-login", "pop3-login", ...
  std::vector<std::uint16_t> ports;  // inet_listener ports (0 = disabled, left out)
  std::string process_limit, client_limit,
      service_count;  // 2.4: restart_request_count as service_count
};

/// Parses `doveconf` / `doveconf -a` output (nested "name {" ... "}" sections). Pure.
[[nodiscard]] std::vector<DovecotService> ParseDoveconf(std::string_view text);

/// Parses `postconf -M` output; lines starting with white space (folded
/// arguments) and malformed lines are skipped. Pure.
[[nodiscard]] std::vector<MasterService> ParsePostconfM(std::string_view text);

/// The TCP port of a master.cf inet service name: "587", "host:587",
/// "[::1]:587", or a service name resolved by `by_name` (/etc/services).
/// Pure apart from the callback.
[[nodiscard]] std::optional<std::uint16_t> ServicePort(
    std::string_view name,
    const std::function<std::optional<std::uint16_t>(std::string_view)>& by_name);

/// What limits a mail port whose accept queue is full, and how to raise it,
/// for the diagnose report. Postfix: the master.cf maxproc of the inet
/// service on that port (master_avail.c: no new process past it, so nobody
/// accepts; the listen backlog is max(maxproc, default_process_limit),
/// master_listen.c). Dovecot: the service whose inet_listener holds the port
/// (from `doveconf`), its process_limit / client_limit; without it, the login
/// service of 143/993 (imap) or 110/995 (pop3). Pure.
[[nodiscard]] std::string NameListenLimit(
    std::uint16_t port, const ListenerStats& listener, const std::vector<MasterService>& services,
    const std::function<std::optional<std::uint16_t>(std::string_view)>& by_name,
    std::optional<int> default_process_limit, const std::vector<DovecotService>& dovecot = {});

}  // namespace mailpath::tcp
