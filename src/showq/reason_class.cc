#include "mailpath/showq/reason_class.h"

namespace mailpath::showq {

std::string_view ReasonClassName(ReasonClass c) { return logs::classify::DeliveryReasonName(c); }

const std::array<ReasonClass, kReasonClassCount>& AllReasonClasses() {
  return logs::classify::AllDeliveryReasons();
}

ReasonClass ClassifyReason(std::string_view reason, std::string_view dsn) {
  return logs::classify::ClassifyDeliveryReason(dsn, reason);
}

}  // namespace mailpath::showq
