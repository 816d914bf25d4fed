#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mailpath::tcp {

/// Parses /proc/net/netstat or /proc/net/snmp (pairs of "Prefix: names" /
/// "Prefix: values" lines) into "Prefix.Name" -> value. Pure.
[[nodiscard]] std::map<std::string, std::uint64_t> ParseNetstatPairs(std::string_view text);

/// Parses /proc/net/snmp6 ("Name   value" lines). Pure.
[[nodiscard]] std::map<std::string, std::uint64_t> ParseSnmp6(std::string_view text);

/// The files the kernel counters come from, under <procfs>/net/.
inline constexpr std::array<std::string_view, 3> kKernelCounterFiles{"netstat", "snmp", "snmp6"};

/// A counter file that could not be read.
struct KernelCounterFailure {
  std::string file;   // one of kKernelCounterFiles
  std::string error;  // what the read said (path and errno text)
};

/// One read of the kernel's counters: "TcpExt.TCPMTUPFail", "Tcp.RetransSegs",
/// "Icmp6InPktTooBigs", ... from every file that could be read, and the files
/// that could not.
struct KernelCounterRead {
  std::map<std::string, std::uint64_t> counters;
  std::vector<KernelCounterFailure> failures;
};

/// Where the tcp collector's host-wide counters come from (injectable, so the
/// collector is tested on fixture values and on failing reads).
class KernelCounterSource {
 public:
  virtual ~KernelCounterSource() = default;
  /// Reads every file it can; never throws for a missing or unreadable one.
  [[nodiscard]] virtual KernelCounterRead Read() = 0;
};

/// Reads <procfs>/net/{netstat,snmp,snmp6} of this network namespace.
class ProcfsKernelCounters final : public KernelCounterSource {
 public:
  explicit ProcfsKernelCounters(std::string procfs) : procfs_(std::move(procfs)) {}
  [[nodiscard]] KernelCounterRead Read() override;

 private:
  std::string procfs_;
};

}  // namespace mailpath::tcp
