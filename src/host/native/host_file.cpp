// Native host helpers. Files, terminal and clock access for the machine
// arrive with the platform (issue #5); the command line's file checks live
// in options.cpp.
namespace pc64 {}
