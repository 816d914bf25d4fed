#include "mailpath/metrics/label_policy.h"

#include "mailpath/metrics/label_value.h"

namespace mailpath::metrics {

std::string_view LabelPolicy::Admit(std::string_view value) {
  // Admitted values are clean, so a hit needs no check; only a miss is cleaned.
  if (auto it = admitted_.find(value); it != admitted_.end()) return *it;
  if (IsCleanLabelValue(value)) return AdmitNew(value);
  // Admission is by the cleaned value: two raw spellings that clean alike
  // share one series and one slot under the cap.
  const std::string clean = CleanLabelValue(value);
  if (auto it = admitted_.find(clean); it != admitted_.end()) return *it;
  return AdmitNew(clean);
}

std::string_view LabelPolicy::AdmitNew(std::string_view value) {
  if (value == "other") return "other";
  if (admitted_.size() >= cap_ || value.size() > 253) {
    ++overflow_;
    return "other";
  }
  return *admitted_.emplace(value).first;
}

}  // namespace mailpath::metrics
