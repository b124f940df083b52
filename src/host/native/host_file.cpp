// Native host helpers (files, terminal, clock). Filled in by the CLI work.
namespace pc64 {}
