#pragma once

#include <string>
#include <vector>

#include "mailpath/tcp/port_aggregate.h"
#include "mailpath/tcp/socket_sample.h"

namespace mailpath::tcp {

/// The on-call report of `mailpath_exporter diagnose`: per mail port and
/// direction, sockets by path class; each blackhole suspect with its peer,
/// MSS, PMTU, retransmits and ACK silence; and what to do about it. Pure.
[[nodiscard]] std::string FormatDiagnosis(const std::vector<SocketSample>& dump, const PortAggregator& ports,
                                          std::uint32_t link_mtu = 1500);

/// Runs a dump and prints the report; returns the process exit code
/// (0: no suspect, 3: suspects found, 1: netlink failed).
int RunDiagnose(const std::vector<std::uint16_t>& local_ports, const std::vector<std::uint16_t>& remote_ports);

}  // namespace mailpath::tcp
