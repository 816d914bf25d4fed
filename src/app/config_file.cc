#include "mailpath/app/config_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mailpath/app/option_table.h"

namespace mailpath::app {
namespace {

using nlohmann::json;

// A field error carries its JSON path; the line is found afterwards.
struct FieldError {
  std::string path;  // "/web/max_requests"
  std::string key;   // last key, used to locate the line
  std::string message;
};

int LineOfOffset(std::string_view text, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
  }
  return line;
}

// The line of the first occurrence of "key" used as an object key after the
// position of its parent key. Good enough to point a human at the field.
int LineOfPath(std::string_view text, const std::string& path) {
  std::size_t pos = 0;
  std::size_t start = 1;
  int line = 1;
  while (start < path.size()) {
    std::size_t end = path.find('/', start);
    std::string key =
        path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? path.size() : end + 1;
    if (!key.empty() && key.find_first_not_of("0123456789") == std::string::npos) continue;
    const std::size_t found = text.find("\"" + key + "\"", pos);
    if (found == std::string_view::npos) break;
    pos = found + key.size() + 2;
    line = LineOfOffset(text, found);
  }
  return line;
}

std::optional<FieldError> Err(const std::string& path, std::string message) {
  return FieldError{path, "", std::move(message)};
}

// One value of `spec` from the file, through the same parser as its flag.
std::optional<FieldError> ApplyField(const OptionSpec& spec, const json& v, Options& o,
                                     const std::string& path) {
  auto apply = [&](const std::string& text, const std::string& at) -> std::optional<FieldError> {
    if (const Status applied = spec.apply(o, text); !applied) return Err(at, applied.message());
    return std::nullopt;
  };
  switch (spec.kind) {
    case OptionKind::kString:
      if (!v.is_string()) return Err(path, "expected a string");
      return apply(v.get<std::string>(), path);
    case OptionKind::kBool:
      if (!v.is_boolean()) return Err(path, "expected true or false");
      return apply(v.get<bool>() ? "true" : "false", path);
    case OptionKind::kInt:
      // An integer's digits; anything else keeps its JSON spelling ("5", 5.0), which the parser
      // refuses.
      return apply(v.dump(), path);
    case OptionKind::kRepeated:
      if (v.is_string()) return apply(v.get<std::string>(), path);
      if (!v.is_array()) return Err(path, "expected a list of strings");
      for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string at = path + "/" + std::to_string(i);
        if (!v[i].is_string()) return Err(at, "expected a string");
        if (auto e = apply(v[i].get<std::string>(), at)) return e;
      }
      return std::nullopt;
    case OptionKind::kPorts: {
      if (v.is_string()) return apply(v.get<std::string>(), path);
      if (!v.is_array()) return Err(path, "expected a list of port numbers");
      std::string text;
      for (const auto& port : v) text += (text.empty() ? "" : ",") + port.dump();
      return apply(text, path);
    }
  }
  return Err(path, "unsupported option kind");
}

const OptionSpec* FindField(const std::string& field) {
  for (const auto& spec : OptionTable()) {
    if (!spec.field.empty() && (spec.field == field || spec.alias_field == field)) return &spec;
  }
  return nullptr;
}

// The document is {"section": {"key": value}}; "section.key" names the row of
// OptionTable(), and "collectors" also holds one true/false per collector.
std::optional<FieldError> ApplyDocument(const json& doc, Options& o) {
  if (!doc.is_object()) return Err("", "expected an object");
  for (const auto& [section, fields] : doc.items()) {
    const std::string path = "/" + section;
    const std::string prefix = section + ".";
    bool known_section = section == "collectors";
    for (const auto& spec : OptionTable()) {
      known_section =
          known_section || spec.field.starts_with(prefix) || spec.alias_field.starts_with(prefix);
    }
    if (!known_section) return Err(path, "unknown field");
    if (!fields.is_object()) {
      return Err(path, section == "collectors"
                           ? "expected an object of collector name -> true/false"
                           : "expected an object");
    }
    for (const auto& [key, value] : fields.items()) {
      const std::string field_path = path + "/" + key;
      if (const OptionSpec* spec = FindField(section + "." + key)) {
        if (auto e = ApplyField(*spec, value, o, field_path)) return e;
      } else if (section == "collectors") {
        if (!value.is_boolean()) return Err(field_path, "expected true or false");
        o.collector_switches[key] = value.get<bool>();
      } else {
        return Err(field_path, "unknown field");
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Status ApplyConfigJson(std::string_view text, const std::string& filename, Options& options) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    const std::size_t at = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    // nlohmann's message is "[json.exception.parse_error.101] parse error at line L, column C: ..."
    if (const std::size_t colon = what.find(": "); colon != std::string::npos) {
      what = what.substr(colon + 2);
    }
    return Error{filename + ":" + std::to_string(LineOfOffset(text, at)) +
                 ": invalid JSON: " + what};
  } catch (const json::exception& e) {
    // Out-of-range numbers and the like carry no position.
    std::string what = e.what();
    if (const std::size_t bracket = what.find("] "); bracket != std::string::npos) {
      what = what.substr(bracket + 2);
    }
    return Error{filename + ": invalid JSON: " + what};
  }
  Options staged = options;
  if (auto err = ApplyDocument(doc, staged)) {
    return Error{filename + ":" + std::to_string(LineOfPath(text, err->path)) + ": field " +
                 (err->path.empty() ? std::string("/") : err->path) + ": " + err->message};
  }
  options = std::move(staged);
  return {};
}

Status LoadConfigFile(const std::string& filename, Options& options) {
  std::ifstream in(filename, std::ios::binary);
  if (!in) return ErrnoError(filename + ": cannot read config file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return ApplyConfigJson(buf.str(), filename, options);
}

}  // namespace mailpath::app
