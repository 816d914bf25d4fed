#include "mailpath/tcp/listen_limits.h"

#include <gtest/gtest.h>

#include "mailpath/tcp/diagnose.h"

namespace mailpath::tcp {
namespace {

// The shape `postconf -M` prints (one entry per line, the seven columns, command and arguments).
constexpr std::string_view kPostconfM =
    "smtp       inet  n       -       y       -       -       smtpd\n"
    "submission inet  n       -       y       -       1       smtpd -o "
    "syslog_name=postfix/submission\n"
    "127.0.0.1:10025 inet n   -       n       -       -       smtpd -o content_filter=\n"
    "[::1]:10465 inet n       -       n       -       5       smtpd\n"
    "pickup     unix  n       -       y       60      1       pickup\n"
    "    -o folded=argument\n"
    "broken line\n";

std::optional<std::uint16_t> Services(std::string_view name) {
  if (name == "smtp") return 25;
  if (name == "submission") return 587;
  return std::nullopt;
}

TEST(ListenLimits, postconf_m_lines_become_services_and_folded_or_short_lines_are_skipped) {
  const auto s = ParsePostconfM(kPostconfM);
  ASSERT_EQ(5u, s.size());
  EXPECT_EQ("submission", s[1].name);
  EXPECT_EQ("inet", s[1].type);
  EXPECT_EQ("1", s[1].maxproc);
  EXPECT_EQ("smtpd", s[1].command);
  EXPECT_EQ("unix", s[4].type);
}

TEST(ListenLimits, service_port_from_number_host_port_bracketed_v6_or_services_name) {
  EXPECT_EQ(std::optional<std::uint16_t>(587), ServicePort("submission", Services));
  EXPECT_EQ(std::optional<std::uint16_t>(10025), ServicePort("127.0.0.1:10025", Services));
  EXPECT_EQ(std::optional<std::uint16_t>(10465), ServicePort("[::1]:10465", Services));
  EXPECT_EQ(std::optional<std::uint16_t>(25), ServicePort("25", Services));
  EXPECT_EQ(std::nullopt, ServicePort("nosuchservice", Services));
  EXPECT_EQ(std::nullopt, ServicePort("70000", Services));
}

TEST(ListenLimits, full_submission_port_names_its_maxproc) {
  const std::string got =
      NameListenLimit(587, {1, 3, 2}, ParsePostconfM(kPostconfM), Services, 100);
  EXPECT_NE(std::string::npos, got.find("accept queue 3 of backlog 2")) << got;
  EXPECT_NE(std::string::npos,
            got.find("service \"submission\" (smtpd) runs at most 1 process (maxproc 1)"))
      << got;
  EXPECT_NE(std::string::npos, got.find("postconf -F 'submission/inet/maxproc=<more>'")) << got;
  EXPECT_NE(std::string::npos,
            got.find("logs no \"has reached its process limit\" warning for a maxproc 1"))
      << got;
}

TEST(ListenLimits, default_maxproc_names_default_process_limit_with_its_value) {
  const std::string got =
      NameListenLimit(25, {1, 101, 100}, ParsePostconfM(kPostconfM), Services, 100);
  EXPECT_NE(std::string::npos,
            got.find("runs at most 100 processes (maxproc \"-\" = default_process_limit)"))
      << got;
  EXPECT_NE(std::string::npos, got.find("default_process_limit (main.cf)")) << got;
  EXPECT_NE(std::string::npos, got.find("the master logs \"service \\\"smtp\\\" ... has reached"))
      << got;
}

TEST(ListenLimits, a_port_no_postfix_service_holds_is_dovecot_for_imap_and_pop3_ports) {
  const std::string got =
      NameListenLimit(993, {1, 101, 100}, ParsePostconfM(kPostconfM), Services, 100);
  EXPECT_NE(std::string::npos, got.find("service imap-login { process_limit }")) << got;
  const std::string other = NameListenLimit(2525, {1, 5, 4}, {}, Services, std::nullopt);
  EXPECT_NE(std::string::npos, other.find("No Postfix inet service holds this port (postconf -M)"))
      << other;
}

TEST(ListenLimits, listener_report_marks_not_listening_and_full_ports) {
  DumpAggregate agg;
  agg.listeners[{587, 2}] = {1, 3, 2};
  agg.listeners[{25, 10}] = {1, 0, 100};
  bool full = false;
  const std::string got =
      FormatListeners(agg, {25, 587, 993}, ParsePostconfM(kPostconfM), Services, 100, full);
  EXPECT_TRUE(full);
  EXPECT_NE(std::string::npos, got.find("port 25    listening      ipv6 0/100\n")) << got;
  EXPECT_NE(std::string::npos, got.find("port 587   listening      ipv4 3/2  FULL\n")) << got;
  EXPECT_NE(std::string::npos, got.find("port 993   NOT LISTENING\n")) << got;
  EXPECT_NE(std::string::npos, got.find("maxproc 1")) << got;
  agg.listeners[{587, 2}] = {1, 1, 2};
  (void)FormatListeners(agg, {25, 587}, {}, Services, 100, full);
  EXPECT_FALSE(full);
}

}  // namespace
}  // namespace mailpath::tcp

namespace mailpath::tcp {
namespace {

// The shape of `doveconf -a` (Dovecot 2.3.19) for the services that hold inet listeners.
constexpr std::string_view kDoveconf =
    "protocols = imap pop3 lmtp\n"
    "service imap-login {\n"
    "  client_limit = 0\n"
    "  inet_listener imap {\n"
    "    address = \n"
    "    port = 143\n"
    "  }\n"
    "  inet_listener imaps {\n"
    "    port = 993\n"
    "    ssl = yes\n"
    "  }\n"
    "  process_limit = 0\n"
    "  service_count = 1\n"
    "  unix_listener login/imap {\n"
    "    mode = 0666\n"
    "  }\n"
    "}\n"
    "service pop3-login {\n"
    "  inet_listener pop3 {\n"
    "    port = 20355\n"
    "  }\n"
    "  process_limit = 1\n"
    "  service_count = 1\n"
    "}\n"
    "protocol imap {\n"
    "  mail_max_userip_connections = 10\n"
    "}\n";

TEST(ListenLimits, doveconf_services_with_their_listener_ports_and_limits) {
  const auto s = ParseDoveconf(kDoveconf);
  ASSERT_EQ(2u, s.size());
  EXPECT_EQ("imap-login", s[0].name);
  EXPECT_EQ((std::vector<std::uint16_t>{143, 993}), s[0].ports);
  EXPECT_EQ("0", s[0].process_limit);
  EXPECT_EQ("1", s[0].service_count);
  EXPECT_EQ((std::vector<std::uint16_t>{20355}), s[1].ports);
  EXPECT_EQ("1", s[1].process_limit);
}

TEST(ListenLimits, a_full_dovecot_port_names_its_service_process_limit) {
  const std::string got = NameListenLimit(
      20355, {1, 5, 4}, {}, [](std::string_view) { return std::nullopt; }, 100,
      ParseDoveconf(kDoveconf));
  EXPECT_NE(std::string::npos,
            got.find("Dovecot service pop3-login (an inet_listener on this port) runs at most "
                     "process_limit=1 processes"))
      << got;
  EXPECT_NE(std::string::npos,
            got.find("service pop3-login { process_limit = <more> }   then doveadm reload"))
      << got;
  EXPECT_NE(std::string::npos, got.find("connection_queue_full")) << got;
}

}  // namespace
}  // namespace mailpath::tcp
