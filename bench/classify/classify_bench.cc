// Google Benchmark micro-benchmarks of the classifiers, one per daemon (and per Dovecot process
// class), over real line shapes: a table row that costs a regex-like scan shows here before it
// shows in the 1M-line replay. Run: build/mailpath_classify_bench.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include "mailpath/logs/classify/delivery_reason.h"
#include "mailpath/logs/classify/dovecot_event.h"
#include "mailpath/logs/classify/postfix_event.h"
#include "mailpath/logs/classify/postfix_rules.h"

namespace {

using mailpath::logs::classify::ClassifyDovecot;
using mailpath::logs::classify::ClassifyPostfix;
using mailpath::logs::classify::DeliveryReasonRules;
using mailpath::logs::classify::MatchDeliveryReason;
using mailpath::logs::classify::PostfixRuleTables;

void RunPostfix(benchmark::State& state, std::string_view daemon,
                const std::vector<std::string_view>& lines) {
  std::size_t n = 0;
  for (auto _ : state) {
    for (std::string_view m : lines) benchmark::DoNotOptimize(ClassifyPostfix(daemon, m));
    n += lines.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
}

void BM_Smtpd(benchmark::State& state) {
  RunPostfix(
      state, "smtpd",
      {"connect from unknown[192.0.2.40]",
       "disconnect from unknown[192.0.2.40] ehlo=2 starttls=1 auth=0/1 quit=1 commands=4/5",
       "7B2D8112145: client=unknown[192.0.2.40], sasl_method=PLAIN, "
       "sasl_username=alice@example.com",
       "warning: unknown[192.0.2.40]: SASL PLAIN authentication failed: (reason unavailable), "
       "sasl_username=alice@example.com",
       "NOQUEUE: reject: RCPT from unknown[192.0.2.13]: 550 5.1.1 <nobody@example.com>: Recipient "
       "address "
       "rejected: User unknown in virtual mailbox table; from=<alice@example.org> "
       "to=<nobody@example.com> "
       "proto=ESMTP helo=<client.example.org>",
       "lost connection after STARTTLS from unknown[192.0.2.41]",
       "warning: connect to Milter service unix:/run/opendkim/opendkim.sock: No such file or "
       "directory"});
}
BENCHMARK(BM_Smtpd);

void BM_SmtpDelivery(benchmark::State& state) {
  RunPostfix(
      state, "smtp",
      {"3BDDA112119: to=<alice@example.com>, relay=mx.example.com[198.51.100.7]:25, delay=0.04, "
       "delays=0.01/0.01/0.01/0.01, dsn=2.0.0, status=sent (250 2.0.0 OK)",
       "1B2C3D4E5F: to=<alice@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=0.9, "
       "delays=0.1/0/0.4/0.4, dsn=4.7.1, status=deferred (host mx.example.net[198.51.100.7] said: "
       "450 4.7.1 "
       "<alice@example.net>: Recipient address rejected: Greylisted, see "
       "http://greylist.example.org/help (in "
       "reply to RCPT TO command))",
       "79E65112151: to=<u@example.org>, relay=none, delay=5, delays=0/0/5/0, dsn=4.4.1, "
       "status=deferred "
       "(connect to mx.example.org[203.0.113.7]:25: Connection timed out)",
       "C0219112161: to=<u@example.com>, relay=mx.example.com[198.51.100.9]:25, delay=0, "
       "delays=0/0/0/0, "
       "dsn=5.1.1, status=bounced (host mx.example.com[198.51.100.9] said: 550 5.1.1 "
       "<u@example.com>: "
       "Recipient address rejected: User unknown (in reply to RCPT TO command))"});
}
BENCHMARK(BM_SmtpDelivery);

void BM_Qmgr(benchmark::State& state) {
  RunPostfix(state, "qmgr",
             {"48973112119: from=<carol@example.com>, size=409, nrcpt=1 (queue active)",
              "3BDDA112119: removed"});
}
BENCHMARK(BM_Qmgr);

void BM_Cleanup(benchmark::State& state) {
  RunPostfix(
      state, "cleanup",
      {"3BDDA112119: message-id=<20261122132903.010252@mail.example.com>",
       "ABCDE12345: milter-reject: END-OF-MESSAGE from mail.example.net[203.0.113.4]: 5.7.1 Spam; "
       "from=<alice@example.org> to=<bob@example.com> proto=ESMTP helo=<mail.example.net>"});
}
BENCHMARK(BM_Cleanup);

void BM_Anvil(benchmark::State& state) {
  RunPostfix(state, "anvil",
             {"statistics: max connection rate 11/60s for (smtpd:203.0.113.22) at Nov 22 13:29:33",
              "statistics: max cache size 18 at Nov 22 13:29:33"});
}
BENCHMARK(BM_Anvil);

// Every row of one Postfix wording table, through ClassifyPostfix with the
// row's daemon: each text walks the tables up to its own row (the worst case),
// so a slow row or a long table shows here. Arg = the table's index.
void BM_PostfixTableExamples(benchmark::State& state) {
  const auto table = PostfixRuleTables()[static_cast<std::size_t>(state.range(0))];
  state.SetLabel(std::string(table.name));
  std::size_t n = 0;
  for (auto _ : state) {
    for (const auto& r : table.rows) benchmark::DoNotOptimize(ClassifyPostfix(r.daemon, r.example));
    n += table.rows.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
}
BENCHMARK(BM_PostfixTableExamples)->DenseRange(0, static_cast<int>(PostfixRuleTables().size()) - 1);

void BM_Postscreen(benchmark::State& state) {
  RunPostfix(state, "postscreen",
             {"CONNECT from [203.0.113.9]:40000 to [192.0.2.1]:25", "PASS NEW [203.0.113.9]:40000",
              "PREGREET 11 after 0.1 from [203.0.113.9]:40001: "
              "EHLO x\\r\\n"});
}
BENCHMARK(BM_Postscreen);

void BM_MasterWarnings(benchmark::State& state) {
  RunPostfix(state, "master",
             {"warning: process /usr/lib/postfix/sbin/smtpd pid 4471 exit status 1",
              "warning: /usr/lib/postfix/sbin/smtpd: bad command startup -- throttling",
              "daemon started -- version 3.7.11, configuration /etc/postfix"});
}
BENCHMARK(BM_MasterWarnings);

void RunDovecot(benchmark::State& state, const std::vector<std::string_view>& lines) {
  std::size_t n = 0;
  for (auto _ : state) {
    for (std::string_view m : lines) benchmark::DoNotOptimize(ClassifyDovecot(m));
    n += lines.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
}

void BM_DovecotLogin(benchmark::State& state) {
  RunDovecot(state,
             {"imap-login: Info: Login: user=<alice@example.com>, method=PLAIN, rip=192.0.2.1, "
              "lip=192.0.2.2, "
              "mpid=12503, TLS, session=<0nOket1gMq1/AAAB>",
              "imap-login: Info: Login aborted: Logged out (auth failed, 1 attempts in 0 secs) "
              "(auth_failed): "
              "user=<alice@example.com>, method=PLAIN, rip=192.0.2.1, lip=192.0.2.2, TLS, "
              "session=<sVuI339hNth/AAAB>",
              "pop3-login: Info: Disconnected: Inactivity (auth failed, 1 attempts in 178 secs): "
              "user=<bob>, "
              "method=PLAIN, rip=192.0.2.47, lip=192.0.2.1, TLS, session=<Cb1cD2eF3gH4iJ5k>"});
}
BENCHMARK(BM_DovecotLogin);

void BM_DovecotAuth(benchmark::State& state) {
  RunDovecot(
      state,
      {"auth(alice@example.com,192.0.2.1,sasl:plain)<sVuI339hNth/AAAB>: Info: passwd-file: "
       "Password "
       "mismatch",
       "auth: Info: passwd-file(carol@example.com,192.0.2.5,<hYipet1gNq1/AAAB>): unknown user"});
}
BENCHMARK(BM_DovecotAuth);

void BM_DovecotSession(benchmark::State& state) {
  RunDovecot(state, {"imap(alice@example.com)<12503><0nOket1gMq1/AAAB>: Info: Disconnected: Logged "
                     "out in=32 out=822",
                     "pop3(bob@example.com)<4244><Zy7kQ2aBcD3eFgHi>: Info: Logged out top=0/0, "
                     "retr=1/1459, del=0/1, "
                     "size=1459"});
}
BENCHMARK(BM_DovecotSession);

void BM_DovecotLmtp(benchmark::State& state) {
  RunDovecot(
      state,
      {"lmtp(alice@example.com)<10478><2XftDyHuAmvuKAAAg+zDdQ>: Info: msgid=<m@example.org>: saved "
       "mail to INBOX",
       "lmtp(10478): Info: Connect from local",
       "lmtp(10478): Info: Disconnect from local: Logged out"});
}
BENCHMARK(BM_DovecotLmtp);

void BM_DovecotMaster(benchmark::State& state) {
  RunDovecot(
      state,
      {"master: Warning: service(imap-login): process_limit (100) reached, client connections are "
       "being dropped"});
}
BENCHMARK(BM_DovecotMaster);

// Every row of the Dovecot line table, through ClassifyDovecot.
void BM_DovecotTableExamples(benchmark::State& state) {
  const auto rules = mailpath::logs::classify::DovecotRules();
  std::size_t n = 0;
  for (auto _ : state) {
    for (const auto& r : rules) benchmark::DoNotOptimize(ClassifyDovecot(r.example));
    n += rules.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
}
BENCHMARK(BM_DovecotTableExamples);

// The reason vocabulary over every row's own example (the worst case: each
// text walks the table up to its row).
void BM_DeliveryReasonTable(benchmark::State& state) {
  const auto rules = DeliveryReasonRules();
  std::size_t n = 0;
  for (auto _ : state) {
    for (const auto& r : rules) benchmark::DoNotOptimize(MatchDeliveryReason("", r.example));
    n += rules.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
}
BENCHMARK(BM_DeliveryReasonTable);

}  // namespace

BENCHMARK_MAIN();
