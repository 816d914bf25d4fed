#pragma once

#include <prometheus/metric_family.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace mailpath::metrics {

using LabelPairs = std::vector<std::pair<std::string, std::string>>;

/// Builds one constant MetricFamily for a scrape, the way client_golang's
/// MustNewConstMetric does: name, help and type once, then one call per series.
class FamilyBuilder {
 public:
  FamilyBuilder(std::string name, std::string help, prometheus::MetricType type);

  FamilyBuilder& Gauge(const LabelPairs& labels, double value);
  FamilyBuilder& Counter(const LabelPairs& labels, double value);
  /// `bounds` are the finite upper bounds; `cumulative` holds one count per
  /// bound followed by the total (the +Inf bucket).
  FamilyBuilder& Histogram(const LabelPairs& labels, const std::vector<double>& bounds,
                           const std::vector<std::uint64_t>& cumulative, double sum);

  [[nodiscard]] prometheus::MetricFamily Build() &&;
  [[nodiscard]] const prometheus::MetricFamily& family() const { return family_; }

 private:
  prometheus::ClientMetric& Add(const LabelPairs& labels);
  prometheus::MetricFamily family_;
};

}  // namespace mailpath::metrics
