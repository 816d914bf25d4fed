#include "mailpath/metrics/exposition.h"

#include <prometheus/text_serializer.h>

#include <sstream>

#include "mailpath/metrics/label_value.h"

namespace mailpath::metrics {
namespace {

bool AllLabelValuesClean(const std::vector<prometheus::MetricFamily>& families) {
  for (const auto& family : families) {
    for (const auto& metric : family.metric) {
      for (const auto& pair : metric.label) {
        if (!IsCleanLabelValue(pair.value)) return false;
      }
    }
  }
  return true;
}

}  // namespace

std::string SerializeText(const std::vector<prometheus::MetricFamily>& families) {
  std::ostringstream out;
  if (AllLabelValuesClean(families)) {
    prometheus::TextSerializer().Serialize(out, families);
    return out.str();
  }
  // A value that reached a family without a LabelPolicy (a bug upstream) is
  // cleaned here, so one byte can never make Prometheus reject the scrape.
  std::vector<prometheus::MetricFamily> cleaned = families;
  for (auto& family : cleaned) {
    for (auto& metric : family.metric) {
      for (auto& pair : metric.label) pair.value = CleanLabelValue(pair.value);
    }
  }
  prometheus::TextSerializer().Serialize(out, cleaned);
  return out.str();
}

}  // namespace mailpath::metrics
