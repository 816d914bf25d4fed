#include "mailpath/metrics/labeled_histograms.h"

#include <limits>

#include "mailpath/metrics/label_key.h"

namespace mailpath::metrics {
LabeledHistograms::LabeledHistograms(std::string name, std::string help,
                                     std::vector<std::string> label_names,
                                     std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

void LabeledHistograms::Observe(std::initializer_list<std::string_view> values, double v) {
  BuildLabelKey(label_names_, values, name_, key_);
  auto it = series_.find(std::string_view(key_));
  if (it == series_.end()) {
    it = series_.emplace(key_, BucketCounts(bounds_.size())).first;
  }
  it->second.Observe(bounds_, v);
}

prometheus::MetricFamily LabeledHistograms::Snapshot() const {
  prometheus::MetricFamily f;
  f.name = name_;
  f.help = help_;
  f.type = prometheus::MetricType::Histogram;
  for (const auto& [key, s] : series_) {
    prometheus::ClientMetric& m = f.metric.emplace_back();
    AppendLabelsFromKey(label_names_, key, m);
    const std::vector<std::uint64_t> cumulative = s.Cumulative();
    for (std::size_t i = 0; i < bounds_.size(); ++i)
      m.histogram.bucket.push_back({cumulative[i], bounds_[i]});
    m.histogram.bucket.push_back({cumulative.back(), std::numeric_limits<double>::infinity()});
    m.histogram.sample_count = cumulative.back();
    m.histogram.sample_sum = s.sum;
  }
  return f;
}

}  // namespace mailpath::metrics
