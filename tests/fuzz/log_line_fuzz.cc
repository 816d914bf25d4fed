// libFuzzer target: one log line through the envelope parser and the
// Postfix and Dovecot classifiers and collectors, as the pipeline does it.
// The fixture logs are seeds (each file is one input; lines split on '\n'),
// tests/fixtures/logs/hostile/ among them (invalid UTF-8, NUL, CR, a 64 KiB
// line). Attacker-controlled text must never grow the label sets past their
// caps, and the exposition must always be one Prometheus accepts: every
// scrape is checked with CheckTextFormat and a violation aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "mailpath/logs/classify/dovecot_collector.h"
#include "mailpath/logs/classify/dovecot_event.h"
#include "mailpath/logs/classify/postfix_collector.h"
#include "mailpath/logs/classify/postfix_event.h"
#include "mailpath/logs/envelope.h"
#include "mailpath/metrics/exposition.h"
#include "mailpath/metrics/text_format_check.h"

namespace {
mailpath::logs::classify::PostfixCollector& Postfix() {
  static mailpath::logs::classify::PostfixCollector c;
  return c;
}
mailpath::logs::classify::DovecotCollector& Dovecot() {
  static mailpath::logs::classify::DovecotCollector c;
  return c;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    mailpath::logs::LogRecord record;
    if (!mailpath::logs::ParseLogLine(line, 1'780'000'000'000'000, record)) continue;
    Postfix().Consume(record);
    Dovecot().Consume(record);
    (void)mailpath::logs::classify::ClassifyPostfix(record.daemon, record.message);
    (void)mailpath::logs::classify::ClassifyDovecot(record.message);
  }
  if (size % 16 == 0) {  // scrape now and then: exposition over whatever state the inputs built
    std::vector<prometheus::MetricFamily> out;
    Postfix().Collect(out);
    Dovecot().Collect(out);
    const std::string text = mailpath::metrics::SerializeText(out);
    if (const std::string err = mailpath::metrics::CheckTextFormat(text); !err.empty()) {
      std::fprintf(stderr, "exposition Prometheus would reject: %s\n", err.c_str());
      std::abort();
    }
  }
  return 0;
}
