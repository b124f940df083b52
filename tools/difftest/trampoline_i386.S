// difftest_enter(const u64 regs[17]) for the -m32 runner: loads EFLAGS (low
// half of regs[16]) and EAX..EDI (low halves of regs[0..7]), ESP included,
// then jumps to difftest_target. It never returns (see native_runner.cpp).
        .text
        .globl  difftest_enter
        .type   difftest_enter, @function
difftest_enter:
        movl    4(%esp), %eax
        pushl   128(%eax)
        popfl
        movl    8(%eax), %ecx
        movl    16(%eax), %edx
        movl    24(%eax), %ebx
        movl    32(%eax), %esp
        movl    40(%eax), %ebp
        movl    48(%eax), %esi
        movl    56(%eax), %edi
        movl    0(%eax), %eax
        jmpl    *difftest_target
        .size   difftest_enter, .-difftest_enter
        .section .note.GNU-stack,"",@progbits
