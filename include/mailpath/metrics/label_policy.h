#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace mailpath::metrics {

/// Bounds a label whose values come from outside (domains, users, networks).
/// The first `cap` distinct values are admitted and keep their own series;
/// every later new value folds into "other". Admitted values are never
/// evicted, so every series stays a monotonic counter and rate() stays right.
/// Each fold is counted (mailpath_label_overflow_total{family,label}). Values
/// are admitted after CleanLabelValue (label_value.h), so invalid UTF-8 and
/// control characters never reach the exposition. Not synchronised: the
/// owning collector's mutex guards it.
class LabelPolicy {
 public:
  LabelPolicy(std::string family, std::string label, std::size_t cap)
      : family_(std::move(family)), label_(std::move(label)), cap_(cap) {}

  /// The label value to use for `value`: itself (cleaned) if admitted, else
  /// "other". The returned view stays valid for the policy's lifetime.
  [[nodiscard]] std::string_view Admit(std::string_view value);

  [[nodiscard]] std::uint64_t overflow() const { return overflow_; }
  [[nodiscard]] std::size_t admitted() const { return admitted_.size(); }
  [[nodiscard]] const std::string& family() const { return family_; }
  [[nodiscard]] const std::string& label() const { return label_; }

 private:
  // A clean value not admitted yet: admitted if there is room, else "other".
  std::string_view AdmitNew(std::string_view value);

  std::string family_;
  std::string label_;
  std::size_t cap_;
  std::set<std::string, std::less<>> admitted_;
  std::uint64_t overflow_ = 0;
};

}  // namespace mailpath::metrics
