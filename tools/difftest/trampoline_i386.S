// difftest_enter(const u64 regs[17]) for the -m32 runner: loads EFLAGS (low
// half of regs[16]) and EAX..EDI (low halves of regs[0..7]), ESP included,
// then jumps to difftest_target. It never returns (see native_runner.cpp).
// Both entries first load the x87/SSE/AVX state (XRSTOR or FXRSTOR of
// difftest_fpimage, as in trampoline_x86_64.S), while the segments are flat.
        .macro  FPLOAD
        movl    difftest_fpmode, %eax
        testl   %eax, %eax
        jz      2f
        cmpl    $2, %eax
        jne     1f
        movl    difftest_xmask, %eax
        xorl    %edx, %edx
        xrstor  difftest_fpimage
        jmp     2f
1:      fxrstor difftest_fpimage
2:
        .endm
        .text
        .globl  difftest_enter
        .type   difftest_enter, @function
difftest_enter:
        FPLOAD
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
// difftest_enter16(const u64 regs[17]) for --mode 16: like difftest_enter,
// but enters the 16-bit LDT code segment. DS/ES/FS/GS get the 16-bit data
// selector (difftest_sel16) first; the remaining loads read through SS, which
// is still the flat segment, and LSS loads SS:ESP from difftest_stack16
// (offset, selector) through CS (the runner's flat code segment is
// readable). The far JMP takes CS:IP from difftest_far16. Nothing after the
// POPFL changes the flags.
        .globl  difftest_enter16
        .type   difftest_enter16, @function
difftest_enter16:
        FPLOAD
        movl    4(%esp), %eax
        pushl   128(%eax)
        popfl
        movl    difftest_sel16, %ecx
        mov     %ecx, %ds
        mov     %ecx, %es
        mov     %ecx, %fs
        mov     %ecx, %gs
        movl    %ss:8(%eax), %ecx
        movl    %ss:16(%eax), %edx
        movl    %ss:24(%eax), %ebx
        movl    %ss:40(%eax), %ebp
        movl    %ss:48(%eax), %esi
        movl    %ss:56(%eax), %edi
        movl    %ss:0(%eax), %eax
        lss     %cs:difftest_stack16, %esp
        ljmp    *%cs:difftest_far16
        .size   difftest_enter16, .-difftest_enter16
        .section .note.GNU-stack,"",@progbits
