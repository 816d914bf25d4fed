#include "mailpath/metrics/family_builder.h"

#include <limits>

namespace mailpath::metrics {

FamilyBuilder::FamilyBuilder(std::string name, std::string help, prometheus::MetricType type) {
  family_.name = std::move(name);
  family_.help = std::move(help);
  family_.type = type;
}

prometheus::ClientMetric& FamilyBuilder::Add(const LabelPairs& labels) {
  prometheus::ClientMetric& m = family_.metric.emplace_back();
  m.label.reserve(labels.size());
  for (const auto& [name, value] : labels) m.label.push_back({name, value});
  return m;
}

FamilyBuilder& FamilyBuilder::Gauge(const LabelPairs& labels, double value) {
  Add(labels).gauge.value = value;
  return *this;
}

FamilyBuilder& FamilyBuilder::Counter(const LabelPairs& labels, double value) {
  Add(labels).counter.value = value;
  return *this;
}

FamilyBuilder& FamilyBuilder::Histogram(const LabelPairs& labels, const std::vector<double>& bounds,
                                        const std::vector<std::uint64_t>& cumulative, double sum) {
  prometheus::ClientMetric& m = Add(labels);
  m.histogram.sample_sum = sum;
  m.histogram.sample_count = cumulative.empty() ? 0 : cumulative.back();
  for (std::size_t i = 0; i < bounds.size() && i < cumulative.size(); ++i) {
    m.histogram.bucket.push_back({cumulative[i], bounds[i]});
  }
  m.histogram.bucket.push_back({m.histogram.sample_count, std::numeric_limits<double>::infinity()});
  return *this;
}

prometheus::MetricFamily FamilyBuilder::Build() && { return std::move(family_); }

}  // namespace mailpath::metrics
