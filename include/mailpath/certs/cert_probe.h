#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "mailpath/certs/probe_dialogue.h"
#include "mailpath/common/result.h"

namespace mailpath::certs {

/// What the exporter keeps of a certificate: validity and a fingerprint
/// (never a label: the first 48 bits of its SHA-256, exact in a float64).
struct CertInfo {
  double not_before = 0;  // Unix seconds
  double not_after = 0;
  double fingerprint48 = 0;
  std::string der;  // for the served == file comparison
};

/// The outcome of one loopback probe of one port.
struct ProbeResult {
  bool ok = false;
  std::string failed_stage;  // connect, banner, starttls, handshake (empty when ok)
  std::string error;         // for the log
  std::map<std::string, double>
      stage_seconds;               // connect, banner, starttls (STARTTLS ports), handshake
  std::optional<CertInfo> served;  // the leaf the daemon sent
  bool chain_verified = false;     // OpenSSL's verdict against the system store (or --cert.ca-file)
};

struct ProbeOptions {
  std::string address = "127.0.0.1";
  std::string source_address;  // bind here first when set (lets log readers recognise probes)
  std::string ca_file;         // verify against this instead of the system store
  std::chrono::milliseconds timeout{5000};
};

/// Connects to `options.address`:port, speaks the protocol up to TLS (banner,
/// EHLO and STARTTLS / STARTTLS / STLS, or TLS at once), completes the
/// handshake, reads the greeting on implicit-TLS ports, then ends with
/// QUIT / LOGOUT inside TLS and a TLS close_notify. No credentials are ever
/// sent. Never throws.
[[nodiscard]] ProbeResult ProbeTarget(const Target& target, const ProbeOptions& options);

/// The first certificate of a PEM file (a certificate file, or a Postfix
/// chain file: only CERTIFICATE blocks are decoded). An Error (with errno
/// when it cannot be opened) when unreadable or holding none.
[[nodiscard]] Result<CertInfo> ReadCertFile(const std::string& path);

/// The first CERTIFICATE block of PEM text, decoded. Pure.
[[nodiscard]] std::optional<CertInfo> DecodeFirstPemCertificate(std::string_view pem);

}  // namespace mailpath::certs
