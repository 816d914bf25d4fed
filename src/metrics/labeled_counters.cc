#include "mailpath/metrics/labeled_counters.h"

#include "mailpath/metrics/label_key.h"

namespace mailpath::metrics {
LabeledCounters::LabeledCounters(std::string name, std::string help,
                                 std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

void LabeledCounters::BuildKey(std::initializer_list<std::string_view> values) const {
  BuildLabelKey(label_names_, values, name_, key_);
}

void LabeledCounters::Add(std::initializer_list<std::string_view> values, double delta) {
  BuildKey(values);
  auto it = values_.find(std::string_view(key_));
  if (it == values_.end()) it = values_.emplace(key_, 0.0).first;
  it->second += delta;
}

double LabeledCounters::Get(std::initializer_list<std::string_view> values) const {
  BuildKey(values);
  auto it = values_.find(std::string_view(key_));
  return it == values_.end() ? 0 : it->second;
}

prometheus::MetricFamily LabeledCounters::Snapshot() const {
  prometheus::MetricFamily f;
  f.name = name_;
  f.help = help_;
  f.type = prometheus::MetricType::Counter;
  f.metric.reserve(values_.size());
  for (const auto& [key, value] : values_) {
    prometheus::ClientMetric& m = f.metric.emplace_back();
    AppendLabelsFromKey(label_names_, key, m);
    m.counter.value = value;
  }
  return f;
}

}  // namespace mailpath::metrics
