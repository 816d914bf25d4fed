#include "mailpath/metrics/text_format_check.h"

#include <utf8.h>

#include <map>
#include <set>
#include <string>

namespace mailpath::metrics {
namespace {

using std::string_view;

bool NameStart(char c, bool colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}
bool NameChar(char c, bool colon) { return NameStart(c, colon) || (c >= '0' && c <= '9'); }

// A name at s[i]; returns it and advances i (empty when none).
string_view Name(string_view s, std::size_t& i, bool colon) {
  const std::size_t start = i;
  if (i >= s.size() || !NameStart(s[i], colon)) return {};
  while (i < s.size() && NameChar(s[i], colon)) ++i;
  return s.substr(start, i - start);
}

void Blanks(string_view s, std::size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
}

bool EqualsNoCase(string_view a, string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

// What Go's strconv.ParseFloat takes, without hex floats and underscores
// (which nothing here writes).
bool GoFloat(string_view v) {
  if (!v.empty() && (v[0] == '+' || v[0] == '-')) v.remove_prefix(1);
  if (EqualsNoCase(v, "inf") || EqualsNoCase(v, "infinity") || EqualsNoCase(v, "nan")) return true;
  std::size_t i = 0, digits = 0;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i, ++digits;
  if (i < v.size() && v[i] == '.') {
    ++i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    ++i;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    if (i == start) return false;
  }
  return i == v.size();
}

bool Integer(string_view v) {
  if (!v.empty() && v[0] == '-') v.remove_prefix(1);
  if (v.empty()) return false;
  for (const char c : v) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

struct Family {
  bool help = false;
  string_view type;
  bool has_samples = false;
};

class Checker {
 public:
  std::string Line(string_view line) {
    if (line.empty()) return "";
    if (line[0] == '#') return Comment(line);
    return Sample(line);
  }

 private:
  std::string Comment(string_view line) {
    std::size_t i = 1;
    Blanks(line, i);
    const std::size_t kw_start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    const string_view keyword = line.substr(kw_start, i - kw_start);
    if (keyword != "HELP" && keyword != "TYPE") return "";  // any other comment is ignored
    Blanks(line, i);
    const string_view name = Name(line, i, true);
    if (name.empty()) return "invalid metric name in " + std::string(keyword) + " line";
    if (i < line.size() && line[i] != ' ' && line[i] != '\t')
      return "invalid metric name in " + std::string(keyword);
    Blanks(line, i);
    const string_view rest = line.substr(i);
    Family& f = families_[std::string(name)];
    if (f.has_samples)
      return std::string(keyword) + " line for " + std::string(name) + " after its samples";
    if (keyword == "HELP") {
      if (f.help) return "second HELP line for " + std::string(name);
      f.help = true;
      if (!utf8::is_valid(rest.begin(), rest.end()))
        return "HELP text of " + std::string(name) + " is not UTF-8";
      for (std::size_t j = 0; j < rest.size(); ++j) {
        if (rest[j] == '\\' &&
            (j + 1 >= rest.size() || (rest[j + 1] != '\\' && rest[j + 1] != 'n'))) {
          return "invalid escape in HELP text of " + std::string(name);
        }
        if (rest[j] == '\\') ++j;
      }
      return "";
    }
    if (!f.type.empty()) return "second TYPE line for " + std::string(name);
    string_view type = rest;
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    for (string_view t : {"counter", "gauge", "histogram", "summary", "untyped"}) {
      if (type == t) {
        f.type = t;
        return "";
      }
    }
    return "unknown TYPE \"" + std::string(type) + "\" for " + std::string(name);
  }

  // The family a sample name belongs to: histogram and summary samples carry suffixes.
  std::string FamilyOf(string_view name, string_view& suffix) {
    for (string_view s : {"_bucket", "_sum", "_count"}) {
      if (name.size() > s.size() && name.ends_with(s)) {
        const std::string base(name.substr(0, name.size() - s.size()));
        auto it = families_.find(base);
        if (it != families_.end() &&
            (it->second.type == "histogram" || it->second.type == "summary")) {
          if (s == "_bucket" && it->second.type == "summary") continue;
          suffix = s;
          return base;
        }
      }
    }
    suffix = {};
    return std::string(name);
  }

  std::string Sample(string_view line) {
    std::size_t i = 0;
    const string_view name = Name(line, i, true);
    if (name.empty()) return "invalid metric name";
    std::map<std::string, std::string> labels;
    if (i < line.size() && line[i] == '{') {
      ++i;
      for (;;) {
        Blanks(line, i);
        if (i < line.size() && line[i] == '}') {
          ++i;
          break;
        }
        const string_view lname = Name(line, i, false);
        if (lname.empty()) return "invalid label name in " + std::string(name);
        Blanks(line, i);
        if (i >= line.size() || line[i] != '=')
          return "expected '=' after label " + std::string(lname);
        ++i;
        Blanks(line, i);
        if (i >= line.size() || line[i] != '"')
          return "expected '\"' for label " + std::string(lname);
        ++i;
        std::string value;
        bool closed = false;
        while (i < line.size()) {
          const char c = line[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\') {
            if (i >= line.size()) break;
            const char e = line[i++];
            if (e == 'n')
              value += '\n';
            else if (e == '\\' || e == '"')
              value += e;
            else
              return "invalid escape in the value of label " + std::string(lname);
          } else {
            value += c;
          }
        }
        if (!closed) return "unterminated value of label " + std::string(lname);
        if (!utf8::is_valid(value.begin(), value.end())) {
          return "value of label " + std::string(lname) + " of " + std::string(name) +
                 " is not valid UTF-8";
        }
        if (!labels.emplace(std::string(lname), std::move(value)).second) {
          return "label " + std::string(lname) + " twice in one series of " + std::string(name);
        }
        Blanks(line, i);
        if (i < line.size() && line[i] == ',') {
          ++i;
          continue;
        }
        if (i < line.size() && line[i] == '}') {
          ++i;
          break;
        }
        return "expected ',' or '}' in the labels of " + std::string(name);
      }
    }
    if (i >= line.size() || (line[i] != ' ' && line[i] != '\t'))
      return "expected a blank before the value of " + std::string(name);
    Blanks(line, i);
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (!GoFloat(line.substr(start, i - start))) return "invalid value for " + std::string(name);
    Blanks(line, i);
    if (i < line.size()) {
      start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
      if (!Integer(line.substr(start, i - start)))
        return "invalid timestamp for " + std::string(name);
      Blanks(line, i);
      if (i < line.size()) return "text after the timestamp of " + std::string(name);
    }
    string_view suffix;
    const std::string family = FamilyOf(name, suffix);
    Family& f = families_[family];
    if (family != current_) {
      if (f.has_samples) return "samples of " + family + " are not contiguous";
      current_ = family;
    }
    f.has_samples = true;
    if (f.type == "histogram" && suffix.empty())
      return "histogram " + family + " has a sample without a suffix";
    if (f.type == "histogram" && suffix == "_bucket") {
      auto le = labels.find("le");
      if (le == labels.end() || !GoFloat(le->second))
        return "bucket of " + family + " without a float le";
    }
    if (f.type == "summary" && suffix.empty()) {
      auto q = labels.find("quantile");
      if (q == labels.end() || !GoFloat(q->second))
        return "summary " + family + " sample without a float quantile";
    }
    std::string key(name);
    for (const auto& [k, v] : labels) key += '\x1f' + k + '\x1e' + v;
    if (!series_.insert(std::move(key)).second)
      return "series of " + std::string(name) + " appears twice";
    return "";
  }

  std::map<std::string, Family, std::less<>> families_;
  std::set<std::string> series_;
  std::string current_;
};

}  // namespace

std::string CheckTextFormat(string_view text) {
  Checker checker;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    const string_view line = text.substr(0, nl);
    text = nl == string_view::npos ? string_view{} : text.substr(nl + 1);
    if (std::string err = checker.Line(line); !err.empty())
      return "line " + std::to_string(line_no) + ": " + err;
  }
  return "";
}

}  // namespace mailpath::metrics
