#include "mailpath/certs/probe_filter.h"

#include <gtest/gtest.h>

namespace mailpath::certs {
namespace {

TEST(ProbeFilter, postfix_and_dovecot_lines_of_a_probe_session_are_recognised) {
  // The lines a probe session leaves (Postfix 3.7 smtpd, Dovecot 2.3 imap-login), from
  // tests/integration/test_cert_probe.py runs.
  for (const char* line :
       {"connect from localhost[127.0.0.153]",
        "Anonymous TLS connection established from localhost[127.0.0.153]: TLSv1.3 with cipher "
        "TLS_AES_256_GCM_SHA384 (256/256 bits)",
        "disconnect from localhost[127.0.0.153] ehlo=1 starttls=1 quit=1 commands=3",
        "imap-login: Disconnected: Aborted login by logging out (no auth attempts in 0 secs): "
        "user=<>, "
        "rip=127.0.0.153, lip=127.0.0.1, TLS, session=<AbCdEf>",
        "pop3-login: Disconnected: Aborted login by logging out (no auth attempts in 0 secs): "
        "user=<>, "
        "rip=127.0.0.153, lip=127.0.0.1, TLS"}) {
    SCOPED_TRACE(line);
    EXPECT_TRUE(IsProbeLine(line, "127.0.0.153"));
  }
}

TEST(ProbeFilter, other_clients_and_look_alike_addresses_are_not) {
  for (const char* line :
       {"connect from localhost[127.0.0.1]", "connect from unknown[127.0.0.1530]",
        "disconnect from mail.example.org[198.51.100.7] ehlo=1 starttls=1 quit=1 commands=3",
        "imap-login: Disconnected: Aborted login by logging out (no auth attempts in 0 secs): "
        "user=<>, "
        "rip=127.0.0.1, lip=127.0.0.153, TLS",
        "imap-login: Login: user=<alice>, method=PLAIN, rip=127.0.0.1530, lip=127.0.0.1"}) {
    SCOPED_TRACE(line);
    EXPECT_FALSE(IsProbeLine(line, "127.0.0.153"));
  }
  EXPECT_FALSE(IsProbeLine("connect from localhost[127.0.0.153]", ""));
}

struct Recorder : metrics::Collector, logs::RecordConsumer {
  int consumed = 0;
  void Collect(std::vector<prometheus::MetricFamily>&) override {}
  void Consume(const logs::LogRecord&) override { ++consumed; }
};

TEST(ProbeFilter, the_wrapped_classifier_never_sees_probe_lines) {
  auto inner = std::make_unique<Recorder>();
  Recorder* raw = inner.get();
  ProbeFilteredClassifier f(std::move(inner), *raw, "127.0.0.153");
  logs::LogRecord r;
  r.message = "connect from localhost[127.0.0.153]";
  f.Consume(r);
  r.message = "connect from mail.example.org[192.0.2.10]";
  f.Consume(r);
  EXPECT_EQ(1, raw->consumed);
  EXPECT_EQ(1u, f.skipped());
}

}  // namespace
}  // namespace mailpath::certs
