#pragma once

#include <string>
#include <vector>

#include "mailpath/tcp/listen_limits.h"
#include "mailpath/tcp/port_aggregate.h"
#include "mailpath/tcp/socket_sample.h"

namespace mailpath::tcp {

/// The on-call report of `mailpath_exporter diagnose`: per mail port and
/// direction, sockets by path class; each blackhole suspect with its peer,
/// MSS, PMTU, retransmits and ACK silence; and what to do about it. Pure.
[[nodiscard]] std::string FormatDiagnosis(const std::vector<SocketSample>& dump,
                                          const PortAggregator& ports,
                                          std::uint32_t link_mtu = 1500);

/// The listener part of the report: per configured local port, whether it
/// listens and its accept queue against its backlog; for every full queue,
/// the limit to raise (NameListenLimit). Sets `full` when a queue is full. Pure
/// apart from `by_name`.
[[nodiscard]] std::string FormatListeners(
    const DumpAggregate& agg, const std::vector<std::uint16_t>& local_ports,
    const std::vector<MasterService>& services,
    const std::function<std::optional<std::uint16_t>(std::string_view)>& by_name,
    std::optional<int> default_process_limit, bool& full,
    const std::vector<DovecotService>& dovecot = {});

/// Runs a dump and prints the report; returns the process exit code
/// (0: nothing wrong, 3: blackhole suspects or a full accept queue, 1: netlink
/// failed). Reads the Postfix services with `postconf -M` (MAIL_CONFIG is
/// honoured) and the Dovecot services with `doveconf -a` (`-c dovecot_config`
/// when given) to name the process limit behind a full queue.
int RunDiagnose(const std::vector<std::uint16_t>& local_ports,
                const std::vector<std::uint16_t>& remote_ports,
                const std::string& dovecot_config = "");

}  // namespace mailpath::tcp
