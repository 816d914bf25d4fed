#include "mailpath/showq/showq_parser.h"

#include <gtest/gtest.h>

#include "showq_test_util.h"

namespace mailpath::showq {
namespace {

using testing::Attr;
using testing::End;
using testing::ReadFixture;
using testing::RecordingSink;

struct Parsed {
  bool fed = false;
  bool finished = false;
  std::string error;
  bool saw_protocol = false;
  std::uint64_t skipped = 0;
  RecordingSink sink;
};

Parsed ParseInChunks(std::string_view stream, std::size_t chunk) {
  Parsed p;
  ShowqParser parser(p.sink);
  p.fed = true;
  for (std::size_t at = 0; at < stream.size() && p.fed; at += chunk) {
    p.fed = parser.Feed(stream.substr(at, chunk));
  }
  p.finished = p.fed && parser.Finish();
  p.error = parser.error();
  p.saw_protocol = parser.saw_protocol_record();
  p.skipped = parser.skipped_records();
  return p;
}

Parsed Parse(std::string_view stream) { return ParseInChunks(stream, stream.size() + 1); }

TEST(ShowqParser, reads_every_message_of_a_real_postfix_37_capture) {
  const std::string stream = ReadFixture("mixed_postfix37.bin");
  ASSERT_FALSE(stream.empty());

  const Parsed p = Parse(stream);

  ASSERT_TRUE(p.finished) << p.error;
  EXPECT_TRUE(p.saw_protocol);
  ASSERT_EQ(6u, p.sink.messages.size());
  const std::vector<std::string> queues = {"maildrop", "active",   "incoming",
                                           "deferred", "deferred", "hold"};
  for (std::size_t i = 0; i < queues.size(); ++i) {
    EXPECT_EQ(queues[i], p.sink.messages[i].queue_name) << i;
  }
  const auto& multi = p.sink.messages[3];
  EXPECT_EQ("C3FE3A74131", multi.queue_id);
  EXPECT_EQ("bob@src.test", multi.sender);
  EXPECT_EQ(377u, multi.size);
  EXPECT_EQ(1795359258, multi.time);
  EXPECT_EQ(3u, multi.recipients);
  EXPECT_FALSE(multi.forced_expire);
  EXPECT_TRUE(p.sink.messages[5].forced_expire);
  ASSERT_EQ(8u, p.sink.recipients.size());
  EXPECT_EQ("r3@Refused.test", p.sink.recipients[5].address);
  EXPECT_EQ("deferred", p.sink.recipients[5].queue_name);
  EXPECT_NE(std::string::npos, p.sink.recipients[5].reason.find("Connection refused"));
  EXPECT_EQ("", p.sink.recipients[7].reason);
}

TEST(ShowqParser, empty_queue_capture_has_only_the_protocol_record) {
  const Parsed p = Parse(ReadFixture("empty_postfix37.bin"));
  ASSERT_TRUE(p.finished) << p.error;
  EXPECT_TRUE(p.saw_protocol);
  EXPECT_TRUE(p.sink.messages.empty());
}

TEST(ShowqParser, result_does_not_depend_on_how_the_stream_is_chunked) {
  const std::string stream = ReadFixture("mixed_postfix37.bin");
  const Parsed whole = Parse(stream);
  ASSERT_TRUE(whole.finished);
  for (std::size_t chunk = 1; chunk <= 64; ++chunk) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    const Parsed p = ParseInChunks(stream, chunk);
    ASSERT_TRUE(p.finished) << p.error;
    EXPECT_EQ(whole.sink.messages, p.sink.messages);
    EXPECT_EQ(whole.sink.recipients, p.sink.recipients);
  }
}

TEST(ShowqParser, every_truncation_of_a_real_stream_is_reported_as_truncated) {
  const std::string stream = ReadFixture("mixed_postfix37.bin");
  for (std::size_t cut = 0; cut < stream.size(); ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    const Parsed p = Parse(std::string_view(stream).substr(0, cut));
    EXPECT_FALSE(p.finished);
    EXPECT_NE(std::string::npos, p.error.find("truncated after " + std::to_string(cut))) << p.error;
  }
}

TEST(ShowqParser, empty_stream_is_truncated) {
  const Parsed p = Parse("");
  EXPECT_FALSE(p.finished);
  EXPECT_NE(std::string::npos, p.error.find("before the end-of-stream record")) << p.error;
}

TEST(ShowqParser, stream_without_protocol_record_as_postfix_35_sends_it) {
  const std::string with = ReadFixture("mixed_postfix37.bin");
  const std::string greeting = Attr("protocol", "mail_queue_list_protocol") + End();
  ASSERT_EQ(0u, with.find(greeting));
  const std::string without = with.substr(greeting.size());

  const Parsed a = Parse(with);
  const Parsed b = Parse(without);

  ASSERT_TRUE(b.finished) << b.error;
  EXPECT_FALSE(b.saw_protocol);
  EXPECT_EQ(a.sink.messages, b.sink.messages);
  EXPECT_EQ(a.sink.recipients, b.sink.recipients);
}

TEST(ShowqParser, empty_queue_without_protocol_record_is_one_terminator) {
  const Parsed p = Parse(End());
  ASSERT_TRUE(p.finished) << p.error;
  EXPECT_TRUE(p.sink.messages.empty());
}

TEST(ShowqParser, unknown_attributes_and_records_are_skipped) {
  const std::string stream = Attr("protocol", "mail_queue_list_protocol") + End() +
                             Attr("future_greeting", "x") + End() + Attr("queue_name", "deferred") +
                             Attr("queue_id", "ABC") + Attr("time", "100") + Attr("size", "42") +
                             Attr("priority", "7") + Attr("sender", "s@x.test") +
                             Attr("recipient", "r@y.test") + Attr("dsn_notify", "1") +
                             Attr("reason", "why") + End() + End();
  const Parsed p = Parse(stream);
  ASSERT_TRUE(p.finished) << p.error;
  EXPECT_EQ(1u, p.skipped);
  ASSERT_EQ(1u, p.sink.messages.size());
  EXPECT_EQ(42u, p.sink.messages[0].size);
  EXPECT_EQ(1u, p.sink.messages[0].recipients);
  ASSERT_EQ(1u, p.sink.recipients.size());
  EXPECT_EQ("why", p.sink.recipients[0].reason);
}

TEST(ShowqParser, postfix_311_recipient_groups_with_original_recipient_and_log_class) {
  const std::string stream =
      Attr("protocol", "mail_queue_list_protocol") + End() + Attr("queue_name", "active") +
      Attr("queue_id", "ID1") + Attr("time", "5") + Attr("size", "9") + Attr("forced_expire", "0") +
      Attr("sender", "") + Attr("original_recipient", "o1@a.test") +
      Attr("recipient", "r1@a.test") + Attr("log_class", "") + Attr("reason", "") +
      Attr("original_recipient", "o2@b.test") + Attr("recipient", "r2@b.test") +
      Attr("log_class", "x") + Attr("reason", "busy") + End() + End();
  const Parsed p = Parse(stream);
  ASSERT_TRUE(p.finished) << p.error;
  ASSERT_EQ(2u, p.sink.recipients.size());
  EXPECT_EQ((testing::RecordedRecipient{"active", "r1@a.test", "", "o1@a.test", ""}),
            p.sink.recipients[0]);
  EXPECT_EQ((testing::RecordedRecipient{"active", "r2@b.test", "busy", "o2@b.test", "x"}),
            p.sink.recipients[1]);
  EXPECT_EQ(2u, p.sink.messages.at(0).recipients);
}

TEST(ShowqParser, recipients_without_reason_attribute_are_still_counted) {
  const std::string stream = Attr("queue_name", "hold") + Attr("queue_id", "X") +
                             Attr("recipient", "a@x") + Attr("recipient", "b@x") + End() + End();
  const Parsed p = Parse(stream);
  ASSERT_TRUE(p.finished) << p.error;
  EXPECT_EQ(2u, p.sink.messages.at(0).recipients);
}

TEST(ShowqParser, malformed_streams_fail_with_a_clear_reason) {
  struct Case {
    std::string name;
    std::string stream;
    std::string error_part;
  };
  const std::vector<Case> cases = {
      {"postfix 2.x text output", "-Queue ID-  --Size-- ----Arrival Time----\n",
       "invalid attribute name"},
      {"mailq empty text", "Mail queue is empty\n", "invalid attribute name"},
      {"binary garbage", std::string("\x01\x02\xff\0zz\0", 7), "invalid attribute name"},
      {"bad size", Attr("queue_name", "active") + Attr("size", "12x") + End() + End(),
       "bad size value '12x'"},
      {"negative size", Attr("queue_name", "active") + Attr("size", "-1") + End() + End(),
       "bad size value"},
      {"bad time", Attr("queue_name", "active") + Attr("time", "") + End() + End(),
       "bad time value"},
      {"wrong protocol", Attr("protocol", "delivery_status_protocol") + End() + End(),
       "unexpected protocol 'delivery_status_protocol'"},
      {"message without queue_name", Attr("queue_id", "ABC") + End() + End(),
       "message record without queue_name"},
      {"data after the end", End() + Attr("queue_name", "active"),
       "data after the end-of-stream record"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Parsed p = Parse(c.stream);
    EXPECT_FALSE(p.finished);
    EXPECT_NE(std::string::npos, p.error.find(c.error_part)) << p.error;
    EXPECT_NE(std::string::npos, p.error.find("at byte")) << p.error;
  }
}

TEST(ShowqParser, oversized_attribute_is_rejected_without_buffering_it_all) {
  RecordingSink sink;
  ShowqParser parser(sink);
  ASSERT_TRUE(parser.Feed(Attr("queue_name", "active")));
  ASSERT_TRUE(parser.Feed(std::string("reason") + '\0'));
  const std::string block(64 * 1024, 'a');
  bool ok = true;
  std::size_t fed = 0;
  while (ok && fed <= ShowqParser::kMaxTokenBytes) {
    ok = parser.Feed(block);
    fed += block.size();
  }
  EXPECT_FALSE(ok);
  EXPECT_NE(std::string::npos, parser.error().find("attribute longer than")) << parser.error();
  EXPECT_FALSE(parser.Feed(End()));
  EXPECT_FALSE(parser.Finish());
}

}  // namespace
}  // namespace mailpath::showq
