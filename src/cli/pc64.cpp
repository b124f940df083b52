// pc64: the command-line front end (QEMU-style options).
#include <cstdio>
int main(int argc, char** argv) {
  (void)argc; (void)argv;
  std::fprintf(stderr, "pc64: not yet\n");
  return 1;
}
