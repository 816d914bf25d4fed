#include "mailpath/metrics/labeled_counters.h"

#include <stdexcept>

namespace mailpath::metrics {
namespace {
constexpr char kSep = '\x1f';  // cannot occur in bounded label values
}

LabeledCounters::LabeledCounters(std::string name, std::string help, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

void LabeledCounters::BuildKey(std::initializer_list<std::string_view> values) const {
  if (values.size() != label_names_.size()) throw std::logic_error("label count mismatch for " + name_);
  key_.clear();
  for (std::string_view v : values) {
    key_.append(v);
    key_.push_back(kSep);
  }
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
    std::size_t start = 0;
    for (const auto& label : label_names_) {
      const std::size_t end = key.find(kSep, start);
      m.label.push_back({label, key.substr(start, end - start)});
      start = end + 1;
    }
    m.counter.value = value;
  }
  return f;
}

}  // namespace mailpath::metrics
