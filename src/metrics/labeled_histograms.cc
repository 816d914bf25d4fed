#include "mailpath/metrics/labeled_histograms.h"

#include <algorithm>
#include <limits>
#include "mailpath/metrics/label_key.h"

namespace mailpath::metrics {
LabeledHistograms::LabeledHistograms(std::string name, std::string help, std::vector<std::string> label_names,
                                     std::vector<double> bounds)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

void LabeledHistograms::Observe(std::initializer_list<std::string_view> values, double v) {
  BuildLabelKey(label_names_, values, name_, key_);
  auto it = series_.find(std::string_view(key_));
  if (it == series_.end()) {
    it = series_.emplace(key_, Series{std::vector<std::uint64_t>(bounds_.size() + 1, 0), 0}).first;
  }
  const std::size_t i = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  ++it->second.counts[i];
  it->second.sum += v;
}

prometheus::MetricFamily LabeledHistograms::Snapshot() const {
  prometheus::MetricFamily f;
  f.name = name_;
  f.help = help_;
  f.type = prometheus::MetricType::Histogram;
  for (const auto& [key, s] : series_) {
    prometheus::ClientMetric& m = f.metric.emplace_back();
    AppendLabelsFromKey(label_names_, key, m);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += s.counts[i];
      m.histogram.bucket.push_back({cumulative, bounds_[i]});
    }
    cumulative += s.counts.back();
    m.histogram.bucket.push_back({cumulative, std::numeric_limits<double>::infinity()});
    m.histogram.sample_count = cumulative;
    m.histogram.sample_sum = s.sum;
  }
  return f;
}

}  // namespace mailpath::metrics
