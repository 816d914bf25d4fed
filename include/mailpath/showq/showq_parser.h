#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mailpath::showq {

/// One queue file as announced by showq: the fields of its message record
/// that come before the first recipient (postfix/src/showq/showq.c,
/// showq_report). Views are valid only during the callback.
struct ShowqMessage {
  std::string_view queue_name;  // maildrop, incoming, active, deferred, hold
  std::string_view queue_id;
  std::int64_t arrival_time = 0;  // Unix seconds (`time`)
  bool has_arrival_time = false;
  std::uint64_t size = 0;  // bytes (`size`)
  bool has_size = false;
  bool forced_expire = false;  // `forced_expire` (Postfix >= 3.5; postsuper -e)
  std::string_view sender;
  std::uint64_t recipients = 0;  // recipients seen in this record
};

/// One recipient of the message record being read. Postfix sends per
/// recipient [`original_recipient` (>= 3.11)] `recipient` [`log_class`
/// (>= 3.11)] `reason`; `reason` is the defer reason, empty when none.
struct ShowqRecipient {
  std::string_view address;
  std::string_view reason;
  std::string_view original_recipient;
  std::string_view log_class;
};

/// Receives what the parser finds, in stream order. For each message record:
/// zero or more OnRecipient calls (with the header fields seen so far), then
/// one OnMessage with the complete header and the recipient count.
class ShowqSink {
 public:
  virtual ~ShowqSink() = default;
  virtual void OnRecipient(const ShowqMessage& header_so_far, const ShowqRecipient& rcpt) = 0;
  virtual void OnMessage(const ShowqMessage& message) = 0;
};

/// Incremental parser of the showq stream (Postfix >= 3.0 "plain" attribute
/// encoding, attr_print0: `name NUL value NUL` pairs, an empty name ends a
/// record). Stream layout: an optional `protocol`=`mail_queue_list_protocol`
/// record (Postfix >= 3.6), one record per queue file, then one empty record
/// and EOF.
///
/// Feed() takes bytes in chunks of any size (a record may span chunks);
/// memory is bounded by the longest single record, never by queue size.
/// Unknown attribute names are ignored. Pure: no I/O, no clock.
///
/// After an error, every further call returns the same error.
class ShowqParser {
 public:
  /// Longest attribute name or value accepted; longer is a malformed stream.
  static constexpr std::size_t kMaxTokenBytes = 1 << 20;

  explicit ShowqParser(ShowqSink& sink);

  /// Consumes one chunk. Returns false on a malformed stream (see error()).
  [[nodiscard]] bool Feed(std::string_view chunk);

  /// Call at EOF. Returns false if the stream ended before its end marker
  /// (a truncated stream) or was malformed.
  [[nodiscard]] bool Finish();

  /// Human-readable reason for the last failure, naming the byte offset.
  [[nodiscard]] const std::string& error() const { return error_; }

  /// True once the final empty record has been read.
  [[nodiscard]] bool complete() const { return state_ == State::kDone; }
  /// True if a `protocol` record was seen (Postfix >= 3.6).
  [[nodiscard]] bool saw_protocol_record() const { return saw_protocol_; }
  [[nodiscard]] std::uint64_t messages() const { return messages_; }
  /// Records that carried no message field at all (neither queue_name,
  /// queue_id nor recipient) and were skipped.
  [[nodiscard]] std::uint64_t skipped_records() const { return skipped_records_; }

 private:
  enum class State { kName, kValue, kDone, kError };

  bool OnAttribute();
  bool OnRecordEnd();
  void FlushRecipient();
  void ResetRecord();
  bool Fail(std::string message);

  ShowqSink& sink_;
  State state_ = State::kName;
  std::string error_;
  std::uint64_t offset_ = 0;  // bytes consumed so far
  std::string token_;         // name or value being accumulated
  std::string name_;          // name of the value being read

  // The record being read.
  std::size_t record_attributes_ = 0;
  bool saw_protocol_ = false;
  bool record_is_protocol_ = false;
  std::string protocol_value_;
  bool has_queue_name_ = false;
  bool has_queue_id_ = false;
  std::string queue_name_;
  std::string queue_id_;
  std::string sender_;
  ShowqMessage header_;
  // The recipient being assembled.
  bool rcpt_pending_ = false;
  bool rcpt_has_address_ = false;
  std::string rcpt_address_;
  std::string rcpt_reason_;
  std::string rcpt_orig_;
  std::string rcpt_log_class_;

  std::uint64_t messages_ = 0;
  std::uint64_t skipped_records_ = 0;
};

}  // namespace mailpath::showq
