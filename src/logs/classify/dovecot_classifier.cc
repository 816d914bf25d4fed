#include <charconv>

#include "mailpath/logs/classify/dovecot_event.h"

namespace mailpath::logs::classify {
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
  if (Contains(text, "wrong version number") || Contains(text, "http request")) {
    return DovecotTlsCause::kWrongVersionNumber;
  }
  if (Contains(text, "unsupported protocol") || Contains(text, "version too low")) {
    return DovecotTlsCause::kUnsupportedProtocol;
  }
  if (Contains(text, "no shared cipher")) return DovecotTlsCause::kNoSharedCipher;
  if (Contains(text, "unknown ca") || Contains(text, "bad certificate")) return DovecotTlsCause::kUnknownCa;
  if (Contains(text, "certificate")) return DovecotTlsCause::kCertificateRejected;
  if (Contains(text, "timed out") || Contains(text, "Timeout")) return DovecotTlsCause::kTimeout;
  if (Contains(text, "Connection closed") || Contains(text, "Connection reset") ||
      Contains(text, "tls_handshake_not_finished") || Contains(text, "during TLS handshake")) {
    return DovecotTlsCause::kConnectionClosed;
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
          (ev.reason == DovecotLoginReason::kNoAuthAttempts || ev.reason == DovecotLoginReason::kOther ||
           ev.reason == DovecotLoginReason::kTlsHandshake)) {
        ev.reason = DovecotLoginReason::kTlsHandshake;
        // The element may run on past a ", " inside the OpenSSL text.
        ev.tls_cause = TlsCause(item);
      }
    }
  }
}

DovecotLoginReason LoginReason(string_view text) {
  if (Contains(text, "Maximum number of connections from user+IP exceeded") ||
      Contains(text, "(connection_limit)")) {
    return DovecotLoginReason::kUserIpLimit;
  }
  if (Contains(text, "Connection queue full") || Contains(text, "(process_full)")) {
    return DovecotLoginReason::kConnectionQueueFull;
  }
  if (Contains(text, "SSL_accept() failed") || Contains(text, "TLS handshaking") ||
      Contains(text, "(tls_handshake_not_finished)") || Contains(text, "during TLS handshake")) {
    return DovecotLoginReason::kTlsHandshake;
  }
  if (Contains(text, "Plaintext authentication disabled") || Contains(text, "Cleartext authentication disabled") ||
      Contains(text, "disallowed plaintext auth") || Contains(text, "disallowed cleartext auth")) {
    return DovecotLoginReason::kPlaintextDisallowed;
  }
  if (Contains(text, "Too many invalid") || Contains(text, "Too many bad commands")) {
    return DovecotLoginReason::kTooManyInvalidCommands;
  }
  if (Contains(text, "Inactivity")) return DovecotLoginReason::kInactivity;
  if (Contains(text, "(auth failed") || Contains(text, "(auth_failed)") ||
      Contains(text, "(authorization failed") || Contains(text, "Login failed: ")) {
    return DovecotLoginReason::kAuthFailed;
  }
  if (Contains(text, "(aborted authentication") || Contains(text, "didn't finish SASL auth") ||
      Contains(text, "disconnected while authenticating") || Contains(text, "(auth_aborted")) {
    return DovecotLoginReason::kAbortedAuthentication;
  }
  if (Contains(text, "(no auth attempts") || Contains(text, "(no_auth_attempts)") ||
      Contains(text, "disconnected before auth was ready")) {
    return DovecotLoginReason::kNoAuthAttempts;
  }
  return DovecotLoginReason::kOther;
}

void ClassifyLogin(string_view rest, DovecotEvent& ev) {
  if (ConsumePrefix(rest, "Login: ") || ConsumePrefix(rest, "Logged in: ")) {  // 2.4: "Logged in: "
    ev.kind = DovecotKind::kLogin;
    ParseElements(rest, ev);
    return;
  }
  // "Authenticate PLAIN failed: Aborted: ..." (2.4) precedes the "Login aborted" line that counts.
  if (rest.starts_with("Authenticate ")) {
    ev.kind = DovecotKind::kKnownIgnored;
    return;
  }
  if (!(rest.starts_with("Disconnected") || rest.starts_with("Aborted login") ||
        rest.starts_with("Login aborted") || rest.starts_with("Login failed"))) {
    ev.kind = DovecotKind::kUnsupported;
    return;
  }
  ev.kind = DovecotKind::kLoginFailure;
  string_view reason_text = rest;
  string_view elements;
  if (const std::size_t at = rest.find(": user=<"); at != string_view::npos) {
    reason_text = rest.substr(0, at);
    elements = rest.substr(at + 2);
  }
  ev.reason = LoginReason(reason_text);
  // An auth failure hides behind whatever ended the connection ("Inactivity (auth failed, 1 attempts ...)").
  ev.auth_failed = Contains(reason_text, "(auth failed") || Contains(reason_text, "(auth_failed)");
  if (ev.reason == DovecotLoginReason::kTlsHandshake) ev.tls_cause = TlsCause(reason_text);
  ParseElements(elements, ev);
  // ParseElements lets "TLS handshaking: ..." outrank "no auth attempts" and
  // "other", but never a limit or an explicit refusal.
}

bool IsDriverName(string_view d) {
  if (d.empty() || d.size() > 64) return false;
  for (char c : d) {
    if (!((c >= 'a' && c <= 'z') || c == '-' || c == '_' || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

void AuthVerdict(string_view verdict, DovecotEvent& ev) {
  ev.kind = DovecotKind::kAuthResult;
  if (Contains(verdict, "Password mismatch") || Contains(verdict, "password mismatch")) {
    ev.auth_result = DovecotAuthResult::kPasswordMismatch;  // pam: "Authentication failure (password mismatch?)"
  } else if (Contains(verdict, "unknown user")) {
    ev.auth_result = DovecotAuthResult::kUnknownUser;
  } else {
    ev.auth_result = DovecotAuthResult::kOther;
  }
}

// "alice,192.0.2.44,sasl:plain" / "alice@lab.test,127.0.0.1,<sess>" -> user, rip.
void AuthArgs(string_view args, DovecotEvent& ev) {
  const std::size_t comma = args.find(',');
  ev.user = args.substr(0, comma);
  if (comma != string_view::npos) {
    string_view after = args.substr(comma + 1);
    ev.rip = after.substr(0, after.find(','));
  }
}

void ClassifyAuth(string_view rest, DovecotEvent& ev) {
  // 2.4: the request is in the process prefix: "auth(alice,192.0.2.44,sasl:plain)<sess>: passwd-file: Password
  // mismatch"; the worker adds "<pid><sess>: request [N]: ".
  if (const std::size_t open = ev.prefix.find('('); open != string_view::npos) {
    const std::size_t close = ev.prefix.find(')', open);
    const string_view args =
        close == string_view::npos ? string_view{} : ev.prefix.substr(open + 1, close - open - 1);
    string_view r = rest;
    if (ConsumePrefix(r, "request [")) r = r.substr(r.find("]: ") == string_view::npos ? r.size() : r.find("]: ") + 3);
    for (string_view sev : {"Info: ", "Warning: ", "Error: "}) {
      if (ConsumePrefix(r, sev)) break;
    }
    const std::size_t colon = r.find(": ");
    if (Contains(args, ",") || Contains(args, "?")) {  // not the 2.3 "auth-worker(4242)" pid form
      if (colon != string_view::npos && IsDriverName(r.substr(0, colon))) {
        ev.passdb = r.substr(0, colon);
        AuthArgs(args, ev);
        AuthVerdict(r.substr(colon + 2), ev);
        return;
      }
    }
    rest = r;
  }
  // 2.3: "passwd-file(alice,127.0.0.1,<sess>): Password mismatch"
  const std::size_t open = rest.find('(');
  const std::size_t close = rest.find("): ");
  if (open == string_view::npos || close == string_view::npos || open > close || open == 0 ||
      !IsDriverName(rest.substr(0, open))) {
    ev.kind = DovecotKind::kUnsupported;
    return;
  }
  ev.passdb = rest.substr(0, open);
  AuthArgs(rest.substr(open + 1, close - open - 1), ev);
  AuthVerdict(rest.substr(close + 3), ev);
}

void ClassifyMaster(string_view rest, DovecotEvent& ev) {
  // "service(imap-login): process_limit (100) reached, client connections are being dropped"
  if (ConsumePrefix(rest, "service(")) {
    const std::size_t close = rest.find("): ");
    const std::size_t reached = rest.find(") reached");
    if (close != string_view::npos && reached != string_view::npos) {
      ev.kind = DovecotKind::kMasterLimit;
      ev.service = rest.substr(0, close);
      string_view limit = rest.substr(close + 3);
      ev.limit = limit.substr(0, limit.find(" ("));
      return;
    }
  }
  ev.kind = (rest.starts_with("Dovecot v") || Contains(rest, "Killed with signal"))
                ? DovecotKind::kKnownIgnored
                : DovecotKind::kUnsupported;
}

void ClassifySession(string_view rest, DovecotEvent& ev) {
  const bool has_bytes = Contains(rest, " in=") || Contains(rest, "in=") || Contains(rest, " size=");
  if (ConsumePrefix(rest, "Disconnected: ") || ConsumePrefix(rest, "Disconnected ")) {
  } else if (!has_bytes || !(rest.starts_with("Connection closed") || rest.starts_with("Logged out"))) {
    ev.kind = (ev.protocol == "lmtp") ? DovecotKind::kKnownIgnored : DovecotKind::kUnsupported;
    return;
  }
  ev.kind = DovecotKind::kSessionEnd;
  std::size_t end = rest.find(" (");
  for (string_view stop : {" in=", " top=", ": "}) end = std::min(end, rest.find(stop));
  ev.end_reason = rest.substr(0, end);
  ev.bytes_in = NumberAfter(rest, "in=");
  ev.bytes_out = NumberAfter(rest, "out=");
  if (ev.protocol == "pop3") ev.bytes_out = BytesAfterSlash(rest, "top=") + BytesAfterSlash(rest, "retr=");
}

void ClassifyLmtp(string_view rest, DovecotEvent& ev) {
  if (rest.starts_with("msgid=") || rest.starts_with("sieve: msgid=")) {
    ev.sieve = rest.starts_with("sieve: ");
    ev.msgid = rest.substr(rest.find("msgid=") + 6);
    ev.msgid = ev.msgid.substr(0, ev.msgid.find(": "));
    if (Contains(rest, ": saved mail to ") || Contains(rest, "stored mail into mailbox")) {
      ev.kind = DovecotKind::kLmtpDelivery;
    } else if (Contains(rest, "save failed") || Contains(rest, "failed to store") || Contains(rest, "Quota")) {
      ev.kind = DovecotKind::kLmtpFailure;
    } else {
      ev.kind = DovecotKind::kKnownIgnored;
    }
    return;
  }
  if (rest.starts_with("Connect from ") || rest.starts_with("Disconnect from ")) {
    ev.kind = DovecotKind::kKnownIgnored;
    return;
  }
  if (Contains(rest, "Quota exceeded") || Contains(rest, "save failed")) {
    ev.kind = DovecotKind::kLmtpFailure;
    return;
  }
  ev.kind = DovecotKind::kUnsupported;
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
    ClassifyLogin(rest, ev);
  } else if (name == "auth" || name == "auth-worker") {
    ClassifyAuth(rest, ev);
  } else if (name == "master") {
    ClassifyMaster(rest, ev);
  } else if (name == "lmtp") {
    ev.protocol = "lmtp";
    ClassifyLmtp(rest, ev);
    if (ev.kind == DovecotKind::kUnsupported) ClassifySession(rest, ev);
  } else if (!KnownProtocol(name).empty()) {
    ev.protocol = KnownProtocol(name);
    ClassifySession(rest, ev);
  }
  return ev;
}

std::string_view LoginReasonName(DovecotLoginReason r) {
  switch (r) {
    case DovecotLoginReason::kAuthFailed: return "auth_failed";
    case DovecotLoginReason::kNoAuthAttempts: return "no_auth_attempts";
    case DovecotLoginReason::kTlsHandshake: return "tls_handshake";
    case DovecotLoginReason::kPlaintextDisallowed: return "plaintext_auth_disallowed";
    case DovecotLoginReason::kTooManyInvalidCommands: return "too_many_invalid_commands";
    case DovecotLoginReason::kUserIpLimit: return "user_ip_connection_limit";
    case DovecotLoginReason::kConnectionQueueFull: return "connection_queue_full";
    case DovecotLoginReason::kInactivity: return "inactivity";
    case DovecotLoginReason::kAbortedAuthentication: return "aborted_authentication";
    case DovecotLoginReason::kOther: return "other";
  }
  return "other";
}

std::string_view TransportName(DovecotTransport t) {
  switch (t) {
    case DovecotTransport::kPlaintext: return "plaintext";
    case DovecotTransport::kSecured: return "secured";
    case DovecotTransport::kTls: return "tls";
    case DovecotTransport::kProxied: return "proxied";
  }
  return "plaintext";
}

std::string_view TlsCauseName(DovecotTlsCause c) {
  switch (c) {
    case DovecotTlsCause::kNone: return "none";
    case DovecotTlsCause::kConnectionClosed: return "connection_closed";
    case DovecotTlsCause::kWrongVersionNumber: return "wrong_version_number";
    case DovecotTlsCause::kUnsupportedProtocol: return "unsupported_protocol";
    case DovecotTlsCause::kNoSharedCipher: return "no_shared_cipher";
    case DovecotTlsCause::kUnknownCa: return "certificate_unknown_ca";
    case DovecotTlsCause::kCertificateRejected: return "certificate_rejected";
    case DovecotTlsCause::kTimeout: return "timeout";
    case DovecotTlsCause::kOther: return "other";
  }
  return "other";
}

std::string_view AuthResultName(DovecotAuthResult r) {
  switch (r) {
    case DovecotAuthResult::kPasswordMismatch: return "password_mismatch";
    case DovecotAuthResult::kUnknownUser: return "unknown_user";
    case DovecotAuthResult::kOther: return "other";
  }
  return "other";
}

}  // namespace mailpath::logs::classify
