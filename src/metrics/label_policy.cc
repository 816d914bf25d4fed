#include "mailpath/metrics/label_policy.h"

#include "mailpath/metrics/label_value.h"

namespace mailpath::metrics {

std::string_view LabelPolicy::Admit(std::string_view value) {
  if (!IsCleanLabelValue(value)) {
    // Admission is by the cleaned value: two raw spellings that clean alike
    // share one series and one slot under the cap.
    const std::string clean = CleanLabelValue(value);
    return AdmitClean(clean);
  }
  return AdmitClean(value);
}

std::string_view LabelPolicy::AdmitClean(std::string_view value) {
  if (auto it = admitted_.find(value); it != admitted_.end()) return *it;
  if (value == "other") return "other";
  if (admitted_.size() >= cap_ || value.size() > 253) {
    ++overflow_;
    return "other";
  }
  return *admitted_.emplace(value).first;
}

}  // namespace mailpath::metrics
