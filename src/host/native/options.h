// Command-line parsing shared by pc64 and its tools.
//
// Options follow QEMU ("-m 512", "-kernel FILE"); every name is also
// accepted with two dashes, and "--name=value" works for options that take
// a value, so GNU-style tools ("--cases 1000", "--mode=32") use the same
// parser. Every error is ONE line on stderr, "prog: what is wrong", and the
// caller exits with kExitUsage; nothing here throws or aborts.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pc64::cli {

// Exit statuses shared by the programs.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the run itself failed
inline constexpr int kExitUsage = 2;    // bad command line, or not supported yet

struct OptionSpec {
  std::string_view name;         // without dashes: "m", "kernel", "cases"
  std::string_view metavar;      // "" for a flag, else the value's name: "SIZE"
  std::string_view help;         // one line
  std::string_view alias = {};   // a second name ("help" for "h")
  bool takes_value() const { return !metavar.empty(); }
};

struct ParsedOption {
  const OptionSpec* spec;
  std::string spelled;  // as written on the command line ("-kernel")
  std::string value;    // empty for flags
};

struct ParsedArgs {
  std::vector<ParsedOption> options;  // in command-line order
  std::vector<std::string> positional;

  // The last occurrence of option `name` (later ones override, as in QEMU).
  const ParsedOption* last(std::string_view name) const;
  bool has(std::string_view name) const { return last(name) != nullptr; }
};

// Prints "prog: message" on stderr.
void error(std::string_view prog, std::string_view message);

// Parses argv[1..argc). "--" ends the options; a lone "-" is positional.
// On error prints one line and returns nullopt.
std::optional<ParsedArgs> parse(std::string_view prog, std::span<const OptionSpec> specs,
                                int argc, const char* const* argv);

// The option list for --help: one aligned line per option.
std::string usage(std::span<const OptionSpec> specs);

// A size such as "512", "512M", "4G", "64k", "1T" or "2GiB" (binary units;
// a bare number is in `default_unit` bytes). Nullopt on a malformed or
// overflowing size.
std::optional<uint64_t> parse_size(std::string_view s, uint64_t default_unit);

// A decimal (or 0x-prefixed hex) integer in [min, max].
std::optional<uint64_t> parse_uint(std::string_view s, uint64_t min, uint64_t max);

// "512 MiB", "4 GiB", "1536 KiB": a size for messages.
std::string format_size(uint64_t bytes);

// True if `path` is a readable regular file; otherwise prints
// "prog: opt: 'path': reason" and returns false.
bool check_readable_file(std::string_view prog, std::string_view opt, const std::string& path);

}  // namespace pc64::cli
