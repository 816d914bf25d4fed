// Postfix warnings naming a failing dependency (policy service, milter, lookup
// table, SASL backend, Postfix-internal service) and the master's health lines.
#include "mailpath/logs/classify/postfix_rules.h"
#include "postfix_text.h"

namespace mailpath::logs::classify {
namespace {

using text::Has;
using std::string_view;
using K = PostfixKind;
using X = Extractor;
constexpr Anchor kP = Anchor::kPrefix;
constexpr Anchor kC = Anchor::kContains;

// Sources: vdukhovni/postfix postfix-3.12-20260821 (file and function named).
constexpr PostfixWarningRule kRules[] = {
    // --- milters (milter/milter8.c)
    {kP, "connect to Milter service ", K::kDependencyFailure, "milter", "", X::kEndpoint, "smtpd", "",
     "warning: connect to Milter service unix:/run/opendkim/opendkim.sock: No such file or directory",
     "Postfix milter/milter8.c milter8_connect; issue 16"},
    {kP, "milter ", K::kDependencyFailure, "milter", "", X::kMilterName, "smtpd", "",
     "warning: milter inet:127.0.0.1:8891: can't read SMFIC_OPTNEG reply packet header: Connection timed out",
     "Postfix milter/milter8.c milter8_read_resp"},
    {kC, ": milter ", K::kDependencyFailure, "milter", "", X::kMilterName, "cleanup", "",
     "warning: milter8_read_data: milter unix:/run/spamass/spamass.sock: EOF while reading string: Connection "
     "reset by peer",
     "Postfix milter/milter8.c milter8_read_data"},
    // --- lookup tables (global/dict_mysql.c, dict_pgsql.c, dict_ldap.c, dict_memcache.c, dict_proxy.c,
    //     util/dict_tcp.c, global/maps.c)
    {kP, "connect to mysql server ", K::kDependencyFailure, "lookup_table", "", X::kEndpoint, "trivial-rewrite", "",
     "warning: connect to mysql server 192.0.2.20: Can't connect to MySQL server on '192.0.2.20' (111)",
     "Postfix global/dict_mysql.c plmysql_connect_single"},
    {kP, "connect to pgsql server ", K::kDependencyFailure, "lookup_table", "", X::kEndpoint, "smtpd", "",
     "warning: connect to pgsql server 192.0.2.21: connection to server failed: Connection refused",
     "Postfix global/dict_pgsql.c plpgsql_connect_single"},
    {kP, "connect to TCP map ", K::kDependencyFailure, "lookup_table", "", X::kEndpoint, "cleanup", "",
     "warning: connect to TCP map 127.0.0.1:2527: Connection refused", "Postfix util/dict_tcp.c dict_tcp_connect"},
    {kP, "read TCP map reply from ", K::kDependencyFailure, "lookup_table", "", X::kEndpoint, "cleanup", "",
     "warning: read TCP map reply from 127.0.0.1:2527: unexpected EOF (Connection reset by peer)",
     "Postfix util/dict_tcp.c dict_tcp_lookup"},
    {kP, "dict_ldap_", K::kDependencyFailure, "lookup_table", "", X::kNone, "smtpd", "",
     "warning: dict_ldap_connect: Unable to bind to server ldap://ldap.example.com:389 with dn "
     "cn=postfix,dc=example,dc=com: -1 (Can't contact LDAP server)",
     "Postfix global/dict_ldap.c dict_ldap_connect"},
    {kP, "dict_proxy_", K::kDependencyFailure, "lookup_table", "", X::kNone, "smtpd", "",
     "warning: dict_proxy_lookup: service private/proxymap: Connection refused",
     "Postfix global/dict_proxy.c dict_proxy_lookup"},
    {kP, "database ", K::kDependencyFailure, "lookup_table", "", X::kNone, "smtpd", "",
     "warning: database memcache:/etc/postfix/memcache.cf: I/O error: Connection refused",
     "Postfix global/dict_memcache.c"},
    {kC, ": query failed: ", K::kDependencyFailure, "lookup_table", "lookup_error", X::kNone, "smtpd", "",
     "warning: mysql:/etc/postfix/virtual.cf: query failed: Lost connection to MySQL server during query",
     "Postfix global/dict_mysql.c plmysql_query"},
    {kC, "lookup error for DNS query", K::kKnownIgnored, "", "", X::kNone, "dnsblog", "",
     "warning: dnsblog_query: lookup error for DNS query 9.113.0.203.zen.spamhaus.org: Host or domain name not "
     "found. Name service error for name=9.113.0.203.zen.spamhaus.org type=A: Host not found, try again",
     "Postfix dnsblog/dnsblog.c (DNS, not a table; postscreen counts the DNSBL side)"},
    {kC, " lookup error for ", K::kDependencyFailure, "lookup_table", "lookup_error", X::kNone, "smtpd", "",
     "warning: proxy:mysql:/etc/postfix/virtual.cf lookup error for \"alice@example.com\"",
     "Postfix global/maps.c maps_find"},
    {kP, "SASL: Connect to ", K::kDependencyFailure, "sasl_backend", "", X::kNone, "smtpd", "",
     "warning: SASL: Connect to private/auth failed: No such file or directory",
     "Postfix xsasl/xsasl_dovecot_server.c (3.7: 'Connect to Dovecot auth socket ... failed'); issue 16"},
    {kC, "cannot connect to saslauthd server", K::kDependencyFailure, "sasl_backend", "", X::kNone, "smtpd", "",
     "warning: SASL authentication failure: cannot connect to saslauthd server: No such file or directory",
     "Cyrus SASL saslauthd client (via Postfix xsasl_cyrus_server.c)"},
    // --- policy services and Postfix's own services (util/auto_clnt.c, util/attr_clnt.c)
    {kP, "connect to ", K::kPolicyFailure, "policy", "", X::kEndpoint, "smtpd", "",
     "warning: connect to 127.0.0.1:10023: Connection refused",
     "Postfix util/auto_clnt.c auto_clnt_open (postfix_internal when the endpoint is a Postfix service)"},
    {kP, "problem talking to server ", K::kPolicyFailure, "policy", "", X::kEndpoint, "smtpd", "",
     "warning: problem talking to server private/policyd-spf: Connection timed out",
     "Postfix util/attr_clnt.c attr_clnt_request"},
    // --- the master's view of daemon health (master/master_spawn.c, master/master_avail.c)
    {kC, " exit status ", K::kMasterProcessExit, "", "exit_status", X::kMasterProcess, "master", "master",
     "warning: process /usr/lib/postfix/sbin/smtpd pid 4471 exit status 1",
     "Postfix master/master_spawn.c master_reap_child; issue 16"},
    {kC, " killed by signal ", K::kMasterProcessExit, "", "signal", X::kMasterProcess, "master", "master",
     "warning: process /usr/lib/postfix/sbin/smtp pid 5120 killed by signal 11",
     "Postfix master/master_spawn.c master_reap_child"},
    {kC, ": bad command startup -- throttling", K::kMasterThrottle, "", "", X::kMasterThrottle, "master", "master",
     "warning: /usr/lib/postfix/sbin/smtpd: bad command startup -- throttling",
     "Postfix master/master_spawn.c master_reap_child; issue 16"},
    {kC, " has reached its process limit ", K::kMasterProcessLimit, "", "", X::kMasterLimit, "master", "master",
     "warning: service \"smtp\" (25) has reached its process limit \"100\": new clients may experience noticeable "
     "delays",
     "Postfix master/master_avail.c master_avail_listen"},
    {kP, "to avoid this condition, increase the process count", K::kKnownIgnored, "", "", X::kNone, "master", "master",
     "warning: to avoid this condition, increase the process count in master.cf or reduce the service time per "
     "client",
     "Postfix master/master_avail.c (follows the process-limit warning)"},
    {kC, "STRESS_README.html", K::kKnownIgnored, "", "", X::kNone, "master", "master",
     "warning: see https://www.postfix.org/STRESS_README.html for examples of stress-adapting configuration "
     "settings",
     "Postfix master/master_avail.c (follows the process-limit warning)"},
};

constexpr std::size_t kRuleCount = sizeof(kRules) / sizeof(kRules[0]);

// Endpoints of Postfix's own services reached through auto_clnt/attr_clnt.
bool IsPostfixInternal(string_view endpoint) {
  for (string_view prefix : {"private/", "public/"}) {
    if (endpoint.starts_with(prefix)) {
      const string_view name = endpoint.substr(prefix.size());
      for (string_view s : {"anvil", "scache", "tlsmgr", "verify", "rewrite", "dnsblog", "proxymap", "proxywrite",
                            "bounce", "defer", "trace", "cleanup", "postlog", "tlsproxy", "flush", "showq"}) {
        if (name == s) return true;
      }
    }
  }
  return false;
}

string_view Basename(string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == string_view::npos ? path : path.substr(slash + 1);
}

void Extract(const PostfixWarningRule& r, string_view m, PostfixEvent& ev) {
  switch (r.extractor) {
    case X::kNone:
      ev.reason = r.reason.empty() ? m : r.reason;
      return;
    case X::kEndpoint: {
      string_view rest = m.substr(m.find(r.literal) + r.literal.size());
      const std::size_t colon = rest.rfind(": ");
      ev.server = colon == string_view::npos ? rest : rest.substr(0, colon);
      ev.reason = colon == string_view::npos ? string_view{} : rest.substr(colon + 2);
      return;
    }
    case X::kMilterName: {
      string_view rest = m.substr(m.find("milter ") + 7);
      // The name holds colons ("inet:127.0.0.1:8891"); the error follows the first ": ".
      const std::size_t colon = rest.find(": ");
      ev.server = rest.substr(0, colon);
      ev.reason = colon == string_view::npos ? string_view{} : rest.substr(colon + 2);
      return;
    }
    case X::kMasterProcess: {
      string_view rest = m;
      text::Eat(rest, "process ");
      ev.program = Basename(rest.substr(0, rest.find(' ')));
      ev.reason = r.reason;
      return;
    }
    case X::kMasterThrottle:
      ev.program = Basename(m.substr(0, m.find(": bad command startup")));
      return;
    case X::kMasterLimit:
      ev.service = text::Between(m, "service \"", "\"");
      return;
  }
}

}  // namespace

std::span<const PostfixWarningRule> PostfixWarningRules() { return {kRules, kRuleCount}; }

int MatchPostfixWarning(string_view daemon, string_view m, PostfixEvent& ev) {
  for (std::size_t i = 0; i < kRuleCount; ++i) {
    const PostfixWarningRule& r = kRules[i];
    const bool hit = (r.only_daemon.empty() || r.only_daemon == daemon) && (r.anchor == Anchor::kPrefix ? m.starts_with(r.literal) : Has(m, r.literal));
    if (!hit) continue;
    ev.kind = r.kind;
    ev.dependency = r.dependency;
    Extract(r, m, ev);
    if (r.kind == K::kPolicyFailure && IsPostfixInternal(ev.server)) {
      ev.kind = K::kDependencyFailure;
      ev.dependency = "postfix_internal";
    }
    return static_cast<int>(i);
  }
  return -1;
}

std::string_view DependencyCause(std::string_view e) {
  if (Has(e, "refused") || Has(e, "Can't connect") || Has(e, "Can't contact")) return "refused";
  if (Has(e, "timed out") || Has(e, "timeout")) return "timeout";
  if (Has(e, "No such file")) return "missing_socket";
  if (Has(e, "EOF") || Has(e, "reset by peer") || Has(e, "Lost connection") || Has(e, "lost connection") ||
      Has(e, "Broken pipe")) {
    return "lost_connection";
  }
  if (e == "lookup_error") return "lookup_error";
  if (e == "tempfail") return "tempfail";
  return "other";
}

}  // namespace mailpath::logs::classify
