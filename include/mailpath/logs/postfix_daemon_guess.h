#pragma once

#include <string_view>

namespace mailpath::logs {

/// The Postfix daemon that writes a message of this shape, for lines whose
/// tag lost the daemon: rsyslog's RFC5424 templates put the program name in
/// APP-NAME, and rsyslog stops it at "/" unless
/// parser.permitSlashInProgramName is on, so "postfix/smtpd[2101]:" arrives
/// as APP-NAME "postfix". Returns one of smtpd, smtp, lmtp, local, virtual,
/// pipe, qmgr, cleanup, pickup, postscreen, anvil, bounce, postsuper, master,
/// or "" when no known shape matches. Literal tests only, first match wins;
/// the shapes follow Postfix 3.x's own wordings (smtpd/smtpd.c,
/// global/log_adhoc.c, qmgr/qmgr_active.c, cleanup/cleanup_message.c,
/// postscreen/postscreen_early.c, anvil/anvil.c). Pure.
[[nodiscard]] std::string_view GuessPostfixDaemon(std::string_view message);

}  // namespace mailpath::logs
