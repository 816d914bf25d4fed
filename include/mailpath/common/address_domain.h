#pragma once

#include <string>
#include <string_view>

namespace mailpath {

/// The domain of a mail address as a label value: the part after the last
/// '@' ("user@Example.COM." -> "example.com"), lower-cased, trailing dots
/// dropped, at most 255 bytes (a DNS name's limit); "" when there is none.
/// Used by showq (deferred recipients) and the Postfix log classifier
/// (throttling destinations), so both name a domain the same way. Pure.
[[nodiscard]] std::string AddressDomain(std::string_view address);

}  // namespace mailpath
