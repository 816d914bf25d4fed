#include "mailpath/logs/classify/openssl_reason.h"

namespace mailpath::logs::classify {
namespace {

constexpr Anchor kC = Anchor::kContains;

// OpenSSL 3.0 reason strings (ssl/ssl_err.c) as Postfix (tls/tls_misc.c tls_print_errors) and
// Dovecot (login-common, "SSL_accept() failed: ...") log them; the alerts are the peer's (RFC 8446
// §6.2).
constexpr LiteralRow kRows[] = {
    {kC, "wrong version number", "wrong_version_number",
     "error:0A00010B:SSL routines::wrong version number:../ssl/record/ssl3_record.c:350:",
     "OpenSSL 3.0 (observed with Postfix 3.7.11 and Dovecot 2.3.19)"},
    {kC, "http request", "wrong_version_number",
     "error:0A00009C:SSL routines::http request:../ssl/record/ssl3_record.c:345:",
     "OpenSSL 3.0 ssl/record/ssl3_record.c (an HTTP client on a TLS port)"},
    {kC, "unknown ca", "unknown_ca",
     "error:0A000418:SSL routines::tlsv1 alert unknown ca:../ssl/record/rec_layer_s3.c:1601:SSL "
     "alert number 48:",
     "OpenSSL 3.0, alert 48 (observed with Postfix 3.7.11)"},
    {kC, "bad certificate", "unknown_ca",
     "error:0A000412:SSL routines::sslv3 alert bad certificate:SSL alert number 42:",
     "OpenSSL 3.0, alert 42"},
    {kC, "certificate unknown", "unknown_ca",
     "error:0A000416:SSL routines::sslv3 alert certificate unknown:SSL alert number 46:",
     "OpenSSL 3.0, alert 46"},
    {kC, "unsupported protocol", "unsupported_protocol",
     "error:0A000102:SSL routines::unsupported protocol:", "OpenSSL 3.0 ssl/statem/statem_srvr.c"},
    {kC, "version too low", "unsupported_protocol",
     "error:0A00018C:SSL routines::version too low:", "OpenSSL 3.0 ssl/statem/statem_lib.c"},
    {kC, "no shared cipher", "no_shared_cipher",
     "error:0A0000C1:SSL routines::no shared cipher:", "OpenSSL 3.0 ssl/statem/statem_srvr.c"},
    {kC, "certificate verify failed", "certificate_verify_failed",
     "error:0A000086:SSL routines::certificate verify failed:",
     "OpenSSL 3.0 ssl/statem/statem_clnt.c"},
};

}  // namespace

std::span<const LiteralRow> OpenSslReasons() { return kRows; }

std::string_view OpenSslReason(std::string_view text) { return ValueOf(kRows, text, ""); }

}  // namespace mailpath::logs::classify
