#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mailpath/showq/showq_parser.h"

namespace mailpath::showq::testing {

inline std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(MAILPATH_FIXTURES_DIR) + "/showq/" + name, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

/// Builds a showq stream: attributes of a record, then "" to end it.
inline std::string Attr(std::string_view name, std::string_view value) {
  std::string out(name);
  out.push_back('\0');
  out.append(value);
  out.push_back('\0');
  return out;
}
inline std::string End() { return std::string(1, '\0'); }

struct RecordedRecipient {
  std::string queue_name, address, reason, original_recipient, log_class;
  bool operator==(const RecordedRecipient&) const = default;
};
struct RecordedMessage {
  std::string queue_name, queue_id, sender;
  std::int64_t time = 0;
  std::uint64_t size = 0, recipients = 0;
  bool forced_expire = false, has_time = false, has_size = false;
  bool operator==(const RecordedMessage&) const = default;
};

/// Copies every event, for comparing runs.
class RecordingSink : public ShowqSink {
 public:
  void OnRecipient(const ShowqMessage& h, const ShowqRecipient& r) override {
    recipients.push_back({std::string(h.queue_name), std::string(r.address), std::string(r.reason),
                          std::string(r.original_recipient), std::string(r.log_class)});
  }
  void OnMessage(const ShowqMessage& m) override {
    messages.push_back({std::string(m.queue_name), std::string(m.queue_id), std::string(m.sender),
                        m.arrival_time, m.size, m.recipients, m.forced_expire, m.has_arrival_time,
                        m.has_size});
  }
  std::vector<RecordedRecipient> recipients;
  std::vector<RecordedMessage> messages;
};

}  // namespace mailpath::showq::testing
