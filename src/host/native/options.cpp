// Command-line parsing shared by pc64 and its tools (see options.h).
#include "options.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace pc64::cli {
namespace {

const OptionSpec* find(std::span<const OptionSpec> specs, std::string_view name) {
  for (const OptionSpec& s : specs)
    if (s.name == name || (!s.alias.empty() && s.alias == name)) return &s;
  return nullptr;
}

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

const ParsedOption* ParsedArgs::last(std::string_view name) const {
  for (auto it = options.rbegin(); it != options.rend(); ++it)
    if (it->spec->name == name) return &*it;
  return nullptr;
}

void error(std::string_view prog, std::string_view message) {
  std::fprintf(stderr, "%.*s: %.*s\n", (int)prog.size(), prog.data(), (int)message.size(),
               message.data());
}

std::optional<ParsedArgs> parse(std::string_view prog, std::span<const OptionSpec> specs,
                                int argc, const char* const* argv) {
  ParsedArgs out;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      out.positional.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    std::string_view body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::string_view spelled = arg;
    std::optional<std::string_view> inline_value;
    if (size_t eq = body.find('='); eq != std::string_view::npos && arg[1] == '-') {
      inline_value = body.substr(eq + 1);
      spelled = arg.substr(0, 2 + eq);
      body = body.substr(0, eq);
    }
    const OptionSpec* spec = find(specs, body);
    if (!spec) {
      error(prog, "unknown option '" + std::string(spelled) + "' (see " + std::string(prog) +
                      " --help)");
      return std::nullopt;
    }
    ParsedOption p{spec, std::string(spelled), {}};
    if (spec->takes_value()) {
      if (inline_value) {
        p.value = *inline_value;
      } else if (i + 1 < argc) {
        p.value = argv[++i];
      } else {
        error(prog, p.spelled + " needs an argument (" + std::string(spec->metavar) + ")");
        return std::nullopt;
      }
    } else if (inline_value) {
      error(prog, p.spelled + " takes no argument");
      return std::nullopt;
    }
    out.options.push_back(std::move(p));
  }
  return out;
}

std::string usage(std::span<const OptionSpec> specs) {
  std::string text;
  for (const OptionSpec& s : specs) {
    std::string left = "  -" + std::string(s.name);
    if (!s.alias.empty()) left += ", -" + std::string(s.alias);
    if (s.takes_value()) left += " " + std::string(s.metavar);
    if (left.size() < 24) left.resize(24, ' ');
    else left += "  ";
    text += left + std::string(s.help) + "\n";
  }
  return text;
}

std::optional<uint64_t> parse_uint(std::string_view s, uint64_t min, uint64_t max) {
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char ch : s) {
    int d;
    if (ch >= '0' && ch <= '9') d = ch - '0';
    else if (base == 16 && ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
    else if (base == 16 && ch >= 'A' && ch <= 'F') d = ch - 'A' + 10;
    else return std::nullopt;
    if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) return std::nullopt;
    v = v * (uint64_t)base + (uint64_t)d;
  }
  if (v < min || v > max) return std::nullopt;
  return v;
}

std::optional<uint64_t> parse_size(std::string_view s, uint64_t default_unit) {
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  if (digits == 0 || digits > 19) return std::nullopt;
  auto n = parse_uint(s.substr(0, digits), 0, UINT64_MAX);
  if (!n) return std::nullopt;
  std::string_view suffix = s.substr(digits);
  uint64_t unit = default_unit;
  if (!suffix.empty()) {
    static constexpr struct { char letter; uint64_t unit; } kUnits[] = {
        {'b', 1}, {'k', 1ull << 10}, {'m', 1ull << 20}, {'g', 1ull << 30}, {'t', 1ull << 40}};
    char letter = suffix[0];
    if (letter >= 'A' && letter <= 'Z') letter = (char)(letter - 'A' + 'a');
    auto u = std::find_if(std::begin(kUnits), std::end(kUnits),
                          [&](const auto& k) { return k.letter == letter; });
    if (u == std::end(kUnits)) return std::nullopt;
    std::string_view rest = suffix.substr(1);
    if (!(rest.empty() || (u->unit > 1 && (ieq(rest, "b") || ieq(rest, "ib")))))
      return std::nullopt;
    unit = u->unit;
  }
  if (*n > UINT64_MAX / unit) return std::nullopt;
  return *n * unit;
}

std::string format_size(uint64_t bytes) {
  static constexpr const char* kNames[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  int i = 0;
  while (i < 4 && bytes % 1024 == 0 && bytes >= 1024) {
    bytes /= 1024;
    ++i;
  }
  return std::to_string(bytes) + " " + kNames[i];
}

bool check_readable_file(std::string_view prog, std::string_view opt, const std::string& path) {
  std::string where = std::string(opt) + ": '" + path + "': ";
  struct stat st;
  if (path.empty()) {
    error(prog, std::string(opt) + ": empty file name");
    return false;
  }
  if (::stat(path.c_str(), &st) != 0) {
    error(prog, where + std::strerror(errno));
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    error(prog, where + "is a directory");
    return false;
  }
  if (::access(path.c_str(), R_OK) != 0) {
    error(prog, where + std::strerror(errno));
    return false;
  }
  return true;
}

}  // namespace pc64::cli
