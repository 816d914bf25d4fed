#include "mailpath/showq/showq_parser.h"

#include <charconv>
#include <cstring>

namespace mailpath::showq {
namespace {

constexpr std::size_t kMaxNameBytes = 128;
constexpr std::string_view kProtocolName = "mail_queue_list_protocol";

// Attribute names in Postfix are lower-case identifiers; anything else means
// the peer is not speaking the attribute protocol (for example Postfix 2.x,
// whose showq sends mailq's text output).
bool ValidName(std::string_view name) {
  if (name.size() > kMaxNameBytes) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

template <typename T>
bool ParseDecimal(std::string_view text, T& out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

std::string Printable(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 40)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (text.size() > 40) out += "...";
  return out;
}

}  // namespace

ShowqParser::ShowqParser(ShowqSink& sink) : sink_(sink) {}

bool ShowqParser::Fail(std::string message) {
  state_ = State::kError;
  error_ = "showq stream malformed at byte " + std::to_string(offset_) + ": " + message;
  return false;
}

bool ShowqParser::Feed(std::string_view chunk) {
  while (!chunk.empty()) {
    if (state_ == State::kError) return false;
    if (state_ == State::kDone) {
      return Fail("data after the end-of-stream record");
    }
    const void* nul = std::memchr(chunk.data(), '\0', chunk.size());
    const std::size_t take =
        nul == nullptr ? chunk.size() : static_cast<const char*>(nul) - chunk.data();
    if (token_.size() + take > kMaxTokenBytes) {
      offset_ += take;
      return Fail("attribute longer than " + std::to_string(kMaxTokenBytes) + " bytes");
    }
    token_.append(chunk.data(), take);
    offset_ += take;
    if (state_ == State::kName && !ValidName(token_)) {
      return Fail("invalid attribute name '" + Printable(token_) +
                  "' (not the Postfix >= 3.0 showq attribute stream?)");
    }
    if (nul == nullptr) return true;
    chunk.remove_prefix(take + 1);
    offset_ += 1;
    if (state_ == State::kName) {
      if (token_.empty()) {
        if (!OnRecordEnd()) return false;
      } else {
        name_.swap(token_);
        state_ = State::kValue;
      }
    } else {
      if (!OnAttribute()) return false;
      state_ = State::kName;
    }
    token_.clear();
  }
  return state_ != State::kError;
}

bool ShowqParser::Finish() {
  if (state_ == State::kError) return false;
  if (state_ == State::kDone) return true;
  std::string where;
  if (state_ == State::kValue) {
    where = "inside the value of '" + name_ + "'";
  } else if (!token_.empty()) {
    where = "inside an attribute name";
  } else if (record_attributes_ > 0) {
    where = "inside a record";
  } else {
    where = "before the end-of-stream record";
  }
  state_ = State::kError;
  error_ = "showq stream truncated after " + std::to_string(offset_) + " bytes: ended " + where;
  return false;
}

void ShowqParser::FlushRecipient() {
  if (!rcpt_pending_) return;
  ++header_.recipients;
  header_.queue_name = queue_name_;
  header_.queue_id = queue_id_;
  header_.sender = sender_;
  sink_.OnRecipient(header_,
                    ShowqRecipient{rcpt_address_, rcpt_reason_, rcpt_orig_, rcpt_log_class_});
  rcpt_pending_ = false;
  rcpt_has_address_ = false;
  rcpt_address_.clear();
  rcpt_reason_.clear();
  rcpt_orig_.clear();
  rcpt_log_class_.clear();
}

bool ShowqParser::OnAttribute() {
  ++record_attributes_;
  const std::string_view name = name_;
  const std::string& value = token_;
  if (name == "protocol") {
    if (value != kProtocolName) {
      return Fail("unexpected protocol '" + Printable(value) + "' (not a showq service?)");
    }
    record_is_protocol_ = true;
    saw_protocol_ = true;
  } else if (name == "queue_name") {
    queue_name_ = value;
    has_queue_name_ = true;
  } else if (name == "queue_id") {
    queue_id_ = value;
    has_queue_id_ = true;
  } else if (name == "time") {
    if (!ParseDecimal(value, header_.arrival_time)) {
      return Fail("bad time value '" + Printable(value) + "'");
    }
    header_.has_arrival_time = true;
  } else if (name == "size") {
    if (!ParseDecimal(value, header_.size)) {
      return Fail("bad size value '" + Printable(value) + "'");
    }
    header_.has_size = true;
  } else if (name == "forced_expire") {
    std::int64_t flag = 0;
    if (!ParseDecimal(value, flag)) {
      return Fail("bad forced_expire value '" + Printable(value) + "'");
    }
    header_.forced_expire = flag != 0;
  } else if (name == "sender") {
    sender_ = value;
  } else if (name == "original_recipient") {
    if (rcpt_pending_ && (rcpt_has_address_ || !rcpt_orig_.empty())) FlushRecipient();
    rcpt_pending_ = true;
    rcpt_orig_ = value;
  } else if (name == "recipient") {
    if (rcpt_pending_ && rcpt_has_address_) FlushRecipient();
    rcpt_pending_ = true;
    rcpt_has_address_ = true;
    rcpt_address_ = value;
  } else if (name == "log_class") {
    rcpt_pending_ = true;
    rcpt_log_class_ = value;
  } else if (name == "reason") {
    rcpt_pending_ = true;
    rcpt_reason_ = value;
    FlushRecipient();
  }
  // Any other attribute is a newer Postfix's addition: ignored.
  return true;
}

bool ShowqParser::OnRecordEnd() {
  if (record_attributes_ == 0) {
    state_ = State::kDone;
    return true;
  }
  FlushRecipient();
  const bool is_message = has_queue_name_ || has_queue_id_ || header_.recipients > 0;
  if (is_message) {
    if (!has_queue_name_) {
      return Fail("message record without queue_name (queue_id '" + Printable(queue_id_) + "')");
    }
    header_.queue_name = queue_name_;
    header_.queue_id = queue_id_;
    header_.sender = sender_;
    ++messages_;
    sink_.OnMessage(header_);
  } else if (!record_is_protocol_) {
    ++skipped_records_;
  }
  ResetRecord();
  return true;
}

void ShowqParser::ResetRecord() {
  record_attributes_ = 0;
  record_is_protocol_ = false;
  has_queue_name_ = false;
  has_queue_id_ = false;
  queue_name_.clear();
  queue_id_.clear();
  sender_.clear();
  header_ = ShowqMessage{};
}

}  // namespace mailpath::showq
