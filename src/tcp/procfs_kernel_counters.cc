#include <exception>

#include "mailpath/common/read_file.h"
#include "mailpath/tcp/kernel_counters.h"

namespace mailpath::tcp {

KernelCounterRead ProcfsKernelCounters::Read() {
  KernelCounterRead read;
  for (std::string_view file : kKernelCounterFiles) {
    const std::string path = procfs_ + "/net/" + std::string(file);
    try {
      const std::string text = ReadSmallFile(path);
      for (auto& [k, v] : file == "snmp6" ? ParseSnmp6(text) : ParseNetstatPairs(text))
        read.counters[k] = v;
    } catch (const std::exception& e) {
      read.failures.push_back({std::string(file), e.what()});
    }
  }
  return read;
}

}  // namespace mailpath::tcp
