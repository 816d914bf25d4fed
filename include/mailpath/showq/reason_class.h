#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "mailpath/logs/classify/delivery_reason.h"

namespace mailpath::showq {

/// Why a recipient is waiting: the shared deferral/bounce vocabulary of
/// logs/classify/delivery_reason.h (one module for showq and the log
/// classifier, so the two cannot disagree), with `none` for a recipient not
/// tried yet.
using ReasonClass = logs::classify::DeliveryReason;

inline constexpr std::size_t kReasonClassCount = logs::classify::kDeliveryReasonCount;

/// The label value of a class (DeliveryReasonName).
[[nodiscard]] std::string_view ReasonClassName(ReasonClass c);

/// Every class, in enum order (for reporting all of them, 0 when absent).
[[nodiscard]] const std::array<ReasonClass, kReasonClassCount>& AllReasonClasses();

/// Classifies one showq recipient reason. `dsn` is an enhanced status code
/// known from elsewhere; empty means "take it from the text". Pure.
[[nodiscard]] ReasonClass ClassifyReason(std::string_view reason, std::string_view dsn = {});

}  // namespace mailpath::showq
