// Mnemonic lookup by name (see mnemonics.h).
#include "mnemonics.h"

#include "cpu/interp/interp.h"

namespace pc64 {

std::optional<Mn> find_mnemonic(std::string_view name) {
  for (int i = 1; i < (int)Mn::kCount; ++i)
    if (name == mnemonic_name((Mn)i)) return (Mn)i;
  return std::nullopt;
}

bool can_interpret(std::string_view name) {
  auto mn = find_mnemonic(name);
  return mn && has_handler(*mn);
}

std::string missing_mnemonics(std::initializer_list<std::string_view> names) {
  std::string missing;
  for (std::string_view entry : names) {
    bool ok = false;
    std::string_view rest = entry;
    while (!ok) {
      size_t bar = rest.find('|');
      ok = can_interpret(rest.substr(0, bar));
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
    if (!ok) {
      if (!missing.empty()) missing += ' ';
      missing += entry.substr(0, entry.find('|'));
    }
  }
  return missing;
}

}  // namespace pc64
