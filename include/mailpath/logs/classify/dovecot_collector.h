#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "mailpath/logs/log_record.h"
#include "mailpath/metrics/collector.h"
#include "mailpath/metrics/labeled_counters.h"

namespace mailpath::logs::classify {

/// Counts Dovecot log events (collector `dovecot`): fed records by the log
/// pipeline through RecordConsumer, read by scrapes through Collector. Every
/// label value is from a fixed vocabulary; free text (users, addresses,
/// drivers, services) is mapped onto a known list or "other".
class DovecotCollector final : public RecordConsumer, public metrics::Collector {
 public:
  DovecotCollector();

  void Consume(const LogRecord& record) override;
  /// Classifies one message directly (what Consume does for Dovecot records).
  void ConsumeMessage(std::string_view message);
  void Collect(std::vector<prometheus::MetricFamily>& out) override;

 private:
  std::mutex mu_;  // guards every table below
  metrics::LabeledCounters lines_;
  metrics::LabeledCounters logins_;
  metrics::LabeledCounters login_failures_;
  metrics::LabeledCounters tls_failures_;
  metrics::LabeledCounters auth_results_;
  metrics::LabeledCounters master_limits_;
  metrics::LabeledCounters sessions_ended_;
  metrics::LabeledCounters received_bytes_;
  metrics::LabeledCounters sent_bytes_;
  metrics::LabeledCounters lmtp_deliveries_;
  metrics::LabeledCounters auth_failed_logins_;
  // LMTP/Sieve outcomes are counted once per (session and recipient, msgid): a
  // success at once, a failure only when no success followed before the
  // session ended (Sieve may fail on Junk and then keep the message in INBOX).
  std::set<std::string> delivered_;                 // keys already counted saved
  std::map<std::string, std::string> pending_failures_;  // key -> lmtp pid
  void FlushFailures(std::string_view pid);         // "" = all
  metrics::LabeledCounters unsupported_;
};

}  // namespace mailpath::logs::classify
