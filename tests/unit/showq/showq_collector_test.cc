#include "mailpath/showq/showq_collector.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <condition_variable>
#include <thread>

#include "mailpath/metrics/exposition.h"
#include "showq_test_util.h"

namespace mailpath::showq {
namespace {

using testing::ReadFixture;

// Replays a byte string in small chunks, as a socket would deliver it.
class ReplayTransport : public ShowqTransport {
 public:
  explicit ReplayTransport(std::string bytes) : bytes_(std::move(bytes)) {}
  Status Read(const std::function<bool(std::string_view)>& on_chunk) override {
    for (std::size_t at = 0; at < bytes_.size(); at += 100) {
      if (!on_chunk(std::string_view(bytes_).substr(at, 100))) break;
    }
    return {};
  }
  const std::string& address() const override { return address_; }

 private:
  std::string bytes_;
  std::string address_ = "/spool/public/showq";
};

class FailingTransport : public ShowqTransport {
 public:
  explicit FailingTransport(int err) : err_(err) {}
  Status Read(const std::function<bool(std::string_view)>&) override {
    return Error{"connect to showq socket /spool/public/showq: fake", err_};
  }
  const std::string& address() const override { return address_; }

 private:
  int err_;
  std::string address_ = "/spool/public/showq";
};

// Blocks inside Read until released, so that concurrent scrapes overlap.
class GatedTransport : public ShowqTransport {
 public:
  explicit GatedTransport(std::string bytes) : bytes_(std::move(bytes)) {}
  Status Read(const std::function<bool(std::string_view)>& on_chunk) override {
    std::unique_lock lock(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return released_; });
    lock.unlock();
    on_chunk(bytes_);
    return {};
  }
  const std::string& address() const override { return address_; }
  void WaitEntered() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return entered_ > 0; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  int entered() {
    std::lock_guard lock(mu_);
    return entered_;
  }

 private:
  std::string bytes_;
  std::string address_ = "/spool/public/showq";
  std::mutex mu_;
  std::condition_variable cv_;
  int entered_ = 0;
  bool released_ = false;
};

double FixedNow() { return 1795359358.0; }

const prometheus::MetricFamily* Find(const std::vector<prometheus::MetricFamily>& fs,
                                     const std::string& name) {
  for (const auto& f : fs) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

double GaugeFor(const prometheus::MetricFamily& f, const std::string& label_value) {
  for (const auto& m : f.metric) {
    if (!m.label.empty() && m.label[0].value == label_value) return m.gauge.value;
  }
  return -1;
}

TEST(ShowqCollector, reports_up_and_all_five_queues_from_a_real_stream) {
  ShowqCollector c(std::make_unique<ReplayTransport>(ReadFixture("mixed_postfix37.bin")), {},
                   FixedNow);
  std::vector<prometheus::MetricFamily> out;
  c.Collect(out);

  const auto* up = Find(out, "postfix_up");
  ASSERT_NE(nullptr, up);
  EXPECT_EQ(1, GaugeFor(*up, "/spool/public/showq"));
  const auto* depth = Find(out, "postfix_showq_queue_depth");
  ASSERT_NE(nullptr, depth);
  EXPECT_EQ(5u, depth->metric.size());
  EXPECT_EQ(2, GaugeFor(*depth, "deferred"));
  EXPECT_EQ(1, GaugeFor(*depth, "maildrop"));
  const auto* reasons = Find(out, "postfix_showq_deferred_recipients");
  ASSERT_NE(nullptr, reasons);
  EXPECT_EQ(kReasonClassCount, reasons->metric.size());
  EXPECT_EQ(3, GaugeFor(*reasons, "connect_refused"));
  EXPECT_EQ(nullptr, Find(out, "postfix_showq_deferred_domain_recipients"));
}

TEST(ShowqCollector, empty_queue_reports_zero_depth_for_every_queue) {
  ShowqCollector c(std::make_unique<ReplayTransport>(ReadFixture("empty_postfix37.bin")), {},
                   FixedNow);
  std::vector<prometheus::MetricFamily> out;
  c.Collect(out);
  const auto* depth = Find(out, "postfix_showq_queue_depth");
  ASSERT_NE(nullptr, depth);
  ASSERT_EQ(5u, depth->metric.size());
  for (const auto& m : depth->metric) EXPECT_EQ(0, m.gauge.value) << m.label[0].value;
  const auto* size = Find(out, "postfix_showq_message_size_bytes");
  ASSERT_NE(nullptr, size);
  EXPECT_EQ(5u, size->metric.size());
}

TEST(ShowqCollector, domain_view_appears_when_a_cap_is_set) {
  ShowqCollector c(std::make_unique<ReplayTransport>(ReadFixture("mixed_postfix37.bin")),
                   {.deferred_domains_cap = 1}, FixedNow);
  std::vector<prometheus::MetricFamily> out;
  c.Collect(out);
  const auto* domains = Find(out, "postfix_showq_deferred_domain_recipients");
  ASSERT_NE(nullptr, domains);
  EXPECT_EQ(2u, domains->metric.size());
  EXPECT_EQ(3, GaugeFor(*domains, "refused.test"));
  EXPECT_EQ(1, GaugeFor(*domains, "other"));
  const auto* overflow = Find(out, "postfix_showq_deferred_domains_overflow");
  ASSERT_NE(nullptr, overflow);
  EXPECT_EQ(1, overflow->metric.at(0).gauge.value);
}

TEST(ShowqCollector, unreachable_socket_keeps_only_postfix_up_zero) {
  ShowqCollector c(std::make_unique<FailingTransport>(ECONNREFUSED), {}, FixedNow);
  std::vector<prometheus::MetricFamily> out;
  try {
    c.Collect(out);
    FAIL() << "expected CollectError";
  } catch (const metrics::CollectError& e) {
    ASSERT_EQ(1u, e.keep().size());
    EXPECT_EQ("postfix_up", e.keep()[0].name);
    EXPECT_EQ(0, e.keep()[0].metric.at(0).gauge.value);
    EXPECT_NE(std::string::npos, std::string(e.what()).find("not running")) << e.what();
  }
  EXPECT_TRUE(out.empty()) << "no queue series when showq is down";
}

TEST(ShowqCollector, permission_denied_names_the_postdrop_group) {
  ShowqCollector c(std::make_unique<FailingTransport>(EACCES), {}, FixedNow);
  std::vector<prometheus::MetricFamily> out;
  try {
    c.Collect(out);
    FAIL() << "expected CollectError";
  } catch (const metrics::CollectError& e) {
    EXPECT_NE(std::string::npos, std::string(e.what()).find("group postdrop")) << e.what();
  }
}

TEST(ShowqCollector, truncated_stream_is_a_failed_read_not_partial_counts) {
  const std::string stream = ReadFixture("mixed_postfix37.bin");
  ShowqCollector c(std::make_unique<ReplayTransport>(stream.substr(0, stream.size() / 2)), {},
                   FixedNow);
  std::vector<prometheus::MetricFamily> out;
  EXPECT_THROW(c.Collect(out), metrics::CollectError);
  EXPECT_TRUE(out.empty());
}

TEST(ShowqCollector, concurrent_scrapes_share_one_in_flight_read) {
  auto transport = std::make_unique<GatedTransport>(ReadFixture("mixed_postfix37.bin"));
  GatedTransport& gate = *transport;
  ShowqCollector c(std::move(transport), {}, FixedNow);

  std::vector<prometheus::MetricFamily> first_out, second_out;
  std::thread first([&] { c.Collect(first_out); });
  gate.WaitEntered();
  std::thread second([&] { c.Collect(second_out); });
  // Hold the first read open until the second scrape has either joined it
  // or opened a read of its own (which would be the bug).
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (c.joined() == 0 && gate.entered() < 2 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::yield();
  }
  gate.Release();
  first.join();
  second.join();

  EXPECT_EQ(1u, c.reads());
  EXPECT_EQ(1u, c.joined());
  EXPECT_EQ(1, gate.entered());
  EXPECT_FALSE(first_out.empty());
  EXPECT_EQ(metrics::SerializeText(first_out), metrics::SerializeText(second_out));
}

TEST(ShowqCollector, a_scrape_after_a_finished_read_reads_again) {
  ShowqCollector c(std::make_unique<ReplayTransport>(ReadFixture("empty_postfix37.bin")), {},
                   FixedNow);
  std::vector<prometheus::MetricFamily> out;
  c.Collect(out);
  c.Collect(out);
  EXPECT_EQ(2u, c.reads());
}

}  // namespace
}  // namespace mailpath::showq
