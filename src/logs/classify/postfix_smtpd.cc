// The wordings of smtpd sessions and of the TLS, SASL and anvil lines every
// smtpd-like service writes (smtpd, smtp/lmtp for TLS, tlsproxy).
#include "postfix_classify_internal.h"

// Rows name only the fields they set; GCC 12 warns about every other field even though each has a
// default.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace mailpath::logs::classify::internal {
namespace {

using K = PostfixKind;
using X = Extractor;
constexpr Level kW = Level::kWarning;
constexpr Anchor kC = Anchor::kContains;
constexpr Scope kQ = Scope::kQueueIdOrNoqueue;

// Sources: vdukhovni/postfix (file named; wording unchanged 3.7-3.12 unless said), lines observed
// from Postfix 3.7.11 on loopback (/work/shared/notes/postfix-dovecot-observed.md §3), anonymised.
constexpr PostfixRule kTls[] = {
    {.level = kW,
     .literal = "Connection concurrency limit exceeded: ",
     .kind = K::kAnvilLimit,
     .value = "connection_count",
     .extractor = X::kClientService,
     .daemon = "smtpd",
     .example = "warning: Connection concurrency limit exceeded: 5 from unknown[203.0.113.21] for "
                "service smtpd",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    {.level = kW,
     .literal = "Connection rate limit exceeded: ",
     .kind = K::kAnvilLimit,
     .value = "connection_rate",
     .extractor = X::kClientService,
     .daemon = "smtpd",
     .example =
         "warning: Connection rate limit exceeded: 9 from unknown[203.0.113.22] for service smtpd",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    {.level = kW,
     .literal = "Message delivery request rate limit exceeded: ",
     .kind = K::kAnvilLimit,
     .value = "message_rate",
     .extractor = X::kClientService,
     .daemon = "smtpd",
     .example = "warning: Message delivery request rate limit exceeded: 5 from "
                "unknown[203.0.113.23] for service "
                "smtpd",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    {.level = kW,
     .literal = "Recipient address rate limit exceeded: ",
     .kind = K::kAnvilLimit,
     .value = "recipient_rate",
     .extractor = X::kClientService,
     .daemon = "smtpd",
     .example = "warning: Recipient address rate limit exceeded: 7 from unknown[203.0.113.24] for "
                "service smtpd",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    {.level = kW,
     .literal = "New TLS session rate limit exceeded: ",
     .kind = K::kAnvilLimit,
     .value = "newtls_rate",
     .extractor = X::kClientService,
     .daemon = "smtpd",
     .example = "warning: New TLS session rate limit exceeded: 5 from unknown[203.0.113.25] for "
                "service submission",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    {.level = kW,
     .literal = "AUTH command rate limit exceeded: ",
     .kind = K::kAnvilLimit,
     .value = "auth_rate",
     .extractor = X::kClientService,
     .daemon = "smtpd",
     .example = "warning: AUTH command rate limit exceeded: 4 from unknown[203.0.113.26] for "
                "service smtps",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    {.level = kW,
     .anchor = kC,
     .literal = " limit exceeded: ",
     .kind = K::kAnvilLimit,
     .value = "other",
     .extractor = X::kClientService,
     .daemon = "smtpd",
     .example = "warning: Some new limit exceeded: 3 from unknown[203.0.113.27] for service smtpd",
     .source = "Postfix smtpd/smtpd.c (a limit newer than this table)"},
    {.level = kW,
     .literal = "Refusing STARTTLS request from ",
     .kind = K::kStarttlsRefused,
     .extractor = X::kClientService,
     .daemon = "smtpd",
     .example =
         "warning: Refusing STARTTLS request from unknown[203.0.113.25] for service submission",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    {.level = kW,
     .literal = "TLS library problem: ",
     .kind = K::kTlsLibraryProblem,
     .extractor = X::kTlsLibrary,
     .daemon = "smtpd",
     .example = "warning: TLS library problem: error:0A000418:SSL routines::tlsv1 alert unknown "
                "ca:../ssl/record/rec_layer_s3.c:1601:SSL alert number 48:",
     .source = "Postfix tls/tls_misc.c tls_print_errors (observed 3.7.11)"},
    {.level = kW,
     .anchor = kC,
     .literal = " authentication failed: ",
     .also = ": SASL ",
     .kind = K::kSaslFailure,
     .extractor = X::kSasl,
     .daemon = "smtpd",
     .example =
         "warning: unknown[192.0.2.40]: SASL PLAIN authentication failed: (reason unavailable), "
         "sasl_username=alice@example.com",
     .source = "Postfix smtpd/smtpd_sasl_glue.c (3.9+ appends sasl_username; observed 3.7.11)"},
    {.level = kW,
     .literal = "hostname ",
     .also = " does not resolve to address ",
     .kind = K::kFcrdnsError,
     .daemon = "smtpd",
     .example = "warning: hostname mail.example.net does not resolve to address 203.0.113.9: Name "
                "or service not "
                "known",
     .source = "Postfix smtpd/smtpd_peer.c"},
    {.literal = "SSL_accept error from ",
     .kind = K::kTlsHandshakeFailure,
     .value = "server",
     .extractor = X::kTlsFailure,
     .daemon = "smtpd",
     .example = "SSL_accept error from unknown[192.0.2.41]: lost connection",
     .source = "Postfix tls/tls_server.c (observed 3.7.11)"},
    {.literal = "SSL_connect error to ",
     .kind = K::kTlsHandshakeFailure,
     .value = "client",
     .extractor = X::kTlsFailure,
     .daemon = "smtp",
     .example = "SSL_connect error to mx.example.com[198.51.100.7]:25: Connection timed out",
     .source = "Postfix tls/tls_client.c"},
    {.anchor = kC,
     .literal = " TLS connection established ",
     .kind = K::kTlsEstablished,
     .extractor = X::kTlsSummary,
     .daemon = "smtpd",
     .example =
         "Anonymous TLS connection established from unknown[192.0.2.10]: TLSv1.3 with cipher "
         "TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 "
         "bits) "
         "server-digest SHA256",
     .source = "Postfix tls/tls_misc.c tls_log_summary (observed 3.7.11)"},
    {.anchor = kC,
     .literal = " TLS connection reused ",
     .kind = K::kTlsEstablished,
     .extractor = X::kTlsSummary,
     .daemon = "smtp",
     .example =
         "Verified TLS connection reused to mx.example.com[198.51.100.7]:25: TLSv1.3 with cipher "
         "TLS_AES_256_GCM_SHA384 (256/256 bits)",
     .source = "Postfix tls/tls_misc.c tls_log_summary"},
};

constexpr PostfixRule kSmtpd[] = {
    {.literal = "connect from ",
     .kind = K::kConnect,
     .extractor = X::kClient,
     .daemon = "smtpd",
     .example = "connect from unknown[192.0.2.40]",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    {.literal = "disconnect from ",
     .kind = K::kDisconnect,
     .extractor = X::kClient,
     .daemon = "smtpd",
     .example =
         "disconnect from unknown[192.0.2.40] ehlo=2 starttls=1 auth=0/1 quit=1 commands=4/5",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    {.literal = "improper command pipelining after ",
     .kind = K::kImproperPipelining,
     .extractor = X::kStage,
     .daemon = "smtpd",
     .example = "improper command pipelining after EHLO from unknown[192.0.2.41]: STARTTLS\\r\\n",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    {.literal = "lost connection after ",
     .kind = K::kSessionEnd,
     .value = "lost_connection",
     .extractor = X::kSessionEnd,
     .daemon = "smtpd",
     .example = "lost connection after STARTTLS from unknown[192.0.2.41]",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    {.literal = "timeout after ",
     .kind = K::kSessionEnd,
     .value = "timeout",
     .extractor = X::kSessionEnd,
     .daemon = "smtpd",
     .example = "timeout after DATA (8192 bytes) from mail.example.net[203.0.113.4]",
     .source = "Postfix smtpd/smtpd.c (the byte count helps diagnose MTU trouble)"},
    {.literal = "too many errors after ",
     .kind = K::kSessionEnd,
     .value = "too_many_errors",
     .extractor = X::kSessionEnd,
     .daemon = "smtpd",
     .example = "too many errors after RCPT from unknown[203.0.113.4]",
     .source = "Postfix smtpd/smtpd.c"},
    // Postfix >= 3.10 prefixes session ends with the queue id or NOQUEUE (RELEASE_NOTES-3.10).
    {.scope = kQ,
     .literal = "lost connection after ",
     .kind = K::kSessionEnd,
     .value = "lost_connection",
     .extractor = X::kSessionEnd,
     .daemon = "smtpd",
     .example = "NOQUEUE: lost connection after STARTTLS from unknown[203.0.113.4]",
     .source = "Postfix 3.10 smtpd/smtpd.c (RELEASE_NOTES-3.10)"},
    {.scope = kQ,
     .literal = "timeout after ",
     .kind = K::kSessionEnd,
     .value = "timeout",
     .extractor = X::kSessionEnd,
     .daemon = "smtpd",
     .example = "4F2A1112345: timeout after DATA (8192 bytes) from mail.example.net[203.0.113.4]",
     .source = "Postfix 3.10 smtpd/smtpd.c (RELEASE_NOTES-3.10)"},
    {.scope = kQ,
     .literal = "too many errors after ",
     .kind = K::kSessionEnd,
     .value = "too_many_errors",
     .extractor = X::kSessionEnd,
     .daemon = "smtpd",
     .example = "NOQUEUE: too many errors after RCPT from unknown[203.0.113.4]",
     .source = "Postfix 3.10 smtpd/smtpd.c (RELEASE_NOTES-3.10)"},
    {.scope = kQ,
     .literal = "client=",
     .kind = K::kClientAccepted,
     .extractor = X::kClientAccepted,
     .daemon = "smtpd",
     .example = "7B2D8112145: client=unknown[192.0.2.40], sasl_method=PLAIN, "
                "sasl_username=alice@example.com",
     .source = "Postfix smtpd/smtpd.c (observed 3.7.11)"},
    // smtpd_check.c log_whatsup: "QID|NOQUEUE: ACTION: STAGE from h[a]: reply; from=<> to=<> proto=
    // helo=<>".
    {.scope = kQ,
     .literal = "reject: ",
     .kind = K::kReject,
     .value = "reject",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "NOQUEUE: reject: RCPT from unknown[192.0.2.13]: 550 5.1.1 <nobody@example.com>: "
                "Recipient address "
                "rejected: User unknown in virtual mailbox table; from=<alice@example.org> "
                "to=<nobody@example.com> "
                "proto=ESMTP helo=<client.example.org>",
     .source = "Postfix smtpd/smtpd_check.c log_whatsup (observed 3.7.11)"},
    {.scope = kQ,
     .literal = "reject_warning: ",
     .kind = K::kReject,
     .value = "reject_warning",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "NOQUEUE: reject_warning: RCPT from unknown[203.0.113.9]: 554 5.7.1 Service "
                "unavailable; Client host "
                "[203.0.113.9] blocked using zen.spamhaus.org; from=<alice@example.org> "
                "to=<bob@example.com> "
                "proto=ESMTP helo=<client.example.org>",
     .source = "Postfix smtpd/smtpd_check.c (warn_if_reject)"},
    {.scope = kQ,
     .literal = "hold: ",
     .kind = K::kReject,
     .value = "hold",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "NOQUEUE: hold: RCPT from unknown[192.0.2.14]: <unknown[192.0.2.14]>: Client host "
                "triggers HOLD "
                "action; from=<alice@example.com> to=<bob@example.com> proto=ESMTP "
                "helo=<client.example.com>",
     .source = "Postfix smtpd/smtpd_check.c (observed 3.7.11)"},
    {.scope = kQ,
     .literal = "discard: ",
     .kind = K::kReject,
     .value = "discard",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "7B2D8112146: discard: RCPT from unknown[192.0.2.14]: <bob@example.com>: Recipient "
                "address triggers "
                "DISCARD action; from=<alice@example.com> to=<bob@example.com> proto=ESMTP "
                "helo=<client.example.com>",
     .source = "Postfix smtpd/smtpd_check.c"},
    {.scope = kQ,
     .literal = "redirect: ",
     .kind = K::kReject,
     .value = "redirect",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example =
         "7B2D8112147: redirect: RCPT from unknown[192.0.2.14]: <bob@example.com>: Recipient "
         "address triggers "
         "REDIRECT carol@example.com; from=<alice@example.com> to=<bob@example.com> proto=ESMTP "
         "helo=<client.example.com>",
     .source = "Postfix smtpd/smtpd_check.c"},
    {.scope = kQ,
     .literal = "filter: ",
     .kind = K::kReject,
     .value = "filter",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "7B2D8112148: filter: RCPT from unknown[192.0.2.14]: <bob@example.com>: Recipient "
                "address triggers "
                "FILTER smtp-amavis:[127.0.0.1]:10024; from=<alice@example.com> "
                "to=<bob@example.com> proto=ESMTP "
                "helo=<client.example.com>",
     .source = "Postfix smtpd/smtpd_check.c"},
    {.scope = kQ,
     .literal = "warn: ",
     .kind = K::kReject,
     .value = "warn",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "NOQUEUE: warn: RCPT from unknown[192.0.2.14]: suspicious client; "
                "from=<alice@example.com> "
                "to=<bob@example.com> proto=ESMTP helo=<client.example.com>",
     .source = "Postfix smtpd/smtpd_check.c (access(5) WARN)"},
    {.scope = kQ,
     .literal = "bcc: ",
     .kind = K::kReject,
     .value = "bcc",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "7B2D8112149: bcc: RCPT from unknown[192.0.2.14]: <bob@example.com>: Recipient "
                "address triggers BCC "
                "carol@example.com; from=<alice@example.com> to=<bob@example.com> proto=ESMTP "
                "helo=<client.example.com>",
     .source = "Postfix smtpd/smtpd_check.c (access(5) BCC, 3.0+)"},
    {.scope = kQ,
     .literal = "prepend: ",
     .kind = K::kReject,
     .value = "prepend",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "7B2D811214A: prepend: RCPT from unknown[192.0.2.14]: <bob@example.com>: Recipient "
                "address triggers "
                "PREPEND X-Checked: yes; from=<alice@example.com> to=<bob@example.com> proto=ESMTP "
                "helo=<client.example.com>",
     .source = "Postfix smtpd/smtpd_check.c (access(5) PREPEND)"},
    {.scope = kQ,
     .literal = "defer_if_permit: ",
     .kind = K::kReject,
     .value = "defer_if_permit",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "NOQUEUE: defer_if_permit: RCPT from unknown[192.0.2.14]: 450 4.7.1 Client host "
                "rejected: cannot "
                "find your hostname, [192.0.2.14]; from=<alice@example.com> to=<bob@example.com> "
                "proto=ESMTP "
                "helo=<client.example.com>",
     .source = "Postfix smtpd/smtpd_check.c (DEFER_IF_PERMIT)"},
    {.scope = kQ,
     .literal = "defer_if_reject: ",
     .kind = K::kReject,
     .value = "defer_if_reject",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "NOQUEUE: defer_if_reject: RCPT from unknown[192.0.2.14]: 450 4.1.8 "
                "<alice@example.org>: Sender "
                "address rejected: Domain not found; from=<alice@example.org> to=<bob@example.com> "
                "proto=ESMTP "
                "helo=<client.example.com>",
     .source = "Postfix smtpd/smtpd_check.c (DEFER_IF_REJECT)"},
    {.scope = kQ,
     .literal = "milter-reject: ",
     .kind = K::kReject,
     .value = "milter-reject",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "NOQUEUE: milter-reject: RCPT from unknown[203.0.113.9]: 451 4.7.1 Service "
                "unavailable - try again "
                "later; from=<alice@example.org> to=<bob@example.com> proto=ESMTP "
                "helo=<client.example.org>",
     .source = "Postfix milter/milter8.c milter_default_action=tempfail, as smtpd logs it"},
    {.scope = kQ,
     .literal = "milter-discard: ",
     .kind = K::kReject,
     .value = "milter-discard",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example = "7B2D811214B: milter-discard: END-OF-MESSAGE from unknown[203.0.113.9]: milter "
                "triggers DISCARD "
                "action; from=<alice@example.org> to=<bob@example.com> proto=ESMTP "
                "helo=<client.example.org>",
     .source = "Postfix smtpd/smtpd.c (milter reply)"},
    {.scope = kQ,
     .literal = "milter-hold: ",
     .kind = K::kReject,
     .value = "milter-hold",
     .extractor = X::kReject,
     .daemon = "smtpd",
     .example =
         "7B2D811214C: milter-hold: END-OF-MESSAGE from unknown[203.0.113.9]: milter triggers HOLD "
         "action; "
         "from=<alice@example.org> to=<bob@example.com> proto=ESMTP helo=<client.example.org>",
     .source = "Postfix smtpd/smtpd.c (milter reply)"},
    {.scope = kQ,
     .literal = "milter-",
     .kind = K::kKnownIgnored,
     .daemon = "smtpd",
     .example =
         "7B2D811214D: milter-header-add: header X-Spam-Flag: YES from unknown[203.0.113.9]; "
         "from=<alice@example.org> to=<bob@example.com> proto=ESMTP helo=<client.example.org>",
     .source = "Postfix smtpd/smtpd.c (other milter actions: header edits, redirects)"},
};

}  // namespace

std::span<const PostfixRule> TlsRules() { return kTls; }
std::span<const PostfixRule> SmtpdRules() { return kSmtpd; }

}  // namespace mailpath::logs::classify::internal
