#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "mailpath/logs/log_record.h"
#include "mailpath/metrics/collector.h"

namespace mailpath::certs {

/// The probe's source address, reserved for it (any 127/8 address is local on Linux).
inline constexpr const char* kDefaultProbeSource = "127.0.0.153";

/// True when a Postfix or Dovecot line is about a session from `address`:
/// Postfix names the client "host[addr]" (connect, TLS, disconnect, postscreen),
/// Dovecot "rip=addr". Pure.
[[nodiscard]] bool IsProbeLine(std::string_view message, std::string_view address);

/// Wraps a log classifier so that lines of the certificate probe's sessions
/// never reach it: its session, TLS and SASL families do not move when the
/// probe connects. Lines are recognised by the probe's reserved source
/// address; an empty address filters nothing.
class ProbeFilteredClassifier final : public metrics::Collector, public logs::RecordConsumer {
 public:
  ProbeFilteredClassifier(std::unique_ptr<metrics::Collector> inner, logs::RecordConsumer& consumer,
                          std::string address)
      : inner_(std::move(inner)), consumer_(consumer), address_(std::move(address)) {}
  void Collect(std::vector<prometheus::MetricFamily>& out) override { inner_->Collect(out); }
  void Consume(const logs::LogRecord& record) override {
    if (!address_.empty() && IsProbeLine(record.message, address_)) {
      skipped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    consumer_.Consume(record);
  }
  [[nodiscard]] std::uint64_t skipped() const { return skipped_.load(std::memory_order_relaxed); }

 private:
  std::unique_ptr<metrics::Collector> inner_;
  logs::RecordConsumer& consumer_;  // the inner collector's consumer side (owned by inner_)
  std::string address_;
  std::atomic<std::uint64_t> skipped_{0};
};

}  // namespace mailpath::certs
