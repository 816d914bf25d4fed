// Fuzzes the JSON config and web config parsers: any bytes give an error
// string or options, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mailpath/app/config_file.h"
#include "mailpath/app/web_config.h"
#include "mailpath/common/go_duration.h"
#include "mailpath/process/proc_stat.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mailpath::app::Options options;
  (void)mailpath::app::ApplyConfigJson(text, "fuzz.json", options);
  mailpath::app::WebConfig wc;
  (void)mailpath::app::ParseWebConfig(text, "fuzz.yml", wc);
  (void)mailpath::ParseGoDuration(text);
  (void)mailpath::process::ParseProcStat(text);
  (void)mailpath::process::ParseMaxOpenFiles(text);
  return 0;
}
