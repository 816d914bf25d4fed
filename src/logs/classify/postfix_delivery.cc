// The wordings of the delivery agents (smtp, lmtp, local, virtual, pipe,
// error, retry, discard), qmgr and cleanup.
#include "postfix_classify_internal.h"

// Rows name only the fields they set; GCC 12 warns about every other field even though each has a
// default.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace mailpath::logs::classify::internal {
namespace {

using K = PostfixKind;
using X = Extractor;
constexpr Level kW = Level::kWarning;
constexpr Anchor kE = Anchor::kEquals;
constexpr Scope kQ = Scope::kQueueId;

// Sources: vdukhovni/postfix (file named), lines observed from Postfix 3.7.11 on loopback
// (/work/shared/notes/postfix-dovecot-observed.md §3.4), anonymised.
constexpr PostfixRule kDelivery[] = {
    {.literal = "connect to ",
     .kind = K::kConnectFailure,
     .extractor = X::kConnectFailure,
     .daemon = "smtp",
     .example = "connect to mx.example.com[198.51.100.7]:25: Connection refused",
     .source = "Postfix smtp/smtp_connect.c (observed 3.7.11)"},
    // global/log_adhoc.c: "QID: to=<r>[, orig_to=<o>], relay=R, delay=D, delays=a/b/c/d[, tls=...],
    // dsn=X, status=S (text)"; the tls= field is 3.11+.
    {.scope = kQ,
     .literal = "to=<",
     .kind = K::kDelivery,
     .extractor = X::kDelivery,
     .daemon = "smtp",
     .example =
         "3BDDA112119: to=<alice@example.com>, relay=mx.example.com[198.51.100.7]:25, delay=0.04, "
         "delays=0.01/0.01/0.01/0.01, dsn=2.0.0, status=sent (250 2.0.0 OK)",
     .source = "Postfix global/log_adhoc.c (observed 3.7.11)"},
    // Per-attempt notes; the to= line carries the outcome.
    {.scope = kQ,
     .literal = "host ",
     .kind = K::kKnownIgnored,
     .daemon = "smtp",
     .example = "1B2C3D4E5F: host mx.example.net[198.51.100.7] said: 450 4.7.1 Try again later (in "
                "reply to RCPT TO "
                "command)",
     .source = "Postfix smtp/smtp_trouble.c (a failed attempt at one of several MX hosts)"},
    {.scope = kQ,
     .literal = "enabling PIX",
     .kind = K::kKnownIgnored,
     .daemon = "smtp",
     .example = "1B2C3D4E5F: enabling PIX workarounds: disable_esmtp delay_dotcrlf for "
                "mx.example.net[198.51.100.7]:25",
     .source = "Postfix smtp/smtp_proto.c"},
    {.scope = kQ,
     .literal = "lost connection",
     .kind = K::kKnownIgnored,
     .daemon = "smtp",
     .example =
         "1B2C3D4E5F: lost connection with mx.example.net[198.51.100.7] while sending RCPT TO",
     .source = "Postfix smtp/smtp_trouble.c (a failed attempt at one of several MX hosts)"},
    {.scope = kQ,
     .literal = "conversation with",
     .kind = K::kKnownIgnored,
     .daemon = "smtp",
     .example = "1B2C3D4E5F: conversation with mx.example.net[198.51.100.7] timed out while "
                "receiving the initial "
                "server greeting",
     .source = "Postfix smtp/smtp_trouble.c (a failed attempt at one of several MX hosts)"},
};

constexpr PostfixRule kQmgr[] = {
    {.level = kW,
     .literal = "mail for ",
     .also = " active queue entries",
     .kind = K::kQmgrActiveQueueWarning,
     .daemon = "qmgr",
     .example = "warning: mail for example.com is using up 4001 of 20000 active queue entries",
     .source = "Postfix qmgr/qmgr_entry.c"},
    {.level = kW,
     .literal = "this may slow down other mail deliveries",
     .kind = K::kKnownIgnored,
     .daemon = "qmgr",
     .example = "warning: this may slow down other mail deliveries",
     .source = "Postfix qmgr/qmgr_entry.c (follows the active queue warning)"},
    {.scope = kQ,
     .anchor = kE,
     .literal = "removed",
     .kind = K::kQmgrRemoved,
     .daemon = "qmgr",
     .example = "3BDDA112119: removed",
     .source = "Postfix qmgr/qmgr_active.c (observed 3.7.11)"},
    // The common line first: an inserted message names its size, an expired one does not.
    {.scope = kQ,
     .literal = "from=<",
     .also = ", size=",
     .kind = K::kQmgrInserted,
     .extractor = X::kQmgrInserted,
     .daemon = "qmgr",
     .example = "48973112119: from=<carol@example.com>, size=409, nrcpt=1 (queue active)",
     .source = "Postfix qmgr/qmgr_message.c (observed 3.7.11)"},
    {.scope = kQ,
     .literal = "from=<",
     .also = ", status=expired",
     .kind = K::kQmgrExpired,
     .daemon = "qmgr",
     .example = "79E65112151: from=<alice@example.com>, status=expired, returned to sender",
     .source = "Postfix qmgr/qmgr_active.c (maximal_queue_lifetime)"},
    {.scope = kQ,
     .literal = "from=<",
     .also = ", status=force-expired",
     .kind = K::kQmgrExpired,
     .daemon = "qmgr",
     .example = "79E65112152: from=<alice@example.com>, status=force-expired, returned to sender",
     .source = "Postfix 3.5 qmgr/qmgr_active.c (postsuper -e)"},
    // qmgr's own deferrals and bounces ("delivery temporarily suspended", expired recipients).
    {.scope = kQ,
     .literal = "to=<",
     .kind = K::kDelivery,
     .extractor = X::kDelivery,
     .daemon = "qmgr",
     .example = "A1B2C3D4E5: to=<bob@example.net>, relay=none, delay=30, delays=30/0/0/0, "
                "dsn=4.4.1, status=deferred "
                "(delivery temporarily suspended: connect to mx.example.net[198.51.100.7]:25: "
                "Connection refused)",
     .source = "Postfix qmgr/qmgr_deliver.c (a suspended destination)"},
    {.scope = kQ,
     .literal = "skipped, still being delivered",
     .kind = K::kKnownIgnored,
     .daemon = "qmgr",
     .example = "3BDDA112119: skipped, still being delivered",
     .source = "Postfix qmgr/qmgr_active.c"},
};

// cleanup/cleanup_message.c and cleanup_milter.c: "QID: ACTION: header|body ... from h[a]; from=<>
// to=<>...".
constexpr PostfixRule kCleanup[] = {
    {.scope = kQ,
     .literal = "message-id=",
     .kind = K::kCleanupMessage,
     .daemon = "cleanup",
     .example = "3BDDA112119: message-id=<20261122132903.010252@mail.example.com>",
     .source = "Postfix cleanup/cleanup_message.c (observed 3.7.11)"},
    {.scope = kQ,
     .literal = "resent-message-id=",
     .kind = K::kCleanupMessage,
     .daemon = "cleanup",
     .example = "3BDDA11211A: resent-message-id=<20261122132904.010253@mail.example.com>",
     .source = "Postfix cleanup/cleanup_message.c"},
    {.scope = kQ,
     .literal = "reject: ",
     .kind = K::kCleanupAction,
     .value = "reject",
     .daemon = "cleanup",
     .example = "ABCDE12345: reject: header Subject: win big from unknown[203.0.113.9]; "
                "from=<alice@example.org> "
                "to=<bob@example.com> proto=ESMTP helo=<client.example.org>: 5.7.1 Message content "
                "rejected",
     .source = "Postfix cleanup/cleanup_message.c (header_checks REJECT)"},
    {.scope = kQ,
     .literal = "hold: ",
     .kind = K::kCleanupAction,
     .value = "hold",
     .daemon = "cleanup",
     .example = "DDDEF112166: hold: header Subject: LABHOLD test from unknown[192.0.2.14]; "
                "from=<alice@example.com> "
                "to=<bob@example.com> proto=ESMTP helo=<client.example.com>: held by header_checks",
     .source = "Postfix cleanup/cleanup_message.c (observed 3.7.11)"},
    {.scope = kQ,
     .literal = "discard: ",
     .kind = K::kCleanupAction,
     .value = "discard",
     .daemon = "cleanup",
     .example = "ABCDE12346: discard: header Subject: lottery from unknown[203.0.113.9]; "
                "from=<alice@example.org> "
                "to=<bob@example.com> proto=ESMTP helo=<client.example.org>: dropped",
     .source = "Postfix cleanup/cleanup_message.c (header_checks DISCARD)"},
    {.scope = kQ,
     .literal = "redirect: ",
     .kind = K::kCleanupAction,
     .value = "redirect",
     .daemon = "cleanup",
     .example = "ABCDE12347: redirect: header Subject: invoice from unknown[203.0.113.9]; "
                "from=<alice@example.org> "
                "to=<bob@example.com> proto=ESMTP helo=<client.example.org>: carol@example.com",
     .source = "Postfix cleanup/cleanup_message.c (header_checks REDIRECT)"},
    {.scope = kQ,
     .literal = "filter: ",
     .kind = K::kCleanupAction,
     .value = "filter",
     .daemon = "cleanup",
     .example = "ABCDE12348: filter: header Subject: scan me from unknown[203.0.113.9]; "
                "from=<alice@example.org> "
                "to=<bob@example.com> proto=ESMTP helo=<client.example.org>: "
                "smtp-amavis:[127.0.0.1]:10024",
     .source = "Postfix cleanup/cleanup_message.c (header_checks FILTER)"},
    {.scope = kQ,
     .literal = "warning: ",
     .kind = K::kCleanupAction,
     .value = "warning",
     .daemon = "cleanup",
     .example = "ABCDE12349: warning: header Subject: check this from unknown[203.0.113.9]; "
                "from=<alice@example.org> "
                "to=<bob@example.com> proto=ESMTP helo=<client.example.org>",
     .source = "Postfix cleanup/cleanup_message.c (header_checks WARN)"},
    {.scope = kQ,
     .literal = "replace: ",
     .kind = K::kCleanupAction,
     .value = "replace",
     .daemon = "cleanup",
     .example = "ABCDE1234A: replace: header Subject: old from unknown[203.0.113.9]; "
                "from=<alice@example.org> "
                "to=<bob@example.com> proto=ESMTP helo=<client.example.org>: Subject: new",
     .source = "Postfix cleanup/cleanup_message.c (header_checks REPLACE)"},
    {.scope = kQ,
     .literal = "prepend: ",
     .kind = K::kCleanupAction,
     .value = "prepend",
     .daemon = "cleanup",
     .example = "ABCDE1234B: prepend: header Subject: x from unknown[203.0.113.9]; "
                "from=<alice@example.org> "
                "to=<bob@example.com> proto=ESMTP helo=<client.example.org>: X-Tag: yes",
     .source = "Postfix cleanup/cleanup_message.c (header_checks PREPEND)"},
    {.scope = kQ,
     .literal = "bcc: ",
     .kind = K::kCleanupAction,
     .value = "bcc",
     .daemon = "cleanup",
     .example =
         "ABCDE1234C: bcc: header Subject: x from unknown[203.0.113.9]; from=<alice@example.org> "
         "to=<bob@example.com> proto=ESMTP helo=<client.example.org>: carol@example.com",
     .source = "Postfix cleanup/cleanup_message.c (header_checks BCC)"},
    {.scope = kQ,
     .literal = "milter-reject: ",
     .kind = K::kCleanupAction,
     .value = "milter-reject",
     .daemon = "cleanup",
     .example = "ABCDE12345: milter-reject: END-OF-MESSAGE from mail.example.net[203.0.113.4]: "
                "5.7.1 Spam; "
                "from=<alice@example.org> to=<bob@example.com> proto=ESMTP helo=<mail.example.net>",
     .source = "Postfix cleanup/cleanup_milter.c"},
    {.scope = kQ,
     .literal = "milter-hold: ",
     .kind = K::kCleanupAction,
     .value = "milter-hold",
     .daemon = "cleanup",
     .example = "ABCDE1234D: milter-hold: END-OF-MESSAGE from mail.example.net[203.0.113.4]: "
                "milter triggers HOLD "
                "action; from=<alice@example.org> to=<bob@example.com> proto=ESMTP "
                "helo=<mail.example.net>",
     .source = "Postfix cleanup/cleanup_milter.c"},
    {.scope = kQ,
     .literal = "milter-discard: ",
     .kind = K::kCleanupAction,
     .value = "milter-discard",
     .daemon = "cleanup",
     .example = "ABCDE1234E: milter-discard: END-OF-MESSAGE from mail.example.net[203.0.113.4]: "
                "milter triggers "
                "DISCARD action; from=<alice@example.org> to=<bob@example.com> proto=ESMTP "
                "helo=<mail.example.net>",
     .source = "Postfix cleanup/cleanup_milter.c"},
    {.scope = kQ,
     .literal = "milter-redirect: ",
     .kind = K::kCleanupAction,
     .value = "milter-redirect",
     .daemon = "cleanup",
     .example =
         "ABCDE1234F: milter-redirect: END-OF-MESSAGE from mail.example.net[203.0.113.4]: milter "
         "triggers "
         "REDIRECT carol@example.com; from=<alice@example.org> to=<bob@example.com> proto=ESMTP "
         "helo=<mail.example.net>",
     .source = "Postfix cleanup/cleanup_milter.c"},
    {.scope = kQ,
     .anchor = kE,
     .literal = "canceled",
     .kind = K::kCleanupAction,
     .value = "canceled",
     .daemon = "cleanup",
     .example = "ABCDE12350: canceled",
     .source =
         "Postfix 3.10 cleanup/cleanup_api.c (RELEASE_NOTES-3.10: a message the client abandoned)"},
    {.scope = kQ,
     .literal = "info: ",
     .kind = K::kKnownIgnored,
     .daemon = "cleanup",
     .example = "ABCDE12351: info: header Subject: hello from unknown[203.0.113.9]; "
                "from=<alice@example.org> "
                "to=<bob@example.com> proto=ESMTP helo=<client.example.org>",
     .source = "Postfix cleanup/cleanup_message.c (header_checks INFO)"},
};

}  // namespace

std::span<const PostfixRule> DeliveryRules() { return kDelivery; }
std::span<const PostfixRule> QmgrRules() { return kQmgr; }
std::span<const PostfixRule> CleanupRules() { return kCleanup; }

}  // namespace mailpath::logs::classify::internal
