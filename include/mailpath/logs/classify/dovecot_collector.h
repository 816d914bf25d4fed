#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
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
  // Hashes of (session and recipient, msgid) keys: Sieve successes already
  // counted (a ring: Sieve may store one message twice, fileinto plus keep),
  // and failures not yet final with their LMTP pid. No allocation per line.
  std::array<std::uint64_t, 256> sieve_saved_{};
  std::size_t sieve_saved_next_ = 0;
  std::vector<std::pair<std::uint64_t, std::string>> pending_failures_;
  void FlushFailures(std::string_view pid);  // "" = all
  metrics::LabeledCounters unsupported_;
};

}  // namespace mailpath::logs::classify
