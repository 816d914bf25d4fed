// The Dovecot line wordings: one row each, walked by ClassifyDovecot for the
// process class the line's process belongs to.
#include "mailpath/logs/classify/dovecot_event.h"

namespace mailpath::logs::classify {
namespace {

using P = DovecotProcessClass;
using K = DovecotKind;
using X = DovecotExtractor;
constexpr Anchor kP = Anchor::kPrefix;
constexpr Anchor kC = Anchor::kContains;

// Sources: dovecot/core 2.3.19 and 2.4.1 (file named), lines observed from Dovecot 2.3.19.1 (Debian
// 12) and 2.4.1 (Debian 13) in tests/fixtures/logs/dovecot/, anonymised.
constexpr DovecotRule kRules[] = {
    // --- login processes (src/login-common/client-common.c, client-common-auth.c)
    {P::kLogin, kP, "Login: ", "", K::kLogin, "", X::kLogin,
     "imap-login: Info: Login: user=<alice@example.com>, method=PLAIN, rip=192.0.2.1, "
     "lip=192.0.2.2, mpid=12503, "
     "TLS, session=<0nOket1gMq1/AAAB>",
     "Dovecot 2.3 login-common/client-common.c (observed 2.3.19)"},
    {P::kLogin, kP, "Logged in: ", "", K::kLogin, "", X::kLogin,
     "imap-login: Info: Logged in: user=<alice@example.com>, method=PLAIN, rip=192.0.2.1, "
     "lip=192.0.2.2, "
     "mpid=4242, TLS, session=<Xy7kQ2aBcD3eFgHi>",
     "Dovecot 2.4 login-common/client-common.c (observed 2.4.1)"},
    {P::kLogin, kP, "Authenticate ", "", K::kKnownIgnored, "", X::kNone,
     "imap-login: Info: Authenticate PLAIN failed: Aborted: Connection closed: user=<>, "
     "method=PLAIN, "
     "rip=192.0.2.2, lip=192.0.2.1, session=<gC7H339hbY1/AAAB>",
     "Dovecot 2.4 login-common/client-common-auth.c (precedes the Login aborted line that counts)"},
    {P::kLogin, kP, "Disconnected", "", K::kLoginFailure, "", X::kLoginFailure,
     "imap-login: Info: Disconnected: Connection closed (no auth attempts in 0 secs): user=<>, "
     "rip=192.0.2.3, "
     "lip=192.0.2.1, secured, session=<ah6Ket1gMq1/AAAB>",
     "Dovecot 2.3.15+ login-common/client-common.c (observed 2.3.19)"},
    {P::kLogin, kP, "Aborted login", "", K::kLoginFailure, "", X::kLoginFailure,
     "imap-login: Info: Aborted login (auth failed, 1 attempts in 2 secs): "
     "user=<alice@example.com>, method=PLAIN, "
     "rip=192.0.2.1, lip=192.0.2.1, TLS, session=<mYipet1gNq1/AAAB>",
     "Dovecot <= 2.3.14 login-common/client-common.c"},
    {P::kLogin, kP, "Login aborted", "", K::kLoginFailure, "", X::kLoginFailure,
     "imap-login: Info: Login aborted: Logged out (auth failed, 1 attempts in 0 secs) "
     "(auth_failed): "
     "user=<alice@example.com>, method=PLAIN, rip=192.0.2.1, lip=192.0.2.2, TLS, "
     "session=<sVuI339hNth/AAAB>",
     "Dovecot 2.4 login-common/client-common.c (observed 2.4.1)"},
    {P::kLogin, kP, "Login failed", "", K::kLoginFailure, "", X::kLoginFailure,
     "imap-login: Info: Login failed: Plaintext authentication disabled: user=<>, rip=192.0.2.62, "
     "lip=192.0.2.1, "
     "session=<s9Y2h91gFZd/AAA+>",
     "Dovecot 2.3.15+ (observed 2.3.19)"},
    // --- auth and auth-worker with auth_verbose=yes (src/auth/passdb-*.c)
    {P::kAuth, kC, "Password mismatch", "", K::kAuthResult, "password_mismatch", X::kPassdb,
     "auth: Info: passwd-file(alice@example.com,192.0.2.1,<gYipet1gNq1/AAAB>): Password mismatch",
     "Dovecot 2.3 auth/passdb-passwd-file.c (observed 2.3.19)"},
    {P::kAuth, kC, "password mismatch", "", K::kAuthResult, "password_mismatch", X::kPassdb,
     "auth-worker(4242): Info: pam(bob,192.0.2.44,<Ab12Cd34Ef56Gh78>): pam_authenticate() failed: "
     "Authentication "
     "failure (password mismatch?)",
     "Dovecot 2.3 auth/passdb-pam.c"},
    {P::kAuth, kC, "unknown user", "", K::kAuthResult, "unknown_user", X::kPassdb,
     "auth: Info: passwd-file(carol@example.com,192.0.2.5,<hYipet1gNq1/AAAB>): unknown user",
     "Dovecot 2.3 auth/passdb-passwd-file.c (observed 2.3.19)"},
    {P::kAuth, kP, "", "", K::kAuthResult, "other", X::kPassdb,
     "auth(alice@example.com,192.0.2.44,sasl:login)<Xy7kQ2aBcD3eFgHi>: Info: sql: Account is "
     "disabled",
     "Dovecot 2.4 auth/passdb-sql.c (any other passdb verdict)"},
    // --- master (src/master/service-monitor.c, main.c)
    {P::kMaster, kP, "service(", ") reached", K::kMasterLimit, "", X::kMasterLimit,
     "master: Warning: service(imap-login): process_limit (100) reached, client connections are "
     "being dropped",
     "Dovecot 2.3 master/service-monitor.c (observed 2.3.19)"},
    {P::kMaster, kP, "Dovecot v", "", K::kKnownIgnored, "", X::kNone,
     "master: Info: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3, lmtp",
     "Dovecot master/main.c"},
    {P::kMaster, kC, "Killed with signal", "", K::kKnownIgnored, "", X::kNone,
     "master: Warning: Killed with signal 15 (by pid=1 uid=0 code=kill)", "Dovecot master/main.c"},
    // --- lmtp and its Sieve (src/lmtp/lmtp-local.c, pigeonhole sieve)
    {P::kLmtp, kP, "msgid=", ": saved mail to ", K::kLmtpDelivery, "", X::kLmtpMessage,
     "lmtp(alice@example.com)<10478><2XftDyHuAmvuKAAAg+zDdQ>: Info: msgid=<m1@example.org>: saved "
     "mail to INBOX",
     "Dovecot lmtp/lmtp-local.c (observed 2.3.19)"},
    {P::kLmtp, kP, "msgid=", "save failed", K::kLmtpFailure, "", X::kLmtpMessage,
     "lmtp(alice@example.com)<10478><2XftDyHuAmvuKAAAg+zDdQ>: Error: msgid=<m2@example.org>: save "
     "failed to INBOX: "
     "Quota exceeded (mailbox for user is full)",
     "Dovecot lmtp/lmtp-local.c"},
    {P::kLmtp, kP, "msgid=", "Quota", K::kLmtpFailure, "", X::kLmtpMessage,
     "lmtp(alice@example.com)<10478><2XftDyHuAmvuKAAAg+zDdQ>: Error: msgid=<m3@example.org>: Quota "
     "exceeded "
     "(mailbox for user is full)",
     "Dovecot lmtp/lmtp-local.c with the quota plugin"},
    {P::kLmtp, kP, "msgid=", "", K::kKnownIgnored, "", X::kLmtpMessage,
     "lmtp(alice@example.com)<10478><2XftDyHuAmvuKAAAg+zDdQ>: Info: msgid=<m4@example.org>: "
     "forwarded to "
     "<bob@example.net>",
     "Dovecot lmtp/lmtp-local.c (other per-message notes)"},
    {P::kLmtp, kP, "sieve: msgid=", "stored mail into mailbox", K::kLmtpDelivery, "",
     X::kLmtpMessage,
     "lmtp(alice@example.com)<10478><2XftDyHuAmvuKAAAg+zDdQ>: Info: sieve: msgid=<m5@example.org>: "
     "stored mail "
     "into mailbox 'INBOX'",
     "Pigeonhole sieve (observed 2.3.19)"},
    {P::kLmtp, kP, "sieve: msgid=", "failed to store", K::kLmtpFailure, "", X::kLmtpMessage,
     "lmtp(alice@example.com)<10478><2XftDyHuAmvuKAAAg+zDdQ>: Error: sieve: "
     "msgid=<m6@example.org>: failed to "
     "store into mailbox 'Junk': Mailbox doesn't exist: Junk",
     "Pigeonhole sieve; issue 16"},
    {P::kLmtp, kP, "sieve: msgid=", "", K::kKnownIgnored, "", X::kLmtpMessage,
     "lmtp(alice@example.com)<10478><2XftDyHuAmvuKAAAg+zDdQ>: Info: sieve: msgid=<m7@example.org>: "
     "discarded",
     "Pigeonhole sieve (other actions)"},
    {P::kLmtp, kP, "Connect from ", "", K::kKnownIgnored, "", X::kNone,
     "lmtp(10478): Info: Connect from local", "Dovecot lmtp/client.c (observed 2.3.19)"},
    {P::kLmtp, kP, "Disconnect from ", "", K::kKnownIgnored, "", X::kNone,
     "lmtp(10478): Info: Disconnect from local: Logged out (state=READY)",
     "Dovecot lmtp/client.c (observed 2.3.19; makes the session's pending failures final)"},
    {P::kLmtp, kC, "Quota exceeded", "", K::kLmtpFailure, "", X::kNone,
     "lmtp(alice@example.com)<10478><2XftDyHuAmvuKAAAg+zDdQ>: Error: Quota exceeded (mailbox for "
     "user is full)",
     "Dovecot lmtp with the quota plugin (no msgid)"},
    {P::kLmtp, kC, "save failed", "", K::kLmtpFailure, "", X::kNone,
     "lmtp(alice@example.com)<10478><2XftDyHuAmvuKAAAg+zDdQ>: Error: save failed to INBOX: "
     "Internal error",
     "Dovecot lmtp/lmtp-local.c (no msgid)"},
    // --- mail processes' session ends (src/imap/imap-client.c, pop3/pop3-client.c, ...)
    {P::kMail, kP, "Disconnected: ", "", K::kSessionEnd, "", X::kSessionEnd,
     "imap(alice@example.com)<12503><0nOket1gMq1/AAAB>: Info: Disconnected: Logged out in=32 "
     "out=822",
     "Dovecot 2.3 imap/imap-client.c (observed 2.3.19)"},
    {P::kMail, kP, "Disconnected ", "", K::kSessionEnd, "", X::kSessionEnd,
     "pop3(bob@example.com)<12504><1nOket1gMq1/AAAB>: Info: Disconnected for inactivity top=0/0, "
     "retr=1/1459, "
     "del=0/1, size=1459",
     "Dovecot 2.3 pop3/pop3-client.c"},
    {P::kMail, kP, "Logged out", "in=", K::kSessionEnd, "", X::kSessionEndWhole,
     "imap(alice@example.com)<4242><Xy7kQ2aBcD3eFgHi>: Info: Logged out in=32 out=822 deleted=0 "
     "expunged=0",
     "Dovecot 2.4 imap/imap-client.c (observed 2.4.1)"},
    {P::kMail, kP, "Connection closed", "in=", K::kSessionEnd, "", X::kSessionEndWhole,
     "imap(alice@example.com)<4243><Yy7kQ2aBcD3eFgHi>: Info: Connection closed (IDLE running for "
     "0.001 + waiting "
     "input for 28.5 secs) in=44 out=1019",
     "Dovecot 2.4 imap/imap-client.c"},
    {P::kMail, kP, "Logged out", " size=", K::kSessionEnd, "", X::kSessionEndWhole,
     "pop3(bob@example.com)<4244><Zy7kQ2aBcD3eFgHi>: Info: Logged out top=0/0, retr=1/1459, "
     "del=0/1, size=1459",
     "Dovecot 2.4 pop3/pop3-client.c"},
    {P::kMail, kP, "Connection closed", " size=", K::kSessionEnd, "", X::kSessionEndWhole,
     "pop3(bob@example.com)<4245><ay7kQ2aBcD3eFgHi>: Info: Connection closed top=0/0, retr=0/0, "
     "del=0/1, size=1459",
     "Dovecot 2.4 pop3/pop3-client.c"},
};

// Dovecot's own words for a pre-login TLS failure, and an OpenSSL alert about our certificate that
// OpenSslReasons (openssl_reason.h, read first) does not name (login-common/client-common.c).
constexpr LiteralRow kTlsCauses[] = {
    {kC, "certificate", "certificate_rejected",
     "SSL_accept() failed: error:0A000415:SSL routines::sslv3 alert certificate expired: SSL alert "
     "number 45",
     "OpenSSL 3.0 (another alert about our certificate)"},
    {kC, "timed out", "timeout", "TLS handshaking: Connection timed out",
     "Dovecot login-common (%m)"},
    {kC, "Timeout", "timeout", "TLS handshaking: Timeout", "Dovecot login-common"},
    {kC, "Connection closed", "connection_closed", "TLS handshaking: Connection closed",
     "Dovecot 2.3 login-common/client-common.c (observed 2.3.19)"},
    {kC, "Connection reset", "connection_closed", "TLS handshaking: Connection reset by peer",
     "Dovecot login-common (%m)"},
    {kC, "tls_handshake_not_finished", "connection_closed",
     "Logged out (tls_handshake_not_finished)", "Dovecot 2.4 client-common.c event reason"},
    {kC, "during TLS handshake", "connection_closed",
     "Login aborted: Logged out (disconnected during TLS handshake)",
     "Dovecot 2.4.1 (with Connection closed, observed on Debian 13)"},
};

// Why a logged-in session ended, from the text Dovecot wrote first.
constexpr LiteralRow kSessionEndLabels[] = {
    {kP, "Logged out", "logged_out", "Logged out", "Dovecot imap/imap-client.c (observed 2.3.19)"},
    {kP, "Connection closed", "connection_closed", "Connection closed",
     "Dovecot imap/imap-client.c"},
    {kC, "nactivity", "inactivity", "Disconnected for inactivity", "Dovecot imap/imap-client.c"},
    {kP, "Server shutting down", "server_shutdown", "Server shutting down.",
     "Dovecot imap/imap-client.c"},
    {kP, "Disconnected by server", "kicked", "Disconnected by server", "Dovecot doveadm kick"},
    {kP, "Kicked", "kicked", "Kicked by admin", "Dovecot doveadm kick"},
};

constexpr NamedLiteralTable kCauseTables[] = {
    {"Dovecot TLS causes", kTlsCauses},
    {"Dovecot session-end labels", kSessionEndLabels},
};

}  // namespace

std::span<const DovecotRule> DovecotRules() { return kRules; }
std::span<const NamedLiteralTable> DovecotCauseTables() { return kCauseTables; }

}  // namespace mailpath::logs::classify
