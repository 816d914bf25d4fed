#include "mailpath/metrics/label_policy.h"

namespace mailpath::metrics {

std::string_view LabelPolicy::Admit(std::string_view value) {
  if (auto it = admitted_.find(value); it != admitted_.end()) return *it;
  if (value == "other") return "other";
  if (admitted_.size() >= cap_ || value.size() > 253) {
    ++overflow_;
    return "other";
  }
  return *admitted_.emplace(value).first;
}

}  // namespace mailpath::metrics
