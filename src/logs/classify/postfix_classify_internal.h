#pragma once
// Per-daemon classifiers behind ClassifyPostfix. Each returns false when the
// message is not one it knows (the caller then reports kUnsupported).

#include <string_view>

#include "mailpath/logs/classify/postfix_event.h"

namespace mailpath::logs::classify::internal {

bool ClassifySmtpdCommon(std::string_view m, PostfixEvent& ev);  // TLS, SASL, anvil, policy
bool ClassifySmtpd(std::string_view m, PostfixEvent& ev);
bool ClassifyDeliveryAgent(std::string_view m, PostfixEvent& ev);  // smtp, lmtp, local, virtual, pipe, ...
bool ClassifyQmgr(std::string_view m, PostfixEvent& ev);
bool ClassifyCleanup(std::string_view m, PostfixEvent& ev);
bool ClassifyPostscreen(std::string_view m, PostfixEvent& ev);
bool ClassifyOther(std::string_view daemon, std::string_view m, PostfixEvent& ev);  // anvil, bounce, postsuper, pickup, ...

}  // namespace mailpath::logs::classify::internal
