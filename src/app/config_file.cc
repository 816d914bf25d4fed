#include "mailpath/app/config_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

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
    std::string key = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? path.size() : end + 1;
    if (!key.empty() && key.find_first_not_of("0123456789") == std::string::npos) continue;
    const std::size_t found = text.find("\"" + key + "\"", pos);
    if (found == std::string_view::npos) break;
    pos = found + key.size() + 2;
    line = LineOfOffset(text, found);
  }
  return line;
}

using Checker = std::function<std::optional<FieldError>(const json&, Options&, const std::string&)>;

std::optional<FieldError> Err(const std::string& path, std::string message) {
  return FieldError{path, "", std::move(message)};
}

Checker String(std::function<std::string(Options&, const std::string&)> apply) {
  return [apply](const json& v, Options& o, const std::string& path) -> std::optional<FieldError> {
    if (!v.is_string()) return Err(path, "expected a string");
    if (std::string e = apply(o, v.get<std::string>()); !e.empty()) return Err(path, e);
    return std::nullopt;
  };
}

Checker Bool(std::function<void(Options&, bool)> apply) {
  return [apply](const json& v, Options& o, const std::string& path) -> std::optional<FieldError> {
    if (!v.is_boolean()) return Err(path, "expected true or false");
    apply(o, v.get<bool>());
    return std::nullopt;
  };
}

Checker StringList(std::function<void(Options&, std::vector<std::string>)> apply) {
  return [apply](const json& v, Options& o, const std::string& path) -> std::optional<FieldError> {
    if (!v.is_array()) return Err(path, "expected a list of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) return Err(path + "/" + std::to_string(i), "expected a string");
      out.push_back(v[i].get<std::string>());
    }
    apply(o, std::move(out));
    return std::nullopt;
  };
}

Checker PositiveInt(std::function<void(Options&, int)> apply) {
  return [apply](const json& v, Options& o, const std::string& path) -> std::optional<FieldError> {
    if (!v.is_number_integer() || v.get<long long>() <= 0 || v.get<long long>() > 1'000'000) {
      return Err(path, "expected a positive integer");
    }
    apply(o, static_cast<int>(v.get<long long>()));
    return std::nullopt;
  };
}

Checker Object(std::map<std::string, Checker> fields) {
  return [fields](const json& v, Options& o, const std::string& path) -> std::optional<FieldError> {
    if (!v.is_object()) return Err(path, "expected an object");
    for (const auto& [key, value] : v.items()) {
      auto it = fields.find(key);
      if (it == fields.end()) return Err(path + "/" + key, "unknown field");
      if (auto e = it->second(value, o, path + "/" + key)) return e;
    }
    return std::nullopt;
  };
}

const Checker& Schema() {
  static const Checker schema = Object({
      {"web", Object({
                  {"listen_addresses",
                   StringList([](Options& o, auto v) { o.listen_addresses = std::move(v); })},
                  {"telemetry_path", String([](Options& o, const std::string& v) {
                     if (v.empty() || v[0] != '/') return std::string("must start with '/'");
                     o.telemetry_path = v;
                     return std::string();
                   })},
                  {"config_file", String([](Options& o, const std::string& v) {
                     o.web_config_file = v;
                     return std::string();
                   })},
                  {"max_requests", PositiveInt([](Options& o, int v) { o.web_max_requests = v; })},
              })},
      {"log", Object({
                  {"level", String([](Options& o, const std::string& v) {
                     return ParseLogLevel(v, o.log_level)
                                ? std::string()
                                : std::string("expected debug, info, warn or error");
                   })},
                  {"format", String([](Options& o, const std::string& v) {
                     return ParseLogFormat(v, o.log_format) ? std::string()
                                                            : std::string("expected logfmt or json");
                   })},
                  {"files", StringList([](Options& o, auto v) { o.log_files = std::move(v); })},
                  {"state_dir", String([](Options& o, const std::string& v) {
                     o.state_dir = v;
                     return std::string();
                   })},
                  {"from_beginning", Bool([](Options& o, bool v) { o.log_from_beginning = v; })},
              })},
      {"collectors", [](const json& v, Options& o, const std::string& path) -> std::optional<FieldError> {
         if (!v.is_object()) return Err(path, "expected an object of collector name -> true/false");
         for (const auto& [name, on] : v.items()) {
           if (!on.is_boolean()) return Err(path + "/" + name, "expected true or false");
           o.collector_switches[name] = on.get<bool>();
         }
         return std::nullopt;
       }},
      {"path", Object({
                   {"procfs", String([](Options& o, const std::string& v) {
                      o.procfs = v;
                      return std::string();
                    })},
               })},
      {"postfix", Object({
                      {"showq_path", String([](Options& o, const std::string& v) {
                         o.showq_path = v;
                         return std::string();
                       })},
                      {"logfile_paths",
                       StringList([](Options& o, auto v) { o.log_files = std::move(v); })},
                  })},
      {"showq", Object({
                    {"deferred_domains_cap",
                     [](const json& v, Options& o, const std::string& path)
                         -> std::optional<FieldError> {
                       if (!v.is_number_integer() || v.get<long long>() < 0 ||
                           v.get<long long>() > 10000) {
                         return Err(path, "expected an integer from 0 to 10000");
                       }
                       o.showq_deferred_domains_cap = static_cast<int>(v.get<long long>());
                       return std::nullopt;
                     }},
                })},
      {"systemd", Object({
                      {"enable", Bool([](Options& o, bool v) { o.systemd_enable = v; })},
                      {"unit", String([](Options& o, const std::string& v) {
                         o.systemd_units.push_back(v);
                         return std::string();
                       })},
                      {"slice", String([](Options& o, const std::string& v) {
                         o.systemd_slices.push_back(v);
                         return std::string();
                       })},
                  })},
  });
  return schema;
}

}  // namespace

std::string ApplyConfigJson(std::string_view text, const std::string& filename, Options& options) {
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
    return filename + ":" + std::to_string(LineOfOffset(text, at)) + ": invalid JSON: " + what;
  } catch (const json::exception& e) {
    // Out-of-range numbers and the like carry no position.
    std::string what = e.what();
    if (const std::size_t bracket = what.find("] "); bracket != std::string::npos) {
      what = what.substr(bracket + 2);
    }
    return filename + ": invalid JSON: " + what;
  }
  Options staged = options;
  if (auto err = Schema()(doc, staged, "")) {
    return filename + ":" + std::to_string(LineOfPath(text, err->path)) + ": field " +
           (err->path.empty() ? std::string("/") : err->path) + ": " + err->message;
  }
  options = std::move(staged);
  return "";
}

std::string LoadConfigFile(const std::string& filename, Options& options) {
  std::ifstream in(filename, std::ios::binary);
  if (!in) return filename + ": cannot read config file: " + std::strerror(errno);
  std::ostringstream buf;
  buf << in.rdbuf();
  return ApplyConfigJson(buf.str(), filename, options);
}

}  // namespace mailpath::app
