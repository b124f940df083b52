// Looking up mnemonics by name, so host programs can ask which parts of the
// interpreter exist without naming Mn values that other groups add later.
#pragma once
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "cpu/table/table.h"

namespace pc64 {

// The mnemonic spelled `name` in the opcode table ("ADD", "Jcc"), if any.
std::optional<Mn> find_mnemonic(std::string_view name);

// True if the table has `name` and the interpreter has a handler for it.
bool can_interpret(std::string_view name);

// The names in `names` that cannot be interpreted yet, space-separated
// ("" when all can). An entry "RET|RETN" accepts either spelling.
std::string missing_mnemonics(std::initializer_list<std::string_view> names);

}  // namespace pc64
