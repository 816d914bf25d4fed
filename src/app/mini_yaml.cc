#include "mailpath/app/mini_yaml.h"

#include <cstddef>

namespace mailpath::app {
namespace {

struct Line {
  int number;
  int indent;
  std::string_view text;  // without indentation, comment and trailing blanks
};

std::string At(int line, const std::string& reason) {
  return "line " + std::to_string(line) + ": " + reason;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Cuts a comment: '#' at the start or after a blank, outside quotes.
std::string_view StripComment(std::string_view s) {
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote != 0) {
      if (c == '\\' && quote == '"')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
      return s.substr(0, i);
    }
  }
  return s;
}

std::string SplitLines(std::string_view text, std::vector<Line>& out) {
  int number = 0;
  while (!text.empty()) {
    ++number;
    const std::size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    std::size_t indent = 0;
    while (indent < raw.size() && raw[indent] == ' ') ++indent;
    if (indent < raw.size() && raw[indent] == '\t') {
      if (!Trim(StripComment(raw.substr(indent))).empty()) return At(number, "tab in indentation");
    }
    const std::string_view body = Trim(StripComment(raw.substr(indent)));
    if (body.empty()) continue;
    if (body == "---" && indent == 0) {
      if (!out.empty()) return At(number, "only one YAML document is supported");
      continue;
    }
    if (body == "..." && indent == 0) break;
    out.push_back({number, static_cast<int>(indent), body});
  }
  return "";
}

bool IsListItem(std::string_view s) { return s == "-" || s.substr(0, 2) == "- "; }

// Unquotes one scalar; plain scalars are returned as they are.
std::string Scalar(std::string_view s, int line, std::string& err) {
  s = Trim(s);
  if (s.empty()) return "";
  const char q = s.front();
  if (q == '&' || q == '*' || q == '!' || q == '|' || q == '>' || q == '%' || q == '@' ||
      q == '`') {
    err = At(line, "unsupported YAML syntax '" + std::string(1, q) + "'");
    return "";
  }
  if (q != '"' && q != '\'') return std::string(s);
  if (s.size() < 2 || s.back() != q) {
    err = At(line, "unterminated quoted string");
    return "";
  }
  std::string out;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (q == '\'' && c == '\'') {
      if (i + 2 < s.size() && s[i + 1] == '\'')
        ++i;
      else {
        err = At(line, "stray quote in string");
        return "";
      }
    } else if (q == '"' && c == '"') {
      err = At(line, "stray quote in string");
      return "";
    } else if (q == '"' && c == '\\') {
      if (i + 2 >= s.size()) {
        err = At(line, "bad escape");
        return "";
      }
      c = s[++i];
      switch (c) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case '"':
        case '\\':
        case '/':
          break;
        default:
          err = At(line, std::string("unsupported escape \\") + c);
          return "";
      }
    }
    out += c;
  }
  return out;
}

// Splits the inside of a flow collection at commas outside quotes.
std::vector<std::string_view> SplitFlow(std::string_view s) {
  std::vector<std::string_view> parts;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ',') {
      parts.push_back(Trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (!Trim(s.substr(start)).empty() || !parts.empty()) parts.push_back(Trim(s.substr(start)));
  return parts;
}

// Finds the ':' that ends a mapping key (followed by a blank or the end).
std::size_t KeyColon(std::string_view s) {
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string InlineValue(std::string_view v, int line, YamlNode& out) {
  out = YamlNode{};
  out.line = line;
  std::string err;
  if (v.empty() || v == "~" || v == "null") return "";
  if (v.front() == '[' || v.front() == '{') {
    const char close = v.front() == '[' ? ']' : '}';
    if (v.back() != close) return At(line, "unterminated flow collection");
    const std::string_view inner = v.substr(1, v.size() - 2);
    out.kind = close == ']' ? YamlNode::Kind::kList : YamlNode::Kind::kMap;
    for (std::string_view part : SplitFlow(inner)) {
      if (part.empty()) return At(line, "empty entry in flow collection");
      if (part.front() == '[' || part.front() == '{')
        return At(line, "nested flow collections are not supported");
      if (close == ']') {
        YamlNode item{YamlNode::Kind::kScalar, line, Scalar(part, line, err), {}, {}, {}};
        if (!err.empty()) return err;
        out.list.push_back(std::move(item));
      } else {
        const std::size_t colon = KeyColon(part);
        if (colon == std::string_view::npos)
          return At(line, "expected 'key: value' in flow mapping");
        std::string key = Scalar(part.substr(0, colon), line, err);
        YamlNode value{
            YamlNode::Kind::kScalar, line, Scalar(part.substr(colon + 1), line, err), {}, {}, {}};
        if (!err.empty()) return err;
        for (const auto& e : out.map) {
          if (e.key == key) return At(line, "duplicate key '" + key + "'");
        }
        value.key = std::move(key);
        out.map.push_back(std::move(value));
      }
    }
    return "";
  }
  out.kind = YamlNode::Kind::kScalar;
  out.scalar = Scalar(v, line, err);
  return err;
}

class Parser {
 public:
  explicit Parser(const std::vector<Line>& lines) : lines_(lines) {}

  std::string Block(int indent, YamlNode& out) {
    out = YamlNode{};
    out.line = lines_[pos_].number;
    if (++depth_ > kMaxDepth) return At(out.line, "nested too deeply");
    std::string err = IsListItem(lines_[pos_].text) ? List(indent, out) : Map(indent, out);
    --depth_;
    return err;
  }

  [[nodiscard]] bool Done() const { return pos_ >= lines_.size(); }
  [[nodiscard]] const Line& Current() const { return lines_[pos_]; }

 private:
  std::string List(int indent, YamlNode& out) {
    out.kind = YamlNode::Kind::kList;
    while (!Done() && Current().indent == indent && IsListItem(Current().text)) {
      const Line& l = Current();
      const std::string_view item = Trim(l.text.substr(1));
      if (KeyColon(item) != std::string_view::npos) {
        return At(l.number, "mappings inside sequences are not supported");
      }
      YamlNode node;
      if (std::string err = InlineValue(item, l.number, node); !err.empty()) return err;
      out.list.push_back(std::move(node));
      ++pos_;
    }
    return Trailing(indent);
  }

  std::string Map(int indent, YamlNode& out) {
    out.kind = YamlNode::Kind::kMap;
    while (!Done() && Current().indent == indent) {
      const Line l = Current();
      if (IsListItem(l.text)) return At(l.number, "sequence item where a mapping key was expected");
      const std::size_t colon = KeyColon(l.text);
      if (colon == std::string_view::npos) return At(l.number, "expected 'key: value'");
      std::string err;
      std::string key = Scalar(l.text.substr(0, colon), l.number, err);
      if (!err.empty()) return err;
      if (key.empty()) return At(l.number, "empty key");
      for (const auto& e : out.map) {
        if (e.key == key) return At(l.number, "duplicate key '" + key + "'");
      }
      const std::string_view rest = Trim(l.text.substr(colon + 1));
      ++pos_;
      YamlNode value;
      if (!rest.empty()) {
        if (std::string e = InlineValue(rest, l.number, value); !e.empty()) return e;
      } else if (!Done() && Current().indent > indent) {
        if (std::string e = Block(Current().indent, value); !e.empty()) return e;
      } else if (!Done() && Current().indent == indent && IsListItem(Current().text)) {
        // YAML allows a sequence at the same indentation as its key.
        if (std::string e = Block(indent, value); !e.empty()) return e;
      }
      value.line = l.number;  // errors about a block name the line of its key
      value.key = std::move(key);
      out.map.push_back(std::move(value));
    }
    return Trailing(indent);
  }

  // After a block ends, the next line must go back out, not further in.
  std::string Trailing(int indent) {
    if (!Done() && Current().indent > indent) return At(Current().number, "unexpected indentation");
    return "";
  }

  static constexpr int kMaxDepth = 32;  // bounds the recursion on hostile input
  const std::vector<Line>& lines_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Status ParseYamlSubset(std::string_view text, YamlNode& out) {
  out = YamlNode{};
  std::vector<Line> lines;
  if (std::string err = SplitLines(text, lines); !err.empty()) return Error{err};
  if (lines.empty()) return {};
  Parser parser(lines);
  if (lines.front().indent != 0) return Error{At(lines.front().number, "unexpected indentation")};
  if (std::string err = parser.Block(0, out); !err.empty()) return Error{err};
  if (!parser.Done()) return Error{At(parser.Current().number, "unexpected indentation")};
  return {};
}

}  // namespace mailpath::app
