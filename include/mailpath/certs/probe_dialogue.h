#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mailpath/common/result.h"

namespace mailpath::certs {

enum class Protocol { kSmtp, kImap, kPop3 };
enum class TlsMode { kImplicit, kStartTls };

/// One mail port the certificate probe reads.
struct Target {
  std::uint16_t port = 0;
  Protocol protocol = Protocol::kSmtp;
  TlsMode mode = TlsMode::kStartTls;
  std::string cert_file;  // the certificate the daemon is configured with; empty: unknown
};

/// The well-known TLS-capable mail ports: STARTTLS on 25/587 (SMTP), 143
/// (IMAP), 110 (POP3, STLS); implicit TLS on 465, 993, 995. nullopt otherwise.
[[nodiscard]] std::optional<Target> WellKnownTarget(std::uint16_t port);

/// Parses a --cert.target value "PORT:KIND[:FILE]", KIND one of smtp
/// (STARTTLS), smtps, imap (STARTTLS), imaps, pop3 (STLS), pop3s. Pure.
[[nodiscard]] Result<Target> ParseTarget(std::string_view spec);

/// What a buffer of server bytes says at one step of the dialogue.
enum class Reply { kIncomplete, kOk, kRefused };

/// The greeting: SMTP "220 " (after any "220-" lines), IMAP "* OK", POP3 "+OK". Pure.
[[nodiscard]] Reply CheckGreeting(Protocol p, std::string_view buffer);
/// SMTP's EHLO answer: complete at the "250 " line. Pure.
[[nodiscard]] Reply CheckEhlo(std::string_view buffer);
/// The answer to STARTTLS / "a STARTTLS" / STLS: "220", "a OK", "+OK". Pure.
[[nodiscard]] Reply CheckStartTls(Protocol p, std::string_view buffer);

/// Commands: EHLO (SMTP only), the STARTTLS command, and the clean goodbye
/// (QUIT, "z LOGOUT", QUIT) sent inside TLS so the session ends as a normal
/// logout, not a lost connection.
[[nodiscard]] std::string_view EhloCommand();
[[nodiscard]] std::string_view StartTlsCommand(Protocol p);
[[nodiscard]] std::string_view GoodbyeCommand(Protocol p);

[[nodiscard]] std::string_view ProtocolName(Protocol p);

}  // namespace mailpath::certs
