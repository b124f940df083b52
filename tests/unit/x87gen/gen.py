#!/usr/bin/env python3
# Generates tests/unit/x87_host_cases.inc: x87 instructions run on the host
# CPU (this script compiles and runs a small C harness with gcc) with their
# exact resulting state, for x87_host_test.cpp to replay on pc64.
# Usage: python3 gen.py > ../x87_host_cases.inc   (on an x86-64 host)
import random, struct, subprocess, os, sys, tempfile
random.seed(4)

def f80(sign, exp, mant): return (mant, (sign << 15) | exp)
V = [f80(0,0,0), f80(1,0,0), f80(0,0x3fff,1<<63), f80(1,0x3fff,0xc000000000000000),
     f80(0,0x4000,0xc90fdaa22168c235), f80(0,0,0x0000000000001234), f80(0,0,0x8000000000000001),
     f80(0,1,1<<63), f80(0,0x7ffe,(1<<64)-1), f80(1,0x7ffe,(1<<64)-1), f80(0,0x7fff,1<<63), f80(1,0x7fff,1<<63),
     f80(0,0x7fff,0xc000000000000001), f80(0,0x7fff,0x8000000000000001), f80(1,0x7fff,0xc000000000000000),
     f80(0,0x3fff,0x4000000000000000), f80(0,0x403e,(1<<64)-1), f80(1,0x403e,1<<63), f80(0,0x401d,0xffffffff00000000),
     f80(0,0x3ffe,0xffffffffffffffff), f80(0,0x3ffd,0x8000000000000000), f80(0,0x4002,0xa000000000000000),
     f80(1,0x3fe0,0xabcdef0123456789), f80(0,0x0001,0xfffffffffffffff0), f80(0,0x43fe,0x8000000000000000),
     f80(0,0x3c00,0x8000000000000000), f80(0,0x4011,0x8000000000000000), f80(1,0x400c,0x9c40000000000000)]
def rnd80():
    r = random.random()
    if r < 0.5: return random.choice(V)
    e = random.choice([random.randint(0x3ff0,0x4010), random.randint(1,0x7ffe), random.randint(0x3f80,0x4080)])
    return f80(random.randint(0,1), e, random.getrandbits(64) | (1<<63))
def mem32():
    return random.choice([0, 0x80000000, 0x3f800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0x00000001,
                          0x007fffff, 0x00800000, 0x7f7fffff, 0x40490fdb, random.getrandbits(32), random.getrandbits(32)])
def mem64():
    return random.choice([0, 1<<63, 0x3ff0000000000000, 0x7ff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001,
                          1, 0x000fffffffffffff, 0x7fefffffffffffff, 0x400921fb54442d18, random.getrandbits(64),
                          random.getrandbits(64), 0xffffffffffffffff, 0x8000000000000001])
def memint(n):
    return random.choice([0, 1, (1<<(8*n))-1, 1<<(8*n-1), (1<<(8*n-1))-1, random.getrandbits(8*n), 12345])
def membcd():
    d = random.randint(0, 10**18-1); b = bytearray(10)
    for k in range(9):
        b[k] = (d % 10) | ((d // 10 % 10) << 4); d //= 100
    b[9] = 0x80 if random.random() < 0.5 else 0
    return bytes(b)

def mem_bytes(kind):
    if kind == 'd': return struct.pack('<I', mem32()) + bytes(12)
    if kind == 'q': return struct.pack('<Q', mem64()) + bytes(8)
    if kind == 'w': return struct.pack('<H', memint(2)) + bytes(14)
    if kind == 'i': return struct.pack('<I', memint(4)) + bytes(12)
    if kind == 'l': return struct.pack('<Q', memint(8)) + bytes(8)
    if kind == 't': m, se = rnd80(); return struct.pack('<QH', m, se) + bytes(6)
    if kind == 'b': return membcd() + bytes(6)
    return bytes(16)

# (name, bytes, memory kind, stack depth needed)
I = []
def add(name, b, kind='-', depth=2): I.append((name, bytes(b), kind, depth))
ar = ['fadd','fmul','fcom','fcomp','fsub','fsubr','fdiv','fdivr']
for r, n in enumerate(ar):
    add(n+' m32', [0xd8, r<<3], 'd'); add(n+' m64', [0xdc, r<<3], 'q')
    add('fi'+n[1:]+' m32', [0xda, r<<3], 'i'); add('fi'+n[1:]+' m16', [0xde, r<<3], 'w')
    for k in (0, 1, 2): add(n+' st,st%d' % k, [0xd8, 0xc0 | r<<3 | k])
for r, n in [(0,'fadd'),(1,'fmul'),(4,'fsubr'),(5,'fsub'),(6,'fdivr'),(7,'fdiv')]:
    for k in (1, 2): add(n+' st%d,st' % k, [0xdc, 0xc0 | r<<3 | k]); add(n+'p st%d,st' % k, [0xde, 0xc0 | r<<3 | k])
add('fld m32', [0xd9, 0x00], 'd'); add('fld m64', [0xdd, 0x00], 'q'); add('fld m80', [0xdb, 0x28], 't')
add('fst m32', [0xd9, 0x10]); add('fstp m32', [0xd9, 0x18]); add('fst m64', [0xdd, 0x10]); add('fstp m64', [0xdd, 0x18])
add('fstp m80', [0xdb, 0x38])
for k in (0, 1, 3): add('fld st%d' % k, [0xd9, 0xc0|k]); add('fxch st%d' % k, [0xd9, 0xc8|k])
for k in (0, 1, 3): add('fst st%d' % k, [0xdd, 0xd0|k]); add('fstp st%d' % k, [0xdd, 0xd8|k]); add('ffree st%d' % k, [0xdd, 0xc0|k])
add('ffreep st1', [0xdf, 0xc1])
add('fild m16', [0xdf, 0x00], 'w'); add('fild m32', [0xdb, 0x00], 'i'); add('fild m64', [0xdf, 0x28], 'l')
for n, b in [('fist m16',[0xdf,0x10]),('fistp m16',[0xdf,0x18]),('fist m32',[0xdb,0x10]),('fistp m32',[0xdb,0x18]),
             ('fistp m64',[0xdf,0x38]),('fisttp m16',[0xdf,0x08]),('fisttp m32',[0xdb,0x08]),('fisttp m64',[0xdd,0x08])]:
    add(n, b)
add('fbld', [0xdf, 0x20], 'b'); add('fbstp', [0xdf, 0x30])
for k, n in enumerate(['fld1','fldl2t','fldl2e','fldpi','fldlg2','fldln2','fldz']): add(n, [0xd9, 0xe8|k])
for k, n in [(0,'fchs'),(1,'fabs'),(4,'ftst'),(5,'fxam')]: add(n, [0xd9, 0xe0|k])
for k, n in [(4,'fxtract'),(5,'fprem1'),(6,'fdecstp'),(7,'fincstp')]: add(n, [0xd9, 0xf0|k])
for k, n in [(0,'fprem'),(2,'fsqrt'),(4,'frndint'),(5,'fscale')]: add(n, [0xd9, 0xf8|k])
add('fnop', [0xd9, 0xd0])
for r in range(4):
    add('fcmov%d' % r, [0xda, 0xc1 | r<<3]); add('fcmovn%d' % r, [0xdb, 0xc1 | r<<3])
add('fucompp', [0xda, 0xe9]); add('fcompp', [0xde, 0xd9])
for k in (1, 2):
    add('fucom st%d' % k, [0xdd, 0xe0|k]); add('fucomp st%d' % k, [0xdd, 0xe8|k])
    add('fucomi st%d' % k, [0xdb, 0xe8|k]); add('fcomi st%d' % k, [0xdb, 0xf0|k])
    add('fucomip st%d' % k, [0xdf, 0xe8|k]); add('fcomip st%d' % k, [0xdf, 0xf0|k])
add('fnstsw ax', [0xdf, 0xe0]); add('fnstcw', [0xd9, 0x38]); add('fnclex', [0xdb, 0xe2])

FCWS = [0x037f, 0x037f, 0x037f, 0x007f, 0x027f, 0x077f, 0x0b7f, 0x0f7f, 0x0360, 0x0372, 0x037e, 0x037b, 0x0377, 0x036f, 0x035f]
cases = []
for (name, b, kind, depth) in I:
    for rep in range(14):
        fcw = random.choice(FCWS)
        nst = random.choice([0, 1, 2, 2, 3, 3, 3, 8]) if rep > 1 else 3
        st = [rnd80() for _ in range(nst)]
        efl = random.choice([0x2, 0x3, 0x42, 0x46, 0x6, 0x43, 0x8d7])
        mem = mem_bytes(kind)
        cases.append((name, fcw, st, efl, b, mem))

# Host harness: code per case in an executable buffer.
def code_for(c):
    name, fcw, st, efl, b, mem = c
    code = bytearray([0xdb, 0xe3, 0xd9, 0x2e])  # fninit; fldcw [rsi]
    for k in range(len(st)):  # fld tbyte [rsi+16+16k] (pushed in order: last is ST(0))
        code += bytes([0xdb, 0xae]) + struct.pack('<i', 16 + 16 * k)
    code += bytes([0x68]) + struct.pack('<I', efl) + bytes([0x9d])  # push imm; popfq
    code += bytes([0x48, 0x89, 0xf8])  # mov rax, rdi
    code += b
    code += bytes([0xdd, 0xb6]) + struct.pack('<i', 0x100)  # fnsave [rsi+0x100]
    code += bytes([0x9c, 0x5a, 0x48, 0x89, 0x96]) + struct.pack('<i', 0x200)  # pushfq; pop rdx; mov [rsi+0x200], rdx
    code += bytes([0x48, 0x89, 0x86]) + struct.pack('<i', 0x208)  # mov [rsi+0x208], rax
    return code

harness = r'''
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
int main(){
  static uint8_t in[1<<22]; size_t n = fread(in,1,sizeof in,stdin); size_t p = 0;
  uint8_t* ex = mmap(0, 1<<16, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
  static uint8_t area[0x300] __attribute__((aligned(16))); static uint8_t data[16] __attribute__((aligned(16)));
  while (p < n) {
    uint32_t clen, alen; memcpy(&clen, in+p, 4); p += 4; memcpy(ex, in+p, clen); p += clen; ex[clen] = 0xc3;
    memcpy(&alen, in+p, 4); p += 4; memset(area, 0, sizeof area); memcpy(area, in+p, alen); p += alen;
    memcpy(data, in+p, 16); p += 16;
    asm volatile("call *%0" :: "r"(ex), "D"(data), "S"(area) : "rax","rdx","rcx","memory","cc");
    fwrite(area+0x100, 1, 108, stdout); fwrite(area+0x200, 1, 16, stdout); fwrite(data, 1, 16, stdout);
  }
  return 0;
}
'''
d = tempfile.mkdtemp()
open(d+'/h.c','w').write(harness)
subprocess.check_call(['gcc','-O1','-o',d+'/h',d+'/h.c'])
blob = bytearray()
for c in cases:
    name, fcw, st, efl, b, mem = c
    code = code_for(c)
    area = bytearray(16 + 16 * len(st)); area[0:2] = struct.pack('<H', fcw)
    for k, (m, se) in enumerate(st): area[16+16*k:26+16*k] = struct.pack('<QH', m, se)
    blob += struct.pack('<I', len(code)) + code + struct.pack('<I', len(area)) + area + mem
out = subprocess.run([d+'/h'], input=bytes(blob), stdout=subprocess.PIPE, check=True).stdout
assert len(out) == 140 * len(cases), (len(out), len(cases))
print('// Generated by tests/unit/x87gen/gen.py on the host CPU: do not edit.')
print('// name, fcw, n, stack (ST(n-1)..ST(0) as pushed), eflags, insn, mem in; host: fnsave image, rflags, rax, mem out')
def hx(bs): return '{' + ','.join('0x%02x' % x for x in bs) + '}'
for k, c in enumerate(cases):
    name, fcw, st, efl, b, mem = c
    o = out[140*k:140*(k+1)]
    sts = ','.join('{0x%016xull,0x%04x}' % (m, se) for m, se in st) or '{0,0}'
    print('{"%s",0x%04x,%d,{%s},0x%x,%s,%d,%s,%s,%s,%s},' % (name, fcw, len(st), sts, efl, hx(b), len(b), hx(mem), hx(o[:108]), hx(o[108:124]), hx(o[124:140])))
