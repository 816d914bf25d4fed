#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace mailpath::tcp {

/// Parses /proc/net/netstat or /proc/net/snmp (pairs of "Prefix: names" /
/// "Prefix: values" lines) into "Prefix.Name" -> value. Pure.
[[nodiscard]] std::map<std::string, std::uint64_t> ParseNetstatPairs(std::string_view text);

/// Parses /proc/net/snmp6 ("Name   value" lines). Pure.
[[nodiscard]] std::map<std::string, std::uint64_t> ParseSnmp6(std::string_view text);

}  // namespace mailpath::tcp
