#include "mailpath/certs/probe_dialogue.h"

#include <charconv>

namespace mailpath::certs {
namespace {

// The last complete line of `b` (without CRLF), or nullopt if `b` holds no complete line.
std::optional<std::string_view> LastLine(std::string_view b) {
  const std::size_t end = b.rfind('\n');
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view upto = b.substr(0, end);
  if (!upto.empty() && upto.back() == '\r') upto.remove_suffix(1);
  const std::size_t start = upto.rfind('\n');
  return start == std::string_view::npos ? upto : upto.substr(start + 1);
}

// SMTP: complete when the last line is "ddd " (or exactly "ddd"); ok when its code is `code`.
Reply SmtpReply(std::string_view b, std::string_view code) {
  const auto line = LastLine(b);
  if (!line || line->size() < 3) return Reply::kIncomplete;
  if (line->size() > 3 && (*line)[3] == '-') return Reply::kIncomplete;
  return line->substr(0, 3) == code ? Reply::kOk : Reply::kRefused;
}

// IMAP/POP3: the first complete line decides.
Reply FirstLine(std::string_view b, std::string_view ok, std::string_view no1,
                std::string_view no2) {
  const std::size_t end = b.find('\n');
  if (end == std::string_view::npos) return Reply::kIncomplete;
  const std::string_view line = b.substr(0, end);
  if (line.starts_with(ok)) return Reply::kOk;
  if (line.starts_with(no1) || line.starts_with(no2)) return Reply::kRefused;
  return Reply::kRefused;
}

}  // namespace

std::optional<Target> WellKnownTarget(std::uint16_t port) {
  switch (port) {
    case 25:
    case 587:
      return Target{port, Protocol::kSmtp, TlsMode::kStartTls, {}};
    case 465:
      return Target{port, Protocol::kSmtp, TlsMode::kImplicit, {}};
    case 143:
      return Target{port, Protocol::kImap, TlsMode::kStartTls, {}};
    case 993:
      return Target{port, Protocol::kImap, TlsMode::kImplicit, {}};
    case 110:
      return Target{port, Protocol::kPop3, TlsMode::kStartTls, {}};
    case 995:
      return Target{port, Protocol::kPop3, TlsMode::kImplicit, {}};
    default:
      return std::nullopt;
  }
}

Result<Target> ParseTarget(std::string_view spec) {
  const std::size_t c1 = spec.find(':');
  if (c1 == std::string_view::npos) {
    return Error{"want PORT:KIND[:FILE], KIND smtp|smtps|imap|imaps|pop3|pop3s"};
  }
  unsigned port = 0;
  const std::string_view p = spec.substr(0, c1);
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || end != p.data() + p.size() || port == 0 || port > 65535) {
    return Error{"bad port \"" + std::string(p) + "\""};
  }
  const std::string_view rest = spec.substr(c1 + 1);
  const std::size_t c2 = rest.find(':');
  const std::string_view kind = rest.substr(0, c2);
  Target t;
  t.port = static_cast<std::uint16_t>(port);
  if (kind == "smtp") {
    t = {t.port, Protocol::kSmtp, TlsMode::kStartTls, {}};
  } else if (kind == "smtps") {
    t = {t.port, Protocol::kSmtp, TlsMode::kImplicit, {}};
  } else if (kind == "imap") {
    t = {t.port, Protocol::kImap, TlsMode::kStartTls, {}};
  } else if (kind == "imaps") {
    t = {t.port, Protocol::kImap, TlsMode::kImplicit, {}};
  } else if (kind == "pop3") {
    t = {t.port, Protocol::kPop3, TlsMode::kStartTls, {}};
  } else if (kind == "pop3s") {
    t = {t.port, Protocol::kPop3, TlsMode::kImplicit, {}};
  } else {
    return Error{"unknown kind \"" + std::string(kind) +
                 "\" (smtp, smtps, imap, imaps, pop3, pop3s)"};
  }
  if (c2 != std::string_view::npos) t.cert_file = std::string(rest.substr(c2 + 1));
  return t;
}

Reply CheckGreeting(Protocol p, std::string_view b) {
  switch (p) {
    case Protocol::kSmtp:
      return SmtpReply(b, "220");
    case Protocol::kImap:
      return FirstLine(b, "* OK", "* BYE", "* NO");
    case Protocol::kPop3:
      return FirstLine(b, "+OK", "-ERR", "-ERR");
  }
  return Reply::kRefused;
}

Reply CheckEhlo(std::string_view b) { return SmtpReply(b, "250"); }

Reply CheckStartTls(Protocol p, std::string_view b) {
  switch (p) {
    case Protocol::kSmtp:
      return SmtpReply(b, "220");
    case Protocol::kImap: {
      // Untagged lines may come first; the tagged "a" line decides.
      std::size_t at = 0;
      while (at < b.size()) {
        const std::size_t end = b.find('\n', at);
        if (end == std::string_view::npos) return Reply::kIncomplete;
        const std::string_view line = b.substr(at, end - at);
        if (line.starts_with("a ")) return line.starts_with("a OK") ? Reply::kOk : Reply::kRefused;
        at = end + 1;
      }
      return Reply::kIncomplete;
    }
    case Protocol::kPop3:
      return FirstLine(b, "+OK", "-ERR", "-ERR");
  }
  return Reply::kRefused;
}

std::string_view EhloCommand() { return "EHLO mailpath-probe.invalid\r\n"; }

std::string_view StartTlsCommand(Protocol p) {
  switch (p) {
    case Protocol::kSmtp:
      return "STARTTLS\r\n";
    case Protocol::kImap:
      return "a STARTTLS\r\n";
    case Protocol::kPop3:
      return "STLS\r\n";
  }
  return "";
}

std::string_view GoodbyeCommand(Protocol p) {
  switch (p) {
    case Protocol::kSmtp:
      return "QUIT\r\n";
    case Protocol::kImap:
      return "z LOGOUT\r\n";
    case Protocol::kPop3:
      return "QUIT\r\n";
  }
  return "";
}

std::string_view ProtocolName(Protocol p) {
  switch (p) {
    case Protocol::kSmtp:
      return "smtp";
    case Protocol::kImap:
      return "imap";
    case Protocol::kPop3:
      return "pop3";
  }
  return "";
}

}  // namespace mailpath::certs
