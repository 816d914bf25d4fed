#pragma once

#include <prometheus/client_metric.h>

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mailpath::metrics {

/// The map key of one series in LabeledCounters/LabeledHistograms: label
/// values joined by a separator that cannot occur in bounded label values.
inline constexpr char kLabelKeySeparator = '\x1f';

/// Writes the key for `values` into `key` (reused to avoid an allocation per
/// event). Throws std::logic_error when the count does not match the names.
inline void BuildLabelKey(const std::vector<std::string>& names,
                          std::initializer_list<std::string_view> values, const std::string& family,
                          std::string& key) {
  if (values.size() != names.size()) throw std::logic_error("label count mismatch for " + family);
  key.clear();
  for (std::string_view v : values) {
    key.append(v);
    key.push_back(kLabelKeySeparator);
  }
}

/// Appends the labels a key encodes to `metric`.
inline void AppendLabelsFromKey(const std::vector<std::string>& names, const std::string& key,
                                prometheus::ClientMetric& metric) {
  std::size_t start = 0;
  for (const auto& name : names) {
    const std::size_t end = key.find(kLabelKeySeparator, start);
    metric.label.push_back({name, key.substr(start, end - start)});
    start = end + 1;
  }
}

}  // namespace mailpath::metrics
