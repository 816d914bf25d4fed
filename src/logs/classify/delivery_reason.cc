// The deferral/bounce reason vocabulary: one ordered table of literals.
#include "mailpath/logs/classify/delivery_reason.h"

#include <array>
#include <bitset>
#include <cstring>

namespace mailpath::logs::classify {
namespace {

using R = DeliveryReason;
constexpr ReasonScope P = ReasonScope::kPostfix;
constexpr ReasonScope Y = ReasonScope::kReply;

// Sources: Postfix = vdukhovni/postfix postfix-3.12-20260821 (file named); the
// providers' postmaster pages (Gmail "SMTP error reference", Microsoft "Exchange
// Online NDR codes" and outlook.com postmaster, Yahoo/AOL "SMTP error codes",
// Apple iCloud postmaster, GMX/Web.de postmaster, Mail.ru and Yandex postmaster
// help, Orange postmaster, Comcast "SMTP error codes"), and the greylisting and
// DNSBL implementations (postgrey, sqlgrey, milter-greylist, rspamd, OpenBSD
// spamd, Postfix reject_rbl_client). First match wins: specific rows first.
constexpr ReasonRule kRules[] = {
    // --- Postfix's own wordings (smtp_proto.c, smtp_connect.c, smtp_trouble.c, smtp_tls_policy.c)
    {"TLS is required, but our TLS engine is unavailable", R::kTls, P,
     "TLS is required, but our TLS engine is unavailable", "Postfix smtp/smtp_connect.c"},
    {"TLS is required, but", R::kTlsRequired, P,
     "TLS is required, but was not offered by host mx.example.net[198.51.100.7]",
     "Postfix smtp/smtp_proto.c"},
    {"Cannot start TLS", R::kTls, P, "Cannot start TLS: handshake failure",
     "Postfix smtp/smtp_proto.c"},
    {"Server certificate not", R::kTls, P, "Server certificate not trusted",
     "Postfix smtp/smtp_proto.c"},
    {"TLSA lookup error", R::kTls, P, "TLSA lookup error for mx.example.net:25",
     "Postfix smtp/smtp_tls_policy.c"},
    {"lost connection with", R::kConnectionLost, P,
     "lost connection with mx.example.net[198.51.100.7] while sending RCPT TO",
     "Postfix smtp/smtp_trouble.c"},
    {"timed out while receiving the initial server greeting", R::kGreetingTimeout, P,
     "conversation with mx.example.net[198.51.100.7] timed out while receiving the initial server "
     "greeting",
     "Postfix smtp/smtp_trouble.c"},
    {"timed out while sending message body", R::kBodyTimeout, P,
     "conversation with mx.example.net[198.51.100.7] timed out while sending message body",
     "Postfix smtp/smtp_trouble.c"},
    {"timed out while sending end of data", R::kBodyTimeout, P,
     "conversation with mx.example.net[198.51.100.7] timed out while sending end of data -- "
     "message may be sent "
     "more than once",
     "Postfix smtp/smtp_trouble.c"},
    {"timed out while", R::kConversationTimeout, P,
     "conversation with mx.example.net[198.51.100.7] timed out while sending MAIL FROM",
     "Postfix smtp/smtp_trouble.c"},
    {"Connection timed out", R::kConnectTimeout, P,
     "connect to mx.example.net[198.51.100.7]:25: Connection timed out",
     "Postfix smtp/smtp_connect.c"},
    {"Connection refused", R::kConnectRefused, P,
     "connect to mx.example.net[198.51.100.7]:25: Connection refused",
     "Postfix smtp/smtp_connect.c"},
    {"No route to host", R::kNoRoute, P,
     "connect to mx.example.net[2001:db8::7]:25: No route to host", "Postfix smtp/smtp_connect.c"},
    {"Network is unreachable", R::kNoRoute, P,
     "connect to mx.example.net[2001:db8::7]:25: Network is unreachable",
     "Postfix smtp/smtp_connect.c"},
    {"Host or domain name not found", R::kDns, P,
     "Host or domain name not found. Name service error for name=example.net type=MX: Host not "
     "found, try again",
     "Postfix smtp/smtp_addr.c"},
    {"Name service error", R::kDns, P,
     "Name service error for name=example.net type=A: Host not found", "Postfix smtp/smtp_addr.c"},
    {"unable to look up host", R::kDns, P,
     "unable to look up host example.net: Name or service not known",
     "Postfix smtp/smtp_addr.c (smtp_host_lookup=native)"},
    {"malformed DNS server reply", R::kDns, P, "malformed DNS server reply",
     "Postfix dns/dns_lookup.c"},
    {"Host found but no data record", R::kDns, P, "Host found but no data record of requested type",
     "Postfix dns/dns_lookup.c"},
    {"message size", R::kMessageTooBig, P,
     "message size 41943100 exceeds size limit 41943040 of server mx.example.net[198.51.100.7]",
     "Postfix smtp/smtp_proto.c"},
    // --- greylisting (before anything that also says "try again")
    {"greylist", R::kGreylisted, Y,
     "host mx.example.net[198.51.100.7] said: 450 4.2.0 <alice@example.net>: Recipient address "
     "rejected: "
     "Greylisted, see http://postgrey.example.org/help/example.net.html (in reply to RCPT TO "
     "command)",
     "postgrey policy server; sqlgrey 'Greylisted for 5 minutes'; milter-greylist 'Greylisting in "
     "action'"},
    {"graylist", R::kGreylisted, Y,
     "host mx.example.net[198.51.100.7] said: 451 4.7.1 Graylisted, please try again later (in "
     "reply to RCPT TO "
     "command)",
     "graylisting spelling used by several MTAs"},
    {"grey list", R::kGreylisted, Y,
     "host mx.example.net[198.51.100.7] said: 451 4.7.1 You are grey listed, retry in 5 minutes "
     "(in reply to RCPT "
     "TO command)",
     "greylisting wording variants"},
    {"temporary failure, please try again later", R::kGreylisted, Y,
     "host mx.example.net[198.51.100.7] said: 451 Temporary failure, please try again later. (in "
     "reply to RCPT TO "
     "command)",
     "OpenBSD spamd greylisting reply"},
    // --- reverse DNS (before policy: "Client host rejected: cannot find your hostname")
    {"cannot find your hostname", R::kReverseDns, Y,
     "host mx.example.com[198.51.100.9] said: 450 4.7.1 Client host rejected: cannot find your "
     "hostname, "
     "[203.0.113.9] (in reply to RCPT TO command)",
     "Postfix smtpd/smtpd_check.c reject_unknown_client_hostname"},
    {"cannot find your reverse hostname", R::kReverseDns, Y,
     "host mx.example.com[198.51.100.9] said: 450 4.7.25 Client host rejected: cannot find your "
     "reverse hostname, "
     "[203.0.113.9] (in reply to RCPT TO command)",
     "Postfix smtpd/smtpd_check.c reject_unknown_reverse_client_hostname"},
    {"ptr record", R::kReverseDns, Y,
     "host mx.example.com[198.51.100.9] said: 550-5.7.25 The IP address sending this message does "
     "not have a PTR "
     "record setup (in reply to end of DATA command)",
     "Gmail SMTP error reference 5.7.25"},
    {"dns ptr", R::kReverseDns, Y,
     "host mx.example.de[198.51.100.9] said: 554-Bad DNS PTR resource record. (in reply to initial "
     "greeting)",
     "GMX/Web.de postmaster"},
    {"reverse dns", R::kReverseDns, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.1 Reverse DNS lookup failed for 203.0.113.9 "
     "(in reply to "
     "MAIL FROM command)",
     "common rDNS checks"},
    {"rdns", R::kReverseDns, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.1 rDNS check failed (in reply to MAIL FROM "
     "command)",
     "common rDNS checks"},
    // --- TLS demanded by the remote
    {"starttls command first", R::kTlsRequired, Y,
     "host mx.example.com[198.51.100.9] said: 530 5.7.0 Must issue a STARTTLS command first. (in "
     "reply to MAIL "
     "FROM command)",
     "Gmail SMTP error reference 5.7.0; Postfix smtpd 'Must issue a STARTTLS command first'"},
    {"tls required", R::kTlsRequired, Y,
     "host mx.example.com[198.51.100.9] said: 530 5.7.10 TLS required for this domain (in reply to "
     "MAIL FROM "
     "command)",
     "RFC 5248 X.7.10 'Encryption Needed'"},
    {"encryption required", R::kTlsRequired, Y,
     "host mx.example.com[198.51.100.9] said: 530 5.7.11 Encryption required for requested "
     "authentication "
     "mechanism (in reply to MAIL FROM command)",
     "RFC 5248 X.7.11"},
    // --- named block lists (before "spam": "zen.spamhaus.org")
    {"blocked using", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] said: 554 5.7.1 Service unavailable; Client host "
     "[203.0.113.9] blocked "
     "using zen.spamhaus.org (in reply to RCPT TO command)",
     "Postfix smtpd/smtpd_check.c reject_rbl_client"},
    {"block list", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.1 Unfortunately, messages from [203.0.113.9] "
     "weren't sent. "
     "Please contact your Internet service provider since part of their network is on our block "
     "list (S3150). "
     "(in reply to MAIL FROM command)",
     "Microsoft outlook.com postmaster S3150"},
    {"blocklist", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] said: 554 5.7.1 IP 203.0.113.9 is on a blocklist (in reply "
     "to RCPT TO "
     "command)",
     "common DNSBL replies"},
    {"blacklist", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] said: 554 5.7.1 Rejected, 203.0.113.9 is blacklisted (in "
     "reply to RCPT "
     "TO command)",
     "common DNSBL replies"},
    {"black listed", R::kBlocklisted, Y,
     "host mx.example.de[198.51.100.9] said: 554-IP address is black listed. (in reply to initial "
     "greeting)",
     "GMX/Web.de postmaster"},
    {"denylist", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] said: 554 5.7.1 Client host on denylist (in reply to RCPT "
     "TO command)",
     "common DNSBL replies"},
    {"listed at", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] said: 554 5.7.1 203.0.113.9 listed at bl.spamcop.example "
     "(in reply to "
     "RCPT TO command)",
     "common DNSBL replies"},
    {"listed in", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.1 [BL21] Connections not accepted from "
     "203.0.113.9; listed "
     "in Spamhaus (in reply to MAIL FROM command)",
     "Yahoo/AOL SMTP error codes BL21"},
    {"listed by", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] said: 554 5.7.1 Your address is listed by "
     "dnsbl.example.org (in reply to "
     "RCPT TO command)",
     "common DNSBL replies"},
    {"dnsbl", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.0 Blocked - see "
     "https://ipcheck.example.com/dnsbl-lookup?ip="
     "203.0.113.9 (in reply to MAIL FROM command)",
     "Apple iCloud / Proofpoint postmaster"},
    {"spamhaus", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] said: 553 5.7.1 Connections will not be accepted from "
     "203.0.113.9, "
     "because the ip is in Spamhaus's list (in reply to MAIL FROM command)",
     "Yahoo/AOL SMTP error codes"},
    {"banned sending ip", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.606 Access denied, banned sending IP "
     "[203.0.113.9]. (in "
     "reply to MAIL FROM command)",
     "Microsoft Exchange Online NDR 5.7.606-649"},
    {"block for spam", R::kBlocklisted, Y,
     "host mx.example.net[198.51.100.9] said: 554 5.7.1 example.net block for spam. Please see "
     "https://postmaster.example.net/smtp-error-codes.php#BL000000 (in reply to initial greeting)",
     "Comcast SMTP error codes BL000000"},
    {"[tss09]", R::kBlocklisted, Y,
     "host mx.example.com[198.51.100.9] refused to talk to me: 421 4.7.0 [TSS09] All messages from "
     "203.0.113.9 "
     "will be permanently deferred; Retrying will NOT succeed.",
     "Yahoo/AOL SMTP error codes TSS09"},
    // --- rate limits and volume deferrals
    {"rate limit", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 451 4.7.650 The mail server [203.0.113.9] has been "
     "temporarily rate "
     "limited due to IP reputation. (in reply to MAIL FROM command)",
     "Microsoft Exchange Online NDR 4.7.650"},
    {"ratelimit", R::kRateLimited, Y,
     "host mx.example.ru[198.51.100.9] said: 451 Ratelimit exceeded for mailbox alice@example.ru "
     "(in reply to RCPT "
     "TO command)",
     "Mail.ru postmaster"},
    {"rate-limit", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 450 4.7.1 rate-limited, try later (in reply to RCPT "
     "TO command)",
     "common rate-limit replies"},
    {"unusual rate", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 421-4.7.28 Our system has detected an unusual rate "
     "of unsolicited "
     "mail originating from your IP address (in reply to end of DATA command)",
     "Gmail SMTP error reference 4.7.28"},
    {"receiving mail at a rate", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 450-4.2.1 The user you are trying to contact is "
     "receiving mail at a "
     "rate that prevents additional messages from being delivered (in reply to RCPT TO command)",
     "Gmail SMTP error reference 4.2.1"},
    {"receiving mail too quickly", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 450-4.2.1 The user you are trying to contact is "
     "receiving mail too "
     "quickly (in reply to RCPT TO command)",
     "Gmail SMTP error reference 4.2.1"},
    {"unexpected volume", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] refused to talk to me: 421 4.7.0 [TSS04] Messages from "
     "203.0.113.9 "
     "temporarily deferred due to unexpected volume or user complaints - 4.16.55.1",
     "Yahoo/AOL SMTP error codes TSS04"},
    {"temporarily deferred", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 421 4.7.0 [TS01] Messages from 203.0.113.9 "
     "temporarily deferred "
     "(in reply to MAIL FROM command)",
     "Yahoo/AOL SMTP error codes"},
    {"server busy", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 451 4.7.500 Server busy. Please try again later from "
     "[203.0.113.9]. (S77714) (in reply to MAIL FROM command)",
     "Microsoft Exchange Online NDR 4.7.500-699"},
    {"too many hops", R::kOther, Y,
     "host mx.example.com[198.51.100.9] said: 554 5.4.6 Too many hops (in reply to end of DATA "
     "command)",
     "RFC 5321 loop detection (not a rate limit)"},
    {"too many", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 450 4.7.1 <alice@example.com>: Recipient address "
     "rejected: too many "
     "messages, slow down (in reply to RCPT TO command)",
     "Postfix-based MX with a policy rate limit; Orange 'Too many connections' OFR005"},
    {"slow down", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 421 4.7.0 Slow down (in reply to MAIL FROM command)",
     "common rate-limit replies"},
    {"throttl", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 421 4.7.0 Throttled, try again later (in reply to "
     "MAIL FROM command)",
     "common rate-limit replies"},
    {"too much mail", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 452 4.2.2 Too much mail from 203.0.113.9 (in reply "
     "to RCPT TO "
     "command)",
     "common rate-limit replies"},
    {"too fast", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 421 4.7.0 You are sending too fast (in reply to MAIL "
     "FROM command)",
     "common rate-limit replies"},
    {"#rl0", R::kRateLimited, Y,
     "host mx.example.net[198.51.100.9] said: 421 4.7.0 example.net Too busy for 203.0.113.9. "
     "Please see "
     "https://postmaster.example.net/smtp-error-codes.php#RL000001 (in reply to MAIL FROM command)",
     "Comcast SMTP error codes RL000001"},
    {"maximum number of concurrent", R::kRateLimited, Y,
     "host mx.example.com[198.51.100.9] said: 421 4.3.2 The maximum number of concurrent server "
     "connections has "
     "exceeded a limit, closing transmission channel (in reply to MAIL FROM command)",
     "Microsoft Exchange Online NDR 4.3.2"},
    {"sorry, the service is currently unavailable", R::kRateLimited, Y,
     "host mx.example.ru[198.51.100.9] said: 451 4.7.1 Sorry, the service is currently "
     "unavailable. Please come "
     "back later. (in reply to end of DATA command)",
     "Yandex postmaster (sending limits)"},
    // --- sender authentication (SPF/DKIM/DMARC)
    {"dmarc", R::kAuthentication, Y,
     "host mx.example.com[198.51.100.9] said: 550-5.7.26 Unauthenticated email from example.org is "
     "not accepted due "
     "to domain's DMARC policy (in reply to end of DATA command)",
     "Gmail SMTP error reference 5.7.26"},
    {"dkim", R::kAuthentication, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.20 No passing DKIM signature found (in reply "
     "to end of DATA "
     "command)",
     "RFC 7372 X.7.20"},
    {"spf", R::kAuthentication, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.23 SPF validation failed for example.org (in "
     "reply to "
     "MAIL FROM command)",
     "RFC 7372 X.7.23"},
    {"unauthenticated", R::kAuthentication, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.9 This mail has been blocked because the "
     "sender is "
     "unauthenticated. (in reply to end of DATA command)",
     "Yahoo/AOL SMTP error codes 5.7.9; Gmail 5.7.26"},
    {"authentication level", R::kAuthentication, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.515 Access denied, sending domain "
     "example.org does not meet "
     "the required authentication level. (in reply to end of DATA command)",
     "Microsoft Exchange Online NDR 5.7.515"},
    // --- unknown recipient
    {"as(201806281)", R::kUnknownUser, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.4.1 Recipient address rejected: Access denied. "
     "AS(201806281) "
     "(in reply to RCPT TO command)",
     "Microsoft Exchange Online NDR 5.4.1 (directory-based edge blocking)"},
    {"user unknown", R::kUnknownUser, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.1.1 <alice@example.com>: Recipient address "
     "rejected: User "
     "unknown in virtual mailbox table (in reply to RCPT TO command)",
     "Postfix smtpd/smtpd_check.c"},
    {"unknown user", R::kUnknownUser, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.1.1 Unknown user alice@example.com (in reply "
     "to RCPT TO "
     "command)",
     "common replies"},
    {"no such user", R::kUnknownUser, Y,
     "host mx.example.ru[198.51.100.9] said: 550 5.7.1 No such user! (in reply to RCPT TO command)",
     "Yandex postmaster"},
    {"does not exist", R::kUnknownUser, Y,
     "host mx.example.com[198.51.100.9] said: 550-5.1.1 The email account that you tried to reach "
     "does not exist. "
     "(in reply to RCPT TO command)",
     "Gmail SMTP error reference 5.1.1"},
    {"doesn't exist", R::kUnknownUser, Y,
     "host mail.example.com[private/dovecot-lmtp] said: 550 5.1.1 <bob@example.com> User doesn't "
     "exist: "
     "bob@example.com (in reply to RCPT TO command)",
     "Dovecot lmtp (observed 2.3.19)"},
    {"user not found", R::kUnknownUser, Y,
     "host mx.example.ru[198.51.100.9] said: 550 Message was not accepted -- invalid mailbox. "
     "Local mailbox "
     "alice@example.ru is unavailable: user not found (in reply to end of DATA command)",
     "Mail.ru postmaster"},
    {"recipient not found", R::kUnknownUser, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient "
     "not found by "
     "SMTP address lookup (in reply to RCPT TO command)",
     "Microsoft Exchange Online NDR 5.1.10"},
    {"mailbox not found", R::kUnknownUser, Y,
     "host mx.example.com[198.51.100.9] said: 552 1 Requested mail action aborted, mailbox not "
     "found (in reply to "
     "end of DATA command)",
     "Yahoo/AOL SMTP error codes 552"},
    {"mailbox unavailable", R::kUnknownUser, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.5.0 Requested action not taken: mailbox "
     "unavailable (in reply "
     "to RCPT TO command)",
     "Microsoft outlook.com; GMX/Web.de postmaster"},
    {"invalid recipient", R::kUnknownUser, Y,
     "host mx.example.fr[198.51.100.9] said: 550 5.2.0 Invalid recipient. OFR_416 [416] (in reply "
     "to RCPT TO "
     "command)",
     "Orange postmaster OFR_416"},
    {"invalid mailbox", R::kUnknownUser, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.1.1 Invalid mailbox (in reply to RCPT TO "
     "command)",
     "common replies"},
    {"not our customer", R::kUnknownUser, Y,
     "host mx.example.net[198.51.100.9] said: 550 5.1.1 <alice@example.net> Not our Customer (in "
     "reply to RCPT TO "
     "command)",
     "Comcast SMTP error codes"},
    {"undeliverable address", R::kUnknownUser, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.1.1 <alice@example.com>: Recipient address "
     "rejected: "
     "undeliverable address: host mx2.example.com said: 550 unknown (in reply to RCPT TO command)",
     "Postfix smtpd reject_unverified_recipient"},
    // --- mailbox full (before "size limit" and "too large")
    {"quota", R::kMailboxFull, Y,
     "host mx.example.com[198.51.100.9] said: 452-4.2.2 The email account that you tried to reach "
     "is over quota. "
     "(in reply to RCPT TO command)",
     "Gmail SMTP error reference 4.2.2; Dovecot lmtp 'Quota exceeded (mailbox for user is full)'"},
    {"mailbox full", R::kMailboxFull, Y,
     "host mx.example.com[198.51.100.9] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command)",
     "RFC 3463 X.2.2"},
    {"mailbox is full", R::kMailboxFull, Y,
     "host mx.example.com[198.51.100.9] said: 552 5.2.2 Mailbox is full (in reply to end of DATA "
     "command)",
     "common replies"},
    {"mailbox size limit", R::kMailboxFull, Y,
     "host mx.example.ru[198.51.100.9] said: 552 5.2.2 Mailbox size limit exceeded (in reply to "
     "end of DATA command)",
     "Yandex postmaster"},
    {"insufficient storage", R::kMailboxFull, Y,
     "host mx.example.com[198.51.100.9] said: 452 4.2.2 Insufficient storage (in reply to RCPT TO "
     "command)",
     "common replies"},
    {"out of storage", R::kMailboxFull, Y,
     "host mx.example.com[198.51.100.9] said: 552 5.2.2 Recipient is out of storage space (in "
     "reply to RCPT TO "
     "command)",
     "common replies"},
    {"file too large", R::kMailboxFull, Y,
     "cannot update mailbox /var/mail/alice for user alice. error writing message: File too large",
     "Postfix local/mailbox.c (mailbox_size_limit)"},
    // --- message too big
    {"size exceed", R::kMessageTooBig, Y,
     "host mx.example.com[198.51.100.9] said: 554 30 Sorry, your message size exceeds 41943040 "
     "bytes. (in reply "
     "to end of DATA command)",
     "Yahoo/AOL SMTP error codes"},
    {"size limit", R::kMessageTooBig, Y,
     "host mx.example.com[198.51.100.9] said: 552-5.2.3 Your message exceeded Google's message "
     "size limits. (in "
     "reply to end of DATA command)",
     "Gmail SMTP error reference 5.2.3"},
    {"too large", R::kMessageTooBig, Y,
     "host mx.example.com[198.51.100.9] said: 552 5.3.4 Message too large (in reply to end of DATA "
     "command)",
     "RFC 3463 X.3.4"},
    {"too big", R::kMessageTooBig, Y,
     "host mx.example.com[198.51.100.9] said: 552 5.3.4 Message too big for system (in reply to "
     "end of DATA "
     "command)",
     "RFC 3463 X.3.4"},
    // --- reputation (after named lists: "spamhaus" is a list)
    {"reputation", R::kReputation, Y,
     "host mx.example.com[198.51.100.9] said: 421-4.7.0 This message is suspicious due to the very "
     "low reputation "
     "of the sending IP address. (in reply to end of DATA command)",
     "Gmail SMTP error reference 4.7.0"},
    {"unsolicited", R::kReputation, Y,
     "host mx.example.com[198.51.100.9] said: 550-5.7.1 Our system has detected that this message "
     "is likely "
     "unsolicited mail. (in reply to end of DATA command)",
     "Gmail SMTP error reference 5.7.1"},
    {"spam", R::kReputation, Y,
     "host mx.example.ru[198.51.100.9] said: 554 5.7.1 [2] Message rejected under suspicion of "
     "SPAM (in reply to "
     "end of DATA command)",
     "Yandex postmaster; Mail.ru 'spam message rejected'"},
    {"traffic not accepted", R::kReputation, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.708 Service unavailable. Access denied, "
     "traffic not "
     "accepted from this IP. (in reply to MAIL FROM command)",
     "Microsoft Exchange Online NDR 5.7.708"},
    // --- DNS trouble seen by the remote
    {"domain not found", R::kDns, Y,
     "host mx.example.com[198.51.100.9] said: 450 4.1.8 <bob@example.org>: Sender address "
     "rejected: Domain not "
     "found (in reply to RCPT TO command)",
     "Postfix smtpd reject_unknown_sender_domain"},
    {"host not found", R::kDns, Y,
     "host mx.example.com[198.51.100.9] said: 450 4.1.2 <alice@example.com>: Recipient address "
     "rejected: Host not "
     "found (in reply to RCPT TO command)",
     "Postfix smtpd reject_unknown_recipient_domain"},
    // --- other remote policy
    {"relay access denied", R::kPolicy, Y,
     "host mx.example.com[198.51.100.9] said: 554 5.7.1 <alice@example.com>: Relay access denied "
     "(in reply to RCPT "
     "TO command)",
     "Postfix smtpd/smtpd_check.c"},
    {"policy", R::kPolicy, Y,
     "host mx.example.com[198.51.100.9] said: 554 5.7.1 [CS01] Message rejected due to local "
     "policy (in reply to "
     "end of DATA command)",
     "Apple iCloud postmaster CS01; Yahoo 5.7.9 'not accepted for policy reasons'"},
    {"access denied", R::kPolicy, Y,
     "host mx.example.com[198.51.100.9] said: 554 5.7.1 <unknown[203.0.113.9]>: Client host "
     "rejected: Access "
     "denied (in reply to RCPT TO command)",
     "Postfix smtpd access(5) REJECT"},
    {"not permitted", R::kPolicy, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.1 Relaying not permitted (in reply to RCPT "
     "TO command)",
     "common replies"},
    {"not allowed", R::kPolicy, Y,
     "host mx.example.com[198.51.100.9] said: 550 5.7.1 Sender not allowed (in reply to MAIL FROM "
     "command)",
     "common replies"},
    {"not authorized", R::kPolicy, Y,
     "host mx.example.com[198.51.100.9] said: 550-5.7.1 The IP you're using to send mail is not "
     "authorized to send "
     "email directly to our servers. (in reply to MAIL FROM command)",
     "Gmail SMTP error reference 5.7.1"},
    {"rejected", R::kPolicy, Y,
     "host mx.example.com[198.51.100.9] said: 450 4.7.1 <alice@example.com>: Recipient address "
     "rejected: "
     "Temporarily blocked (in reply to RCPT TO command)",
     "Postfix smtpd access(5) replies"},
    // --- a remote TLS complaint that is not a demand for TLS
    {" tls", R::kTls, Y,
     "host mx.example.com[198.51.100.9] said: 454 4.7.0 TLS not available due to local problem (in "
     "reply to "
     "STARTTLS command)",
     "Postfix smtpd 'TLS not available due to local problem'"},
};

constexpr std::size_t kRuleCount = sizeof(kRules) / sizeof(kRules[0]);

constexpr std::array<std::string_view, kDeliveryReasonCount> kNames = {"none",
                                                                       "rate_limited",
                                                                       "greylisted",
                                                                       "blocklisted",
                                                                       "reputation",
                                                                       "authentication",
                                                                       "reverse_dns",
                                                                       "tls_required",
                                                                       "tls",
                                                                       "unknown_user",
                                                                       "mailbox_full",
                                                                       "message_too_big",
                                                                       "policy",
                                                                       "dns",
                                                                       "connect_timeout",
                                                                       "connect_refused",
                                                                       "no_route",
                                                                       "greeting_timeout",
                                                                       "body_timeout",
                                                                       "conversation_timeout",
                                                                       "connection_lost",
                                                                       "suspended",
                                                                       "other"};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// A hashed set of the byte pairs of a text, so most rows are rejected with two
// bit tests instead of a substring search.
constexpr std::size_t kPairBits = 4096;
inline std::size_t PairHash(char a, char b) {
  return ((static_cast<unsigned char>(a) * 31u) ^ static_cast<unsigned char>(b) * 131u) &
         (kPairBits - 1);
}

struct RuleKey {
  std::uint16_t first = 0, last = 0;
};

struct RuleKeys {
  std::array<RuleKey, kRuleCount> keys{};
  RuleKeys() {
    for (std::size_t i = 0; i < kRuleCount; ++i) {
      const std::string_view l = kRules[i].literal;
      const bool fold = kRules[i].scope == ReasonScope::kReply;
      auto at = [&](std::size_t k) { return fold ? Lower(l[k]) : l[k]; };
      keys[i].first = static_cast<std::uint16_t>(PairHash(at(0), at(1)));
      keys[i].last = static_cast<std::uint16_t>(PairHash(at(l.size() - 2), at(l.size() - 1)));
    }
  }
};

const RuleKeys& Keys() {
  static const RuleKeys k;
  return k;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "4.7.1" at the start of `s` (after an optional "NNN " or "NNN-" reply code).
std::string_view EnhancedAfterCode(std::string_view s) {
  if (s.size() >= 4 && IsDigit(s[0]) && IsDigit(s[1]) && IsDigit(s[2]) &&
      (s[3] == ' ' || s[3] == '-')) {
    s.remove_prefix(4);
  }
  std::size_t n = 0;
  while (n < s.size() && (IsDigit(s[n]) || s[n] == '.')) ++n;
  const std::string_view code = s.substr(0, n);
  return DsnClass(code) == "unknown" ? std::string_view{} : code;
}

// The detail of a code: "4.7.28" -> "7.28".
std::string_view Detail(std::string_view dsn) {
  return dsn.size() > 2 ? dsn.substr(2) : std::string_view{};
}

// When no wording decides, the enhanced status code's subject and detail do (RFC 3463, RFC 5248,
// RFC 7372). First match wins; "7." as a prefix is any other security or policy status, from a
// remote server only.
constexpr ReasonCodeRule kCodeRules[] = {
    {Anchor::kEquals, "1.1", R::kUnknownUser, false, "5.1.1",
     "RFC 3463 X.1.1 bad destination mailbox address"},
    {Anchor::kEquals, "1.10", R::kUnknownUser, false, "5.1.10",
     "RFC 7505 X.1.10 recipient address has null MX"},
    {Anchor::kEquals, "2.2", R::kMailboxFull, false, "4.2.2", "RFC 3463 X.2.2 mailbox full"},
    {Anchor::kEquals, "2.3", R::kMessageTooBig, false, "5.2.3",
     "RFC 3463 X.2.3 message length exceeds limit"},
    {Anchor::kEquals, "3.4", R::kMessageTooBig, false, "5.3.4",
     "RFC 3463 X.3.4 message too big for system"},
    {Anchor::kEquals, "7.20", R::kAuthentication, false, "5.7.20",
     "RFC 7372 X.7.20 no passing DKIM signature"},
    {Anchor::kEquals, "7.21", R::kAuthentication, false, "5.7.21",
     "RFC 7372 X.7.21 no acceptable DKIM signature"},
    {Anchor::kEquals, "7.22", R::kAuthentication, false, "5.7.22",
     "RFC 7372 X.7.22 no valid author-matched DKIM"},
    {Anchor::kEquals, "7.23", R::kAuthentication, false, "5.7.23",
     "RFC 7372 X.7.23 SPF validation failed"},
    {Anchor::kEquals, "7.24", R::kAuthentication, false, "4.7.24",
     "RFC 7372 X.7.24 SPF validation error"},
    {Anchor::kEquals, "7.26", R::kAuthentication, false, "5.7.26",
     "RFC 7372 X.7.26 multiple authentication checks failed"},
    {Anchor::kEquals, "7.25", R::kReverseDns, false, "5.7.25",
     "RFC 7372 X.7.25 reverse DNS validation failed"},
    {Anchor::kEquals, "7.28", R::kRateLimited, false, "4.7.28",
     "Gmail SMTP error reference 4.7.28 (rate of unsolicited mail)"},
    {Anchor::kEquals, "7.10", R::kTlsRequired, false, "5.7.10",
     "RFC 5248 X.7.10 encryption needed"},
    {Anchor::kEquals, "7.11", R::kTlsRequired, false, "5.7.11",
     "RFC 5248 X.7.11 encryption required for the mechanism"},
    {Anchor::kEquals, "4.3", R::kDns, false, "4.4.3", "RFC 3463 X.4.3 directory server failure"},
    {Anchor::kEquals, "4.4", R::kDns, false, "5.4.4", "RFC 3463 X.4.4 unable to route"},
    {Anchor::kPrefix, "7.", R::kPolicy, true, "4.7.1",
     "RFC 3463 X.7.x security or policy status (a remote's)"},
};

DeliveryReason ByCode(std::string_view dsn, bool remote) {
  const std::string_view d = Detail(dsn);
  for (const ReasonCodeRule& r : kCodeRules) {
    if ((!r.remote_only || remote) && Holds(r.anchor, d, r.literal)) return r.reason;
  }
  return R::kOther;
}

ReasonMatch Match(std::string_view dsn, std::string_view text) {
  // Split off the remote reply ("host H said: 450 ..." / "refused to talk to me: 421 ...").
  std::string_view own = text;
  std::string_view reply = text;
  bool remote = false;
  for (std::string_view marker :
       {std::string_view(" said: "), std::string_view("refused to talk to me: ")}) {
    if (const std::size_t at = text.find(marker); at != std::string_view::npos) {
      own = text.substr(0, at);
      reply = text.substr(at + marker.size());
      remote = true;
      break;
    }
  }
  char lower[1024];
  const std::size_t n = std::min(reply.size(), sizeof lower);
  std::bitset<kPairBits> pairs_reply, pairs_own;
  for (std::size_t i = 0; i < n; ++i) {
    lower[i] = Lower(reply[i]);
    if (i > 0) pairs_reply.set(PairHash(lower[i - 1], lower[i]));
  }
  for (std::size_t i = 1; i < own.size(); ++i) pairs_own.set(PairHash(own[i - 1], own[i]));
  const std::string_view folded(lower, n);
  const RuleKeys& keys = Keys();
  for (std::size_t i = 0; i < kRuleCount; ++i) {
    const ReasonRule& r = kRules[i];
    const bool in_reply = r.scope == ReasonScope::kReply;
    const auto& pairs = in_reply ? pairs_reply : pairs_own;
    if (!pairs.test(keys.keys[i].first) || !pairs.test(keys.keys[i].last)) continue;
    if ((in_reply ? folded : own).find(r.literal) != std::string_view::npos) {
      return {r.reason, static_cast<int>(i)};
    }
  }
  if (dsn.empty() && remote) dsn = EnhancedAfterCode(reply);
  return {ByCode(dsn, remote), -1};
}

}  // namespace

std::string_view DeliveryReasonName(DeliveryReason r) {
  const auto i = static_cast<std::size_t>(r);
  return i < kNames.size() ? kNames[i] : "other";
}

const std::array<DeliveryReason, kDeliveryReasonCount>& AllDeliveryReasons() {
  static const std::array<DeliveryReason, kDeliveryReasonCount> all = [] {
    std::array<DeliveryReason, kDeliveryReasonCount> a{};
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<DeliveryReason>(i);
    return a;
  }();
  return all;
}

std::span<const ReasonRule> DeliveryReasonRules() { return {kRules, kRuleCount}; }

std::span<const ReasonCodeRule> DeliveryReasonCodeRules() { return kCodeRules; }

ReasonMatch MatchDeliveryReason(std::string_view dsn, std::string_view text) {
  constexpr std::string_view kSuspended = "delivery temporarily suspended: ";
  const bool suspended = text.starts_with(kSuspended);
  if (suspended) text.remove_prefix(kSuspended.size());
  if (text.find_first_not_of(" \t") == std::string_view::npos) {
    return {suspended ? R::kSuspended : R::kNone, -1};
  }
  ReasonMatch m = Match(dsn, text);
  if (suspended && m.reason == R::kOther && m.rule < 0) m.reason = R::kSuspended;
  return m;
}

std::string_view DsnClass(std::string_view dsn) {
  static constexpr std::string_view kClasses[3][8] = {
      {"2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"},
      {"4.0", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7"},
      {"5.0", "5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7"}};
  if (dsn.size() < 5 || dsn[1] != '.' || !IsDigit(dsn[2]) || dsn[3] != '.' || !IsDigit(dsn[4]))
    return "unknown";
  const int c = dsn[0] == '2' ? 0 : dsn[0] == '4' ? 1 : dsn[0] == '5' ? 2 : -1;
  const int s = dsn[2] - '0';
  if (c < 0 || s > 7) return "unknown";
  return kClasses[c][s];
}

}  // namespace mailpath::logs::classify
