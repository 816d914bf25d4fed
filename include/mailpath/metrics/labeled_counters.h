#pragma once

#include <prometheus/metric_family.h>

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mailpath::metrics {

/// A counter family kept by a log-driven collector: label values -> count.
/// Not synchronised: the owning collector holds one mutex over all its
/// tables for both updates and snapshots. Label values must already be
/// bounded (fixed vocabularies or a LabelPolicy).
class LabeledCounters {
 public:
  LabeledCounters(std::string name, std::string help, std::vector<std::string> label_names);

  /// Adds `delta` to the series with these label values (one per label name).
  void Add(std::initializer_list<std::string_view> values, double delta = 1);
  /// Makes the series exist at 0, so rate() sees its first increase.
  void Declare(std::initializer_list<std::string_view> values) { Add(values, 0); }

  [[nodiscard]] prometheus::MetricFamily Snapshot() const;
  [[nodiscard]] double Get(std::initializer_list<std::string_view> values) const;
  [[nodiscard]] std::size_t size() const { return values_.size(); }

 private:
  void BuildKey(std::initializer_list<std::string_view> values) const;
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::map<std::string, double, std::less<>> values_;
  mutable std::string key_;  // scratch buffer, reused to avoid an allocation per event
};

}  // namespace mailpath::metrics
