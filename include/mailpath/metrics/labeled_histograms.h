#pragma once

#include <prometheus/metric_family.h>

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mailpath/common/bucket_counts.h"

namespace mailpath::metrics {

/// A histogram family kept by a log-driven collector: label values ->
/// buckets. Not synchronised (the owning collector's mutex guards it).
class LabeledHistograms {
 public:
  LabeledHistograms(std::string name, std::string help, std::vector<std::string> label_names,
                    std::vector<double> bounds);

  void Observe(std::initializer_list<std::string_view> values, double v);
  [[nodiscard]] prometheus::MetricFamily Snapshot() const;
  [[nodiscard]] std::size_t size() const { return series_.size(); }

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
  std::map<std::string, BucketCounts, std::less<>> series_;
  std::string key_;  // scratch
};

}  // namespace mailpath::metrics
