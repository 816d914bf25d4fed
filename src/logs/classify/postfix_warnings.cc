// Postfix warnings naming a failing dependency (policy service, milter, lookup
// table, SASL backend, Postfix-internal service) and the master's health lines.
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

// Sources: vdukhovni/postfix postfix-3.12-20260821 (file and function named).
constexpr PostfixRule kRules[] = {
    // --- milters (milter/milter8.c)
    {.level = kW,
     .literal = "connect to Milter service ",
     .kind = K::kDependencyFailure,
     .dependency = "milter",
     .extractor = X::kEndpoint,
     .daemon = "smtpd",
     .example = "warning: connect to Milter service unix:/run/opendkim/opendkim.sock: No such file "
                "or directory",
     .source = "Postfix milter/milter8.c milter8_connect; issue 16"},
    {.level = kW,
     .literal = "milter ",
     .kind = K::kDependencyFailure,
     .dependency = "milter",
     .extractor = X::kMilterName,
     .daemon = "smtpd",
     .example = "warning: milter inet:127.0.0.1:8891: can't read SMFIC_OPTNEG reply packet header: "
                "Connection timed out",
     .source = "Postfix milter/milter8.c milter8_read_resp"},
    {.level = kW,
     .anchor = kC,
     .literal = ": milter ",
     .kind = K::kDependencyFailure,
     .dependency = "milter",
     .extractor = X::kMilterName,
     .daemon = "cleanup",
     .example = "warning: milter8_read_data: milter unix:/run/spamass/spamass.sock: EOF while "
                "reading string: Connection "
                "reset by peer",
     .source = "Postfix milter/milter8.c milter8_read_data"},
    // --- lookup tables (global/dict_mysql.c, dict_pgsql.c, dict_ldap.c, dict_memcache.c,
    // dict_proxy.c,
    //     util/dict_tcp.c, global/maps.c)
    {.level = kW,
     .literal = "connect to mysql server ",
     .kind = K::kDependencyFailure,
     .dependency = "lookup_table",
     .extractor = X::kEndpoint,
     .daemon = "trivial-rewrite",
     .example = "warning: connect to mysql server 192.0.2.20: Can't connect to MySQL server on "
                "'192.0.2.20' (111)",
     .source = "Postfix global/dict_mysql.c plmysql_connect_single"},
    {.level = kW,
     .literal = "connect to pgsql server ",
     .kind = K::kDependencyFailure,
     .dependency = "lookup_table",
     .extractor = X::kEndpoint,
     .daemon = "smtpd",
     .example = "warning: connect to pgsql server 192.0.2.21: connection to server failed: "
                "Connection refused",
     .source = "Postfix global/dict_pgsql.c plpgsql_connect_single"},
    {.level = kW,
     .literal = "connect to TCP map ",
     .kind = K::kDependencyFailure,
     .dependency = "lookup_table",
     .extractor = X::kEndpoint,
     .daemon = "cleanup",
     .example = "warning: connect to TCP map 127.0.0.1:2527: Connection refused",
     .source = "Postfix util/dict_tcp.c dict_tcp_connect"},
    {.level = kW,
     .literal = "read TCP map reply from ",
     .kind = K::kDependencyFailure,
     .dependency = "lookup_table",
     .extractor = X::kEndpoint,
     .daemon = "cleanup",
     .example = "warning: read TCP map reply from 127.0.0.1:2527: unexpected EOF (Connection reset "
                "by peer)",
     .source = "Postfix util/dict_tcp.c dict_tcp_lookup"},
    {.level = kW,
     .literal = "dict_ldap_",
     .kind = K::kDependencyFailure,
     .dependency = "lookup_table",
     .daemon = "smtpd",
     .example =
         "warning: dict_ldap_connect: Unable to bind to server ldap://ldap.example.com:389 with dn "
         "cn=postfix,dc=example,dc=com: -1 (Can't contact LDAP server)",
     .source = "Postfix global/dict_ldap.c dict_ldap_connect"},
    {.level = kW,
     .literal = "dict_proxy_",
     .kind = K::kDependencyFailure,
     .dependency = "lookup_table",
     .daemon = "smtpd",
     .example = "warning: dict_proxy_lookup: service private/proxymap: Connection refused",
     .source = "Postfix global/dict_proxy.c dict_proxy_lookup"},
    {.level = kW,
     .literal = "database ",
     .kind = K::kDependencyFailure,
     .dependency = "lookup_table",
     .daemon = "smtpd",
     .example =
         "warning: database memcache:/etc/postfix/memcache.cf: I/O error: Connection refused",
     .source = "Postfix global/dict_memcache.c"},
    {.level = kW,
     .anchor = kC,
     .literal = ": query failed: ",
     .kind = K::kDependencyFailure,
     .value = "lookup_error",
     .dependency = "lookup_table",
     .daemon = "smtpd",
     .example = "warning: mysql:/etc/postfix/virtual.cf: query failed: Lost connection to MySQL "
                "server during query",
     .source = "Postfix global/dict_mysql.c plmysql_query"},
    {.level = kW,
     .anchor = kC,
     .literal = "lookup error for DNS query",
     .kind = K::kKnownIgnored,
     .daemon = "dnsblog",
     .example = "warning: dnsblog_query: lookup error for DNS query 9.113.0.203.zen.spamhaus.org: "
                "Host or domain name not "
                "found. Name service error for name=9.113.0.203.zen.spamhaus.org type=A: Host not "
                "found, try again",
     .source = "Postfix dnsblog/dnsblog.c (DNS, not a table; postscreen counts the DNSBL side)"},
    {.level = kW,
     .anchor = kC,
     .literal = " lookup error for ",
     .kind = K::kDependencyFailure,
     .value = "lookup_error",
     .dependency = "lookup_table",
     .daemon = "smtpd",
     .example =
         "warning: proxy:mysql:/etc/postfix/virtual.cf lookup error for \"alice@example.com\"",
     .source = "Postfix global/maps.c maps_find"},
    {.level = kW,
     .anchor = kC,
     .literal = " is unavailable. ",
     .kind = K::kDependencyFailure,
     .value = "lookup_error",
     .dependency = "lookup_table",
     .daemon = "smtpd",
     .example = "warning: hash:/etc/postfix/virtual is unavailable. open database "
                "/etc/postfix/virtual.db: No such "
                "file or directory",
     .source =
         "Postfix 2.11+ util/dict_surrogate.c (a table that cannot be opened; lookups then fail)"},
    {.level = kW,
     .literal = "SASL: Connect to ",
     .kind = K::kDependencyFailure,
     .dependency = "sasl_backend",
     .daemon = "smtpd",
     .example = "warning: SASL: Connect to private/auth failed: No such file or directory",
     .source = "Postfix xsasl/xsasl_dovecot_server.c (3.7: 'Connect to Dovecot auth socket ... "
               "failed'); issue 16"},
    {.level = kW,
     .anchor = kC,
     .literal = "cannot connect to saslauthd server",
     .kind = K::kDependencyFailure,
     .dependency = "sasl_backend",
     .daemon = "smtpd",
     .example = "warning: SASL authentication failure: cannot connect to saslauthd server: No such "
                "file or directory",
     .source = "Cyrus SASL saslauthd client (via Postfix xsasl_cyrus_server.c)"},
    // --- policy services and Postfix's own services (util/auto_clnt.c, util/attr_clnt.c)
    {.level = kW,
     .literal = "connect to ",
     .kind = K::kPolicyFailure,
     .dependency = "policy",
     .extractor = X::kEndpoint,
     .daemon = "smtpd",
     .example = "warning: connect to 127.0.0.1:10023: Connection refused",
     .source = "Postfix util/auto_clnt.c auto_clnt_open (postfix_internal when the endpoint is a "
               "Postfix service)"},
    {.level = kW,
     .literal = "problem talking to server ",
     .kind = K::kPolicyFailure,
     .dependency = "policy",
     .extractor = X::kEndpoint,
     .daemon = "smtpd",
     .example = "warning: problem talking to server private/policyd-spf: Connection timed out",
     .source = "Postfix util/attr_clnt.c attr_clnt_request"},
    // --- the master's view of daemon health (master/master_spawn.c, master/master_avail.c)
    {.level = kW,
     .anchor = kC,
     .literal = " exit status ",
     .kind = K::kMasterProcessExit,
     .value = "exit_status",
     .extractor = X::kMasterProcess,
     .only_daemon = "master",
     .daemon = "master",
     .example = "warning: process /usr/lib/postfix/sbin/smtpd pid 4471 exit status 1",
     .source = "Postfix master/master_spawn.c master_reap_child; issue 16"},
    {.level = kW,
     .anchor = kC,
     .literal = " killed by signal ",
     .kind = K::kMasterProcessExit,
     .value = "signal",
     .extractor = X::kMasterProcess,
     .only_daemon = "master",
     .daemon = "master",
     .example = "warning: process /usr/lib/postfix/sbin/smtp pid 5120 killed by signal 11",
     .source = "Postfix master/master_spawn.c master_reap_child"},
    {.level = kW,
     .anchor = kC,
     .literal = ": bad command startup -- throttling",
     .kind = K::kMasterThrottle,
     .extractor = X::kMasterThrottle,
     .only_daemon = "master",
     .daemon = "master",
     .example = "warning: /usr/lib/postfix/sbin/smtpd: bad command startup -- throttling",
     .source = "Postfix master/master_spawn.c master_reap_child; issue 16"},
    {.level = kW,
     .anchor = kC,
     .literal = " has reached its process limit ",
     .kind = K::kMasterProcessLimit,
     .extractor = X::kMasterLimit,
     .only_daemon = "master",
     .daemon = "master",
     .example = "warning: service \"smtp\" (25) has reached its process limit \"100\": new clients "
                "may experience noticeable "
                "delays",
     .source = "Postfix master/master_avail.c master_avail_listen"},
    {.level = kW,
     .literal = "to avoid this condition, increase the process count",
     .kind = K::kKnownIgnored,
     .only_daemon = "master",
     .daemon = "master",
     .example = "warning: to avoid this condition, increase the process count in master.cf or "
                "reduce the service time per "
                "client",
     .source = "Postfix master/master_avail.c (follows the process-limit warning)"},
    {.level = kW,
     .anchor = kC,
     .literal = "STRESS_README.html",
     .kind = K::kKnownIgnored,
     .only_daemon = "master",
     .daemon = "master",
     .example = "warning: see https://www.postfix.org/STRESS_README.html for examples of "
                "stress-adapting configuration "
                "settings",
     .source = "Postfix master/master_avail.c (follows the process-limit warning)"},
    // --- fatal: lines naming a dependency (the generic fatal:/panic: fallback counts the rest)
    {.level = Level::kFatal,
     .literal = "no SASL authentication mechanisms",
     .kind = K::kFatal,
     .dependency = "sasl_backend",
     .daemon = "smtpd",
     .example = "fatal: no SASL authentication mechanisms",
     .source = "Postfix smtpd/smtpd_sasl_glue.c (the SASL backend answered with no mechanisms, or "
               "not at all); "
               "issue 16"},
};

}  // namespace

std::span<const PostfixRule> WarningRules() { return kRules; }

}  // namespace mailpath::logs::classify::internal
