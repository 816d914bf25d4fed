#include <charconv>
#include <iterator>

#include "mailpath/logs/classify/dovecot_event.h"
#include "mailpath/logs/classify/openssl_reason.h"

namespace mailpath::logs::classify {
namespace {

using R = DovecotLoginReason;
constexpr Anchor kC = Anchor::kContains;

// Sources: dovecot/core 2.3.19 and 2.4.1 src/login-common/client-common.c
// (client_get_extra_disconnect_reason, login_aborted_event), client-common-auth.c; observed lines
// in tests/fixtures/logs/dovecot/. The text matched is the reason part of a pre-login line (before
// ": user=<"). First match wins.
constexpr DovecotLoginRule kLoginRules[] = {
    {kC, "Maximum number of connections from user+IP exceeded", R::kUserIpLimit,
     "imap-login: Info: Disconnected: Maximum number of connections from user+IP exceeded "
     "(mail_max_userip_connections=2): user=<bob@example.com>, method=PLAIN, rip=192.0.2.52, "
     "lip=192.0.2.1, TLS, "
     "session=<D7sKe91gzp5/AAAB>",
     "observed 2.3.19"},
    {kC, "(connection_limit)", R::kUserIpLimit,
     "imap-login: Info: Login aborted: Too many connections (connection limit reached) "
     "(connection_limit): "
     "user=<bob@example.com>, rip=192.0.2.52, lip=192.0.2.1, TLS, session=<E7sKe91gzp5/AAAB>",
     "2.4 client-common.c event reason connection_limit"},
    {kC, "Connection queue full", R::kConnectionQueueFull,
     "pop3-login: Info: Disconnected: Connection queue full (no auth attempts in 0 secs): user=<>, "
     "rip=192.0.2.53, "
     "lip=192.0.2.1, secured, session=<+sjW339hkNV/AAAB>",
     "2.3 client-common.c client_kill_idle"},
    {kC, "(process_full)", R::kConnectionQueueFull,
     "pop3-login: Info: Login aborted: Login process is full (process_full): user=<>, "
     "rip=192.0.2.53, "
     "lip=192.0.2.1, secured, session=<+tjW339hkNV/AAAB>",
     "2.4 client-common.c event reason process_full"},
    {kC, "SSL_accept() failed", R::kTlsHandshake,
     "imap-login: Info: Disconnected: Connection closed: SSL_accept() failed: error:0A00010B:SSL "
     "routines::wrong "
     "version number (no auth attempts in 0 secs): user=<>, rip=192.0.2.54, lip=192.0.2.1, TLS "
     "handshaking: "
     "SSL_accept() failed: error:0A00010B:SSL routines::wrong version number, "
     "session=<ab6Ket1gMq1/AAAB>",
     "observed 2.3.19"},
    {kC, "TLS handshaking", R::kTlsHandshake,
     "imap-login: Info: Disconnected: TLS handshaking: Connection closed (no auth attempts in 12 "
     "secs): user=<>, "
     "rip=192.0.2.42, lip=192.0.2.1, session=<gqScet1gDeJ/AAAq>",
     "2.3 client-common.c (TLS handshaking in the reason)"},
    {kC, "(tls_handshake_not_finished)", R::kTlsHandshake,
     "imap-login: Info: Login aborted: Connection closed (tls_handshake_not_finished): user=<>, "
     "rip=192.0.2.55, "
     "lip=192.0.2.1, session=<9meS339hr7V/AAAB>",
     "2.4 client-common.c event reason tls_handshake_not_finished"},
    {kC, "during TLS handshake", R::kTlsHandshake,
     "imap-login: Info: Login aborted: Connection closed (disconnected during TLS handshake): "
     "user=<>, "
     "rip=192.0.2.55, lip=192.0.2.1, session=<8meS339hr7V/AAAB>",
     "2.4.1 (observed on Debian 13)"},
    {kC, "Plaintext authentication disabled", R::kPlaintextDisallowed,
     "imap-login: Info: Login failed: Plaintext authentication disabled: user=<>, rip=192.0.2.62, "
     "lip=192.0.2.1, "
     "session=<s9Y2h91gFZd/AAA+>",
     "observed 2.3.19"},
    {kC, "Cleartext authentication disabled", R::kPlaintextDisallowed,
     "imap-login: Info: Login failed: Cleartext authentication disabled: user=<>, rip=192.0.2.62, "
     "lip=192.0.2.1, "
     "session=<uOuK339hBdd/AAA+>",
     "2.4.1 (observed on Debian 13)"},
    {kC, "disallowed plaintext auth", R::kPlaintextDisallowed,
     "pop3-login: Info: Disconnected (tried to use disallowed plaintext auth): user=<>, "
     "rip=192.0.2.63, "
     "lip=192.0.2.1, session=<t9Y2h91gFZd/AAA+>",
     "2.3 client-common.c client_get_extra_disconnect_reason"},
    {kC, "disallowed cleartext auth", R::kPlaintextDisallowed,
     "pop3-login: Info: Login aborted: Logged out (tried to use disallowed cleartext auth) "
     "(cleartext_auth_disabled): user=<>, rip=192.0.2.63, lip=192.0.2.1, "
     "session=<u9Y2h91gFZd/AAA+>",
     "2.4 client-common.c client_get_extra_disconnect_reason"},
    {kC, "Too many invalid", R::kTooManyInvalidCommands,
     "imap-login: Info: Disconnected: Too many invalid commands (no auth attempts in 0 secs): "
     "user=<>, "
     "rip=192.0.2.64, lip=192.0.2.1, secured, session=<ae6Ket1gMq1/AAAB>",
     "observed 2.3.19"},
    {kC, "Too many bad commands", R::kTooManyInvalidCommands,
     "pop3-login: Info: Disconnected: Too many bad commands (no auth attempts in 0 secs): user=<>, "
     "rip=192.0.2.64, "
     "lip=192.0.2.1, secured, session=<be6Ket1gMq1/AAAB>",
     "2.3 pop3-login client.c"},
    {kC, "Inactivity", R::kInactivity,
     "pop3-login: Info: Disconnected: Inactivity (auth failed, 1 attempts in 178 secs): "
     "user=<bob>, method=PLAIN, "
     "rip=192.0.2.47, lip=192.0.2.1, TLS, session=<Cb1cD2eF3gH4iJ5k>",
     "issue 16 (counted in dovecot_auth_failed_logins_total too)"},
    {kC, "(auth failed", R::kAuthFailed,
     "imap-login: Info: Disconnected: Aborted login by logging out (auth failed, 1 attempts in 1 "
     "secs): "
     "user=<alice@example.com>, method=PLAIN, rip=192.0.2.1, lip=192.0.2.1, TLS, "
     "session=<gYipet1gNq1/AAAB>",
     "observed 2.3.19"},
    {kC, "(auth_failed)", R::kAuthFailed,
     "imap-login: Info: Login aborted: Logged out (auth_failed): user=<alice@example.com>, "
     "method=PLAIN, "
     "rip=192.0.2.1, lip=192.0.2.1, TLS, session=<hYipet1gNq1/AAAB>",
     "2.4 client-common.c event reason auth_failed"},
    {kC, "(authorization failed", R::kAuthFailed,
     "imap-login: Info: Disconnected (authorization failed, 1 attempts in 2 secs): "
     "user=<alice@example.com>, "
     "method=PLAIN, rip=192.0.2.1, lip=192.0.2.1, TLS, session=<iYipet1gNq1/AAAB>",
     "2.3 client-common.c client_get_extra_disconnect_reason"},
    {kC, "Login failed: ", R::kAuthFailed,
     "imap-login: Info: Login failed: Authentication failure: user=<alice@example.com>, "
     "rip=192.0.2.1, "
     "lip=192.0.2.1, session=<jYipet1gNq1/AAAB>",
     "2.3.15+ login failure line"},
    {kC, "(aborted authentication", R::kAbortedAuthentication,
     "imap-login: Info: Disconnected (aborted authentication, 1 attempts in 3 secs): user=<>, "
     "method=PLAIN, "
     "rip=192.0.2.2, lip=192.0.2.1, secured, session=<kYipet1gNq1/AAAB>",
     "2.3 client-common.c"},
    {kC, "didn't finish SASL auth", R::kAbortedAuthentication,
     "imap-login: Info: Login aborted: Connection closed: read(size=1004) failed: Connection reset "
     "by peer (client "
     "didn't finish SASL auth, 1 attempts in 0 secs) (auth_waiting_client): user=<>, method=PLAIN, "
     "rip=192.0.2.2, "
     "lip=192.0.2.1, secured, session=<gC7H339hbY1/AAAB>",
     "2.4.1 (observed on Debian 13)"},
    {kC, "disconnected while authenticating", R::kAbortedAuthentication,
     "imap-login: Info: Disconnected (disconnected while authenticating, waited 2 secs): user=<>, "
     "method=PLAIN, "
     "rip=192.0.2.2, lip=192.0.2.1, secured, session=<lYipet1gNq1/AAAB>",
     "2.3 client-common.c"},
    {kC, "(auth_aborted", R::kAbortedAuthentication,
     "imap-login: Info: Login aborted: Logged out (auth aborted by client, 1 attempts in 0 secs) "
     "(auth_aborted_by_client): user=<>, method=PLAIN, rip=192.0.2.2, lip=192.0.2.1, secured, "
     "session=<s3rA339hKZ9/AAAB>",
     "2.4.1 (observed on Debian 13)"},
    {kC, "(no auth attempts", R::kNoAuthAttempts,
     "imap-login: Info: Disconnected: Connection closed (no auth attempts in 0 secs): user=<>, "
     "rip=192.0.2.3, "
     "lip=192.0.2.1, secured, session=<ah6Ket1gMq1/AAAB>",
     "observed 2.3.19"},
    {kC, "(no_auth_attempts)", R::kNoAuthAttempts,
     "imap-login: Info: Login aborted: Logged out (no_auth_attempts): user=<>, rip=192.0.2.3, "
     "lip=192.0.2.1, "
     "secured, session=<QNK5339h1cB/AAAB>",
     "2.4 client-common.c event reason no_auth_attempts"},
    {kC, "disconnected before auth was ready", R::kNoAuthAttempts,
     "imap-login: Info: Disconnected (disconnected before auth was ready, waited 0 secs): user=<>, "
     "rip=192.0.2.3, "
     "lip=192.0.2.1, secured, session=<bh6Ket1gMq1/AAAB>",
     "2.3 client-common.c"},
};

}  // namespace

std::span<const DovecotLoginRule> DovecotLoginRules() { return kLoginRules; }

int MatchDovecotLoginReason(std::string_view text, DovecotLoginReason& out) {
  const int i = FirstRow(DovecotLoginRules(), text);
  out = i < 0 ? DovecotLoginReason::kOther : kLoginRules[i].reason;
  return i;
}

namespace {

using std::string_view;

bool Contains(string_view s, string_view needle) { return s.find(needle) != string_view::npos; }

bool ConsumePrefix(string_view& s, string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

std::uint64_t ToU64(string_view s) {
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// The number right after `key` ("in=" -> 44), 0 if absent.
std::uint64_t NumberAfter(string_view s, string_view key) {
  std::size_t at = 0;
  while ((at = s.find(key, at)) != string_view::npos) {
    if (at == 0 || s[at - 1] == ' ' || s[at - 1] == ',') {
      string_view rest = s.substr(at + key.size());
      std::size_t n = 0;
      while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
      return ToU64(rest.substr(0, n));
    }
    at += key.size();
  }
  return 0;
}

// POP3's "retr=3/1459": the byte count after the slash.
std::uint64_t BytesAfterSlash(string_view s, string_view key) {
  const std::size_t at = s.find(key);
  if (at == string_view::npos) return 0;
  string_view rest = s.substr(at + key.size());
  const std::size_t slash = rest.find('/');
  if (slash == string_view::npos) return 0;
  rest = rest.substr(slash + 1);
  std::size_t n = 0;
  while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
  return ToU64(rest.substr(0, n));
}

string_view KnownProtocol(string_view name) {
  for (string_view p : {"imap", "pop3", "submission", "managesieve", "lmtp"}) {
    if (name == p) return p;
  }
  return "";
}

DovecotTlsCause TlsCause(string_view text) {
  const string_view openssl = OpenSslReason(text);
  if (openssl == "wrong_version_number") return DovecotTlsCause::kWrongVersionNumber;
  if (openssl == "unsupported_protocol") return DovecotTlsCause::kUnsupportedProtocol;
  if (openssl == "no_shared_cipher") return DovecotTlsCause::kNoSharedCipher;
  if (openssl == "unknown_ca") return DovecotTlsCause::kUnknownCa;
  if (!openssl.empty()) return DovecotTlsCause::kCertificateRejected;  // certificate_verify_failed
  const auto causes = DovecotCauseTables()[0].rows;
  const int i = FirstRow(causes, text);
  if (i < 0) return DovecotTlsCause::kOther;
  for (DovecotTlsCause c : {DovecotTlsCause::kConnectionClosed,
                            DovecotTlsCause::kCertificateRejected, DovecotTlsCause::kTimeout}) {
    if (TlsCauseName(c) == causes[static_cast<std::size_t>(i)].value) return c;
  }
  return DovecotTlsCause::kOther;
}

// Reads Dovecot's login_log_format_elements: "user=<..>, method=.., rip=..,
// lip=.., mpid=.., TLS, session=<..>". The user is <>-quoted and may hold
// ", ", so it is read first up to ">, " or the final ">".
void ParseElements(string_view elements, DovecotEvent& ev) {
  if (ConsumePrefix(elements, "user=<")) {
    std::size_t end = elements.find(">, ");
    if (end == string_view::npos) end = elements.rfind('>');
    if (end == string_view::npos) end = elements.size();
    ev.user = elements.substr(0, end);
    elements = end + 3 <= elements.size() ? elements.substr(end + 3) : string_view{};
  }
  while (!elements.empty()) {
    std::size_t comma = elements.find(", ");
    string_view item = elements.substr(0, comma);
    elements = comma == string_view::npos ? string_view{} : elements.substr(comma + 2);
    if (ConsumePrefix(item, "method=")) {
      ev.method = item;
    } else if (ConsumePrefix(item, "rip=")) {
      ev.rip = item;
    } else if (item == "TLS" || item == "secured") {
      ev.transport = item == "TLS" ? DovecotTransport::kTls : DovecotTransport::kSecured;
    } else if (item == "(proxied)") {
      ev.transport = DovecotTransport::kProxied;
    } else if (item.starts_with("TLS handshaking") || item.starts_with("TLS: ")) {
      ev.transport = DovecotTransport::kTls;
      if (ev.kind == DovecotKind::kLoginFailure &&
          (ev.reason == DovecotLoginReason::kNoAuthAttempts ||
           ev.reason == DovecotLoginReason::kOther ||
           ev.reason == DovecotLoginReason::kTlsHandshake)) {
        ev.reason = DovecotLoginReason::kTlsHandshake;
        // The element may run on past a ", " inside the OpenSSL text.
        ev.tls_cause = TlsCause(item);
      }
    }
  }
}

DovecotLoginReason LoginReason(string_view text) {
  DovecotLoginReason r = DovecotLoginReason::kOther;
  (void)MatchDovecotLoginReason(text, r);
  return r;
}

// "Disconnected: REASON (...): user=<..>, ..." and the other pre-login endings.
void LoginFailure(string_view rest, DovecotEvent& ev) {
  string_view reason_text = rest;
  string_view elements;
  if (const std::size_t at = rest.find(": user=<"); at != string_view::npos) {
    reason_text = rest.substr(0, at);
    elements = rest.substr(at + 2);
  }
  ev.reason = LoginReason(reason_text);
  // An auth failure hides behind whatever ended the connection ("Inactivity (auth failed, 1
  // attempts ...)").
  ev.auth_failed = Contains(reason_text, "(auth failed") || Contains(reason_text, "(auth_failed)");
  if (ev.reason == DovecotLoginReason::kTlsHandshake) ev.tls_cause = TlsCause(reason_text);
  // ParseElements lets "TLS handshaking: ..." outrank "no auth attempts" and "other", but never a
  // limit or an explicit refusal.
  ParseElements(elements, ev);
}

bool IsDriverName(string_view d) {
  if (d.empty() || d.size() > 64) return false;
  for (char c : d) {
    if (!((c >= 'a' && c <= 'z') || c == '-' || c == '_' || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// "alice,192.0.2.44,sasl:plain" / "alice@example.com,127.0.0.1,<sess>" -> user, rip.
void AuthArgs(string_view args, DovecotEvent& ev) {
  const std::size_t comma = args.find(',');
  ev.user = args.substr(0, comma);
  if (comma != string_view::npos) {
    string_view after = args.substr(comma + 1);
    ev.rip = after.substr(0, after.find(','));
  }
}

// The passdb driver and the request's user and address; false when the line is no passdb result.
bool Passdb(string_view rest, DovecotEvent& ev) {
  // 2.4: the request is in the process prefix: "auth(alice,192.0.2.44,sasl:plain)<sess>:
  // passwd-file: Password mismatch"; the worker adds "<pid><sess>: request [N]: ".
  if (const std::size_t open = ev.prefix.find('('); open != string_view::npos) {
    const std::size_t close = ev.prefix.find(')', open);
    const string_view args =
        close == string_view::npos ? string_view{} : ev.prefix.substr(open + 1, close - open - 1);
    string_view r = rest;
    if (ConsumePrefix(r, "request ["))
      r = r.substr(r.find("]: ") == string_view::npos ? r.size() : r.find("]: ") + 3);
    for (string_view sev : {"Info: ", "Warning: ", "Error: "}) {
      if (ConsumePrefix(r, sev)) break;
    }
    const std::size_t colon = r.find(": ");
    if (Contains(args, ",") || Contains(args, "?")) {  // not the 2.3 "auth-worker(4242)" pid form
      if (colon != string_view::npos && IsDriverName(r.substr(0, colon))) {
        ev.passdb = r.substr(0, colon);
        AuthArgs(args, ev);
        return true;
      }
    }
    rest = r;
  }
  // 2.3: "passwd-file(alice,127.0.0.1,<sess>): Password mismatch"
  const std::size_t open = rest.find('(');
  const std::size_t close = rest.find("): ");
  if (open == string_view::npos || close == string_view::npos || open > close || open == 0 ||
      !IsDriverName(rest.substr(0, open))) {
    return false;
  }
  ev.passdb = rest.substr(0, open);
  AuthArgs(rest.substr(open + 1, close - open - 1), ev);
  return true;
}

// "service(imap-login): process_limit (100) reached, client connections are being dropped"
bool MasterLimit(string_view rest, DovecotEvent& ev) {
  const std::size_t close = rest.find("): ");
  if (close == string_view::npos) return false;
  ev.service = rest.substr(0, close);
  const string_view limit = rest.substr(close + 3);
  ev.limit = limit.substr(0, limit.find(" ("));
  return true;
}

void SessionEnd(string_view rest, DovecotEvent& ev) {
  std::size_t end = rest.find(" (");
  for (string_view stop : {" in=", " top=", ": "}) end = std::min(end, rest.find(stop));
  ev.end_reason = rest.substr(0, end);
  ev.end_label = ValueOf(DovecotCauseTables()[1].rows, ev.end_reason);
  ev.bytes_in = NumberAfter(rest, "in=");
  ev.bytes_out = NumberAfter(rest, "out=");
  if (ev.protocol == "pop3")
    ev.bytes_out = BytesAfterSlash(rest, "top=") + BytesAfterSlash(rest, "retr=");
}

bool Extract(const DovecotRule& r, string_view text, string_view rest, DovecotEvent& ev) {
  switch (r.extractor) {
    case DovecotExtractor::kNone:
      return true;
    case DovecotExtractor::kLogin:
      ParseElements(rest, ev);
      return true;
    case DovecotExtractor::kLoginFailure:
      LoginFailure(text, ev);
      return true;
    case DovecotExtractor::kPassdb:
      ev.auth_result = r.value == "password_mismatch" ? DovecotAuthResult::kPasswordMismatch
                       : r.value == "unknown_user"    ? DovecotAuthResult::kUnknownUser
                                                      : DovecotAuthResult::kOther;
      return Passdb(text, ev);
    case DovecotExtractor::kMasterLimit:
      return MasterLimit(rest, ev);
    case DovecotExtractor::kSessionEnd:
      SessionEnd(rest, ev);
      return true;
    case DovecotExtractor::kSessionEndWhole:
      SessionEnd(text, ev);
      return true;
    case DovecotExtractor::kLmtpMessage:
      ev.sieve = text.starts_with("sieve: ");
      ev.msgid = text.substr(text.find("msgid=") + 6);
      ev.msgid = ev.msgid.substr(0, ev.msgid.find(": "));
      return true;
  }
  return true;
}

// Walks the rows of one process class; the first row whose literals match and whose extractor finds
// its fields decides. The rows of each process class (the table keeps a class's rows together),
// found once.
struct ClassSpans {
  std::span<const DovecotRule> of[5];
  ClassSpans() {
    const auto rules = DovecotRules();
    for (std::size_t i = 0; i < rules.size();) {
      std::size_t j = i;
      while (j < rules.size() && rules[j].process == rules[i].process) ++j;
      of[static_cast<int>(rules[i].process)] = rules.subspan(i, j - i);
      i = j;
    }
  }
};

bool Walk(DovecotProcessClass process, string_view text, DovecotEvent& ev) {
  static const ClassSpans kSpans;
  for (const DovecotRule& r : kSpans.of[static_cast<int>(process)]) {
    if (r.anchor == Anchor::kPrefix && !r.literal.empty() &&
        (text.empty() || text[0] != r.literal[0]))
      continue;
    std::size_t at = 0;
    if (r.anchor == Anchor::kContains) {
      if ((at = text.find(r.literal)) == string_view::npos) continue;
    } else if (!Holds(r.anchor, text, r.literal)) {
      continue;
    }
    if (!r.also.empty() && text.find(r.also) == string_view::npos) continue;
    ev.kind = r.kind;
    if (!Extract(r, text, text.substr(at + r.literal.size()), ev)) {
      ev.kind = DovecotKind::kUnsupported;
      continue;
    }
    ev.rule = &r;
    return true;
  }
  return false;
}

}  // namespace

DovecotEvent ClassifyDovecot(std::string_view message) {
  DovecotEvent ev;
  const std::size_t colon = message.find(": ");
  if (colon == string_view::npos) return ev;
  ev.process = message.substr(0, colon);
  ev.prefix = ev.process;
  string_view rest = message.substr(colon + 2);
  for (string_view sev : {"Info: ", "Warning: ", "Error: ", "Fatal: ", "Panic: ", "Debug: "}) {
    if (ConsumePrefix(rest, sev)) break;
  }
  // "imap(alice)<pid><session>" -> "imap"; "auth-worker(123)" -> "auth-worker".
  string_view name = ev.process.substr(0, ev.process.find_first_of("(<"));
  ev.process = name;
  // The pid: "lmtp(10478)" or the first "<...>" after "lmtp(user)".
  if (const std::size_t lt = ev.prefix.find(")<"); lt != string_view::npos) {
    string_view p = ev.prefix.substr(lt + 2);
    ev.pid = p.substr(0, p.find('>'));
  } else if (ev.prefix.size() > name.size() + 2 && ev.prefix.ends_with(")")) {
    ev.pid = ev.prefix.substr(name.size() + 1, ev.prefix.size() - name.size() - 2);
  }
  if (name.ends_with("-login")) {
    ev.protocol = KnownProtocol(name.substr(0, name.size() - 6));
    Walk(DovecotProcessClass::kLogin, rest, ev);
  } else if (name == "auth" || name == "auth-worker") {
    Walk(DovecotProcessClass::kAuth, rest, ev);
  } else if (name == "master") {
    Walk(DovecotProcessClass::kMaster, rest, ev);
  } else if (name == "lmtp") {
    ev.protocol = "lmtp";
    if (!Walk(DovecotProcessClass::kLmtp, rest, ev) &&
        !Walk(DovecotProcessClass::kMail, rest, ev)) {
      ev.kind = DovecotKind::kKnownIgnored;  // lmtp's other notes
    }
  } else if (!KnownProtocol(name).empty()) {
    ev.protocol = KnownProtocol(name);
    Walk(DovecotProcessClass::kMail, rest, ev);
  }
  return ev;
}

std::string_view LoginReasonName(DovecotLoginReason r) {
  switch (r) {
    case DovecotLoginReason::kAuthFailed:
      return "auth_failed";
    case DovecotLoginReason::kNoAuthAttempts:
      return "no_auth_attempts";
    case DovecotLoginReason::kTlsHandshake:
      return "tls_handshake";
    case DovecotLoginReason::kPlaintextDisallowed:
      return "plaintext_auth_disallowed";
    case DovecotLoginReason::kTooManyInvalidCommands:
      return "too_many_invalid_commands";
    case DovecotLoginReason::kUserIpLimit:
      return "user_ip_connection_limit";
    case DovecotLoginReason::kConnectionQueueFull:
      return "connection_queue_full";
    case DovecotLoginReason::kInactivity:
      return "inactivity";
    case DovecotLoginReason::kAbortedAuthentication:
      return "aborted_authentication";
    case DovecotLoginReason::kOther:
      return "other";
  }
  return "other";
}

std::string_view TransportName(DovecotTransport t) {
  switch (t) {
    case DovecotTransport::kPlaintext:
      return "plaintext";
    case DovecotTransport::kSecured:
      return "secured";
    case DovecotTransport::kTls:
      return "tls";
    case DovecotTransport::kProxied:
      return "proxied";
  }
  return "plaintext";
}

std::string_view TlsCauseName(DovecotTlsCause c) {
  switch (c) {
    case DovecotTlsCause::kNone:
      return "none";
    case DovecotTlsCause::kConnectionClosed:
      return "connection_closed";
    case DovecotTlsCause::kWrongVersionNumber:
      return "wrong_version_number";
    case DovecotTlsCause::kUnsupportedProtocol:
      return "unsupported_protocol";
    case DovecotTlsCause::kNoSharedCipher:
      return "no_shared_cipher";
    case DovecotTlsCause::kUnknownCa:
      return "certificate_unknown_ca";
    case DovecotTlsCause::kCertificateRejected:
      return "certificate_rejected";
    case DovecotTlsCause::kTimeout:
      return "timeout";
    case DovecotTlsCause::kOther:
      return "other";
  }
  return "other";
}

std::string_view AuthResultName(DovecotAuthResult r) {
  switch (r) {
    case DovecotAuthResult::kPasswordMismatch:
      return "password_mismatch";
    case DovecotAuthResult::kUnknownUser:
      return "unknown_user";
    case DovecotAuthResult::kOther:
      return "other";
  }
  return "other";
}

}  // namespace mailpath::logs::classify
