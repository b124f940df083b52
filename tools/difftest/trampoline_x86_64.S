// difftest_enter(const u64 regs[17]): loads the x87/SSE/AVX state from
// difftest_fpimage (XRSTOR with EDX:EAX = difftest_xmask when difftest_fpmode
// is 2, FXRSTOR when it is 1, nothing when 0), then RFLAGS (regs[16]) and all sixteen GPRs, RSP
// included, then jumps to difftest_target. It never returns: the
// run ends in a signal handler that siglongjmp()s back (native_runner.cpp).
        .text
        .globl  difftest_enter
        .type   difftest_enter, @function
difftest_enter:
        movl    difftest_fpmode(%rip), %eax
        testl   %eax, %eax
        jz      2f
        cmpl    $2, %eax
        jne     1f
        movl    difftest_xmask(%rip), %eax
        xorl    %edx, %edx
        xrstor  difftest_fpimage(%rip)
        jmp     2f
1:      fxrstor difftest_fpimage(%rip)
2:      movq    128(%rdi), %rax
        pushq   %rax
        popfq
        movq    0(%rdi), %rax
        movq    8(%rdi), %rcx
        movq    16(%rdi), %rdx
        movq    24(%rdi), %rbx
        movq    32(%rdi), %rsp
        movq    40(%rdi), %rbp
        movq    48(%rdi), %rsi
        movq    64(%rdi), %r8
        movq    72(%rdi), %r9
        movq    80(%rdi), %r10
        movq    88(%rdi), %r11
        movq    96(%rdi), %r12
        movq    104(%rdi), %r13
        movq    112(%rdi), %r14
        movq    120(%rdi), %r15
        movq    56(%rdi), %rdi
        jmpq    *difftest_target(%rip)
        .size   difftest_enter, .-difftest_enter
        .section .note.GNU-stack,"",@progbits
