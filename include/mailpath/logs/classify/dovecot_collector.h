#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "mailpath/common/path_attribution.h"
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
  /// Where TLS handshake losses go to be joined with the client's path class
  /// (the tcp collector's PeerPaths); none when the tcp collector is off.
  void SetPathAttribution(std::shared_ptr<PathAttribution> a) { attribution_ = std::move(a); }

 private:
  std::shared_ptr<PathAttribution> attribution_;
  std::mutex mu_;  // guards every table below
  // Each family registers itself where it is declared (members are built in
  // declaration order), so Collect keeps no second list of families.
  struct Reg {
    Reg(std::vector<const metrics::LabeledCounters*>& v, const metrics::LabeledCounters& c) {
      v.push_back(&c);
    }
  };
  std::vector<const metrics::LabeledCounters*> families_;
  metrics::LabeledCounters lines_;
  Reg lines_reg_{families_, lines_};
  metrics::LabeledCounters logins_;
  Reg logins_reg_{families_, logins_};
  metrics::LabeledCounters login_failures_;
  Reg login_failures_reg_{families_, login_failures_};
  metrics::LabeledCounters tls_failures_;
  Reg tls_failures_reg_{families_, tls_failures_};
  metrics::LabeledCounters auth_results_;
  Reg auth_results_reg_{families_, auth_results_};
  metrics::LabeledCounters master_limits_;
  Reg master_limits_reg_{families_, master_limits_};
  metrics::LabeledCounters sessions_ended_;
  Reg sessions_ended_reg_{families_, sessions_ended_};
  metrics::LabeledCounters received_bytes_;
  Reg received_bytes_reg_{families_, received_bytes_};
  metrics::LabeledCounters sent_bytes_;
  Reg sent_bytes_reg_{families_, sent_bytes_};
  metrics::LabeledCounters lmtp_deliveries_;
  Reg lmtp_deliveries_reg_{families_, lmtp_deliveries_};
  metrics::LabeledCounters auth_failed_logins_;
  Reg auth_failed_logins_reg_{families_, auth_failed_logins_};
  metrics::LabeledCounters unsupported_;
  Reg unsupported_reg_{families_, unsupported_};
  // LMTP/Sieve outcomes count once per (session and recipient, msgid): hashes
  // of the Sieve successes already counted (a ring: Sieve may store one message
  // twice, fileinto plus keep), and failures not yet final with their LMTP pid
  // (a later success for the same key cancels one). No allocation per line.
  std::array<std::uint64_t, 256> sieve_saved_{};
  std::size_t sieve_saved_next_ = 0;
  std::vector<std::pair<std::uint64_t, std::string>> pending_failures_;
  void FlushFailures(std::string_view pid);  // "" = all
};

}  // namespace mailpath::logs::classify
