// x87 data transfer (SDM Vol. 1 §8.3.3, §8.3.4; Vol. 2A/2B under each
// mnemonic): FLD FST FSTP (m32/m64/m80, ST(i)), FILD FIST FISTP FISTTP,
// FBLD FBSTP, the constants (§8.3.8), FXCH, FCMOVcc, FFREE/FFREEP,
// FINCSTP/FDECSTP, FNOP.
//
// Fault discipline: memory is read (or written) before any x87 state
// changes, so a #PF/#GP leaves FSW, the stack and the pointers as they were.
#include "cpu/interp/x87.h"

namespace pc64 {

using namespace fpu;

// Reads the memory operand n in the format its size and kind name: a
// floating-point value (4, 8, 10 bytes) or an integer (2, 4, 8 bytes).
// Conversion flags go into env.
bool x87_read_mem(Cpu& c, const Insn& i, int n, F80* out, FpEnv& env, bool integer, bool keep_snan) {
  const u64 a = ea(c, i);
  u64 v = 0;
  switch (i.op[n].size) {
    case 2:
      if (!c.read<2>(i.seg, a, &v)) return false;
      *out = f80_from_int((i16)v);
      return true;
    case 4:
      if (!c.read<4>(i.seg, a, &v)) return false;
      *out = integer ? f80_from_int((i32)v) : f80_from_f32(env, (u32)v, keep_snan);
      return true;
    case 8:
      if (!c.read<8>(i.seg, a, &v)) return false;
      *out = integer ? f80_from_int((i64)v) : f80_from_f64(env, v, keep_snan);
      return true;
    default: {
      u8 b[10];
      if (!c.read_bytes(i.seg, a, b, 10)) return false;
      out->mant = load_le<u64>(b);
      out->se = load_le<u16>(b + 8);
      return true;
    }
  }
}

namespace {

// A store that an unmasked exception suppresses still checks the
// destination for writing: the host takes the #PF first.
bool probe_write(Cpu& c, const Insn& i, u32 bytes) {
  u8 tmp[10];
  return c.read_bytes(i.seg, ea(c, i), tmp, bytes, Access::Write);
}

// Pushes `v` (FLD, FILD, FBLD, constants): stack overflow when the new
// ST(0) is not empty (§8.5.1.1) gives the masked response QNaN indefinite.
void push_checked(Cpu& c, F80 v) {
  if (x87_tag_phys(c, (x87_top(c) + 7) & 7) != kTagEmpty) {
    if (!x87_stack_fault(c, true)) return;
    v = kIndefinite;
  }
  x87_push(c, v);
}

void fld(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  FpEnv env = x87_env(c, false);
  F80 v;
  if (i.op[0].type == OpType::Mem) {
    if (!x87_read_mem(c, i, 0, &v, env, false)) return;
  } else {
    if (x87_empty(c, i.op[0].reg)) {
      x87_note(c, i);
      if (!x87_stack_fault(c, false)) return;
      x87_push(c, kIndefinite);  // only the underflow is reported (host)
      return;
    }
    v = x87_get(c, i.op[0].reg);
  }
  x87_note(c, i);
  x87_set_c1(c, false);
  // A stack overflow hides the conversion's flags (IE alone, host).
  const bool full = x87_tag_phys(c, (x87_top(c) + 7) & 7) != kTagEmpty;
  // An unmasked DE does not stop the load (host: the value is pushed).
  if (!full && x87_raise_flags(c, env.flags) && x87_unmasked(c, env.flags & kIE)) return;
  push_checked(c, v);
}

void fild(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  FpEnv env = x87_env(c, false);
  F80 v;
  if (!x87_read_mem(c, i, 0, &v, env, true)) return;
  x87_note(c, i);
  x87_set_c1(c, false);
  push_checked(c, v);
}

void fbld(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  u8 b[10];
  if (!c.read_bytes(i.seg, ea(c, i), b, 10)) return;
  x87_note(c, i);
  x87_set_c1(c, false);
  push_checked(c, f80_from_bcd(b));
}

// FST/FSTP to memory or to ST(i).
void fst_common(Cpu& c, const Insn& i, bool pop) {
  if (!x87_begin(c, i)) return;
  const bool empty = x87_empty(c, 0);
  const F80 src = empty ? kIndefinite : x87_get(c, 0);
  if (i.op[0].type == OpType::St) {
    x87_note(c, i);
    x87_set_c1(c, false);
    if (empty && !x87_stack_fault(c, false)) return;
    x87_put(c, i.op[0].reg, src);
    if (pop) x87_pop(c);
    return;
  }
  FpEnv env = x87_env(c, false);
  const u64 a = ea(c, i);
  bool ok;
  u16 flags = 0;
  switch (i.op[0].size) {
    case 4: {
      u32 v = f80_to_f32(env, src);
      flags = empty ? (u16)(kIE | kFswSF) : env.flags;
      if (empty) v = 0xffc00000u;
      if (x87_unmasked(c, flags & (kIE | kDE | kOE | kUE))) {
        if (!probe_write(c, i, 4)) return;
        break;
      }
      ok = c.write<4>(i.seg, a, v);
      if (!ok) return;
      break;
    }
    case 8: {
      u64 v = f80_to_f64(env, src);
      flags = empty ? (u16)(kIE | kFswSF) : env.flags;
      if (empty) v = 0xfff8000000000000ull;
      if (x87_unmasked(c, flags & (kIE | kDE | kOE | kUE))) {
        if (!probe_write(c, i, 8)) return;
        break;
      }
      ok = c.write<8>(i.seg, a, v);
      if (!ok) return;
      break;
    }
    default: {  // m80: stored unchanged, no exceptions besides the stack fault
      flags = empty ? (u16)(kIE | kFswSF) : 0;
      if (x87_unmasked(c, flags)) {
        if (!probe_write(c, i, 10)) return;
        break;
      }
      u8 b[10];
      store_le<u64>(b, src.mant);
      store_le<u16>(b + 8, src.se);
      if (!c.write_bytes(i.seg, a, b, 10)) return;
      break;
    }
  }
  x87_note(c, i);
  // An unmasked OE/UE stores nothing to memory: no PE, C1 = 0 (host).
  const bool stopped = x87_unmasked(c, flags & (kIE | kDE | kOE | kUE));
  if (stopped && (flags & (kOE | kUE))) flags &= (u16)~kPE;
  x87_set_c1(c, empty || stopped ? false : env.c1);
  if (x87_raise_flags(c, flags) && stopped) return;
  if (pop) x87_pop(c);
}

void fst(Cpu& c, const Insn& i) { fst_common(c, i, false); }
void fstp(Cpu& c, const Insn& i) { fst_common(c, i, true); }

// FIST/FISTP (rounding by RC) and FISTTP (truncation).
void fist_common(Cpu& c, const Insn& i, bool pop, bool truncate) {
  if (!x87_begin(c, i)) return;
  const bool empty = x87_empty(c, 0);
  const int bytes = i.op[0].size;
  FpEnv env = x87_env(c, false);
  u64 v = f80_to_int(env, empty ? kIndefinite : x87_get(c, 0), bytes, truncate);
  const u16 flags = empty ? (u16)(kIE | kFswSF) : env.flags;
  if (x87_unmasked(c, flags & kIE)) {
    if (!probe_write(c, i, (u32)bytes)) return;
  } else {
    const u64 a = ea(c, i);
    bool ok = bytes == 2 ? c.write<2>(i.seg, a, v) : bytes == 4 ? c.write<4>(i.seg, a, v) : c.write<8>(i.seg, a, v);
    if (!ok) return;
  }
  x87_note(c, i);
  x87_set_c1(c, empty ? false : env.c1);
  if (x87_raise_flags(c, flags) && x87_unmasked(c, flags & kIE)) return;
  if (pop) x87_pop(c);
}

void fist(Cpu& c, const Insn& i) { fist_common(c, i, false, false); }
void fistp(Cpu& c, const Insn& i) { fist_common(c, i, true, false); }
void fisttp(Cpu& c, const Insn& i) { fist_common(c, i, true, true); }

void fbstp(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  const bool empty = x87_empty(c, 0);
  FpEnv env = x87_env(c, false);
  u8 b[10];
  f80_to_bcd(env, empty ? kIndefinite : x87_get(c, 0), b);
  const u16 flags = empty ? (u16)(kIE | kFswSF) : env.flags;
  if (x87_unmasked(c, flags & kIE) ? !probe_write(c, i, 10) : !c.write_bytes(i.seg, ea(c, i), b, 10))
    return;
  x87_note(c, i);
  x87_set_c1(c, empty ? false : env.c1);
  if (x87_raise_flags(c, flags) && x87_unmasked(c, flags & kIE)) return;
  x87_pop(c);
}

// The constants (§8.3.8): the processor holds them with more than 64 bits
// and rounds them by RC. Each entry is the round-to-nearest significand and
// whether that rounded up (then RC down/zero give mant - 1) or down (then RC
// up gives mant + 1). Values from SDM Vol. 1 §8.3.8 / checked on the host.
struct Const {
  Mn mn;
  u16 se;
  u64 mant;
  i8 nearest_up;  // 1: nearest rounded up, 0: down, -1: exact
};
constexpr Const kConsts[] = {
    {Mn::FLD1, 0x3fff, 0x8000000000000000ull, -1},
    {Mn::FLDL2T, 0x4000, 0xd49a784bcd1b8afeull, 0},
    {Mn::FLDL2E, 0x3fff, 0xb8aa3b295c17f0bcull, 1},
    {Mn::FLDPI, 0x4000, 0xc90fdaa22168c235ull, 1},
    {Mn::FLDLG2, 0x3ffd, 0x9a209a84fbcff799ull, 1},
    {Mn::FLDLN2, 0x3ffe, 0xb17217f7d1cf79acull, 1},
    {Mn::FLDZ, 0x0000, 0, -1},
};

void fldconst(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  const u8 rc = (u8)((c.s.fpu.fcw >> 10) & 3);
  F80 v{0, 0};
  for (const Const& k : kConsts) {
    if (k.mn != i.row->mn) continue;
    v = F80{k.mant, k.se};
    if (k.nearest_up == 1 && (rc == kRoundDown || rc == kRoundZero)) v.mant -= 1;
    if (k.nearest_up == 0 && rc == kRoundUp) v.mant += 1;
  }
  x87_note(c, i);
  x87_set_c1(c, false);
  push_checked(c, v);
}

void fxch(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  const int r = i.op[0].reg;
  x87_note(c, i);
  x87_set_c1(c, false);
  F80 a = x87_get(c, 0), b = x87_get(c, r);
  if (x87_empty(c, 0) || x87_empty(c, r)) {
    if (!x87_stack_fault(c, false)) return;
    if (x87_empty(c, 0)) a = kIndefinite;
    if (x87_empty(c, r)) b = kIndefinite;
  }
  x87_put(c, 0, b);
  x87_put(c, r, a);
}

// FCMOVcc (SDM Vol. 2A "FCMOVcc"): B E BE U and their negations on CF ZF PF.
void fcmov(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  const u64 fl = read_rflags(c.s);
  bool cond;
  switch ((i.modrm >> 3) & 3) {
    case 0: cond = fl & kCF; break;
    case 1: cond = fl & kZF; break;
    case 2: cond = fl & (kCF | kZF); break;
    default: cond = fl & kPF; break;
  }
  if (i.opcode == 0xDB) cond = !cond;
  const int r = i.op[1].reg;
  x87_note(c, i);
  // C1 only changes on a stack underflow (SDM "FCMOVcc"; the host keeps it).
  if (x87_empty(c, 0) || x87_empty(c, r)) {
    if (!x87_stack_fault(c, false)) return;
    x87_put(c, 0, kIndefinite);
    return;
  }
  if (cond) x87_put(c, 0, x87_get(c, r));
}

void ffree(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  x87_note(c, i);
  x87_set_c1(c, false);  // C0-C3 undefined (SDM); the host clears C1
  x87_set_tag_phys(c, x87_phys(c, i.op[0].reg), kTagEmpty);
  if (i.row->mn == Mn::FFREEP) x87_pop(c);
}

void fincstp(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  x87_note(c, i);
  x87_set_c1(c, false);
  x87_set_top(c, x87_top(c) + (i.row->mn == Mn::FINCSTP ? 1 : -1));
}

void fnop(Cpu& c, const Insn& i) {
  if (!x87_begin(c, i)) return;
  x87_note(c, i);
}

}  // namespace

void bind_x87_load_store(HandlerTable& t) {
  t.set_all(Mn::FLD, &fld);
  t.set_all(Mn::FILD, &fild);
  t.set_all(Mn::FBLD, &fbld);
  t.set_all(Mn::FST, &fst);
  t.set_all(Mn::FSTP, &fstp);
  t.set_all(Mn::FIST, &fist);
  t.set_all(Mn::FISTP, &fistp);
  t.set_all(Mn::FISTTP, &fisttp);
  t.set_all(Mn::FBSTP, &fbstp);
  for (const Const& k : kConsts) t.set_all(k.mn, &fldconst);
  t.set_all(Mn::FXCH, &fxch);
  static constexpr Mn kCmov[] = {Mn::FCMOVB,  Mn::FCMOVE,  Mn::FCMOVBE,  Mn::FCMOVU,
                                 Mn::FCMOVNB, Mn::FCMOVNE, Mn::FCMOVNBE, Mn::FCMOVNU};
  for (Mn m : kCmov) t.set_all(m, &fcmov);
  t.set_all(Mn::FFREE, &ffree);
  t.set_all(Mn::FFREEP, &ffree);
  t.set_all(Mn::FINCSTP, &fincstp);
  t.set_all(Mn::FDECSTP, &fincstp);
  t.set_all(Mn::FNOP, &fnop);
}

}  // namespace pc64
