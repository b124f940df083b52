// The 512-byte FXSAVE image, which is also the legacy region of an XSAVE
// area (SDM Vol. 1 §10.5.1 Table 10-2, §13.4.1 Table 13-1): x87 state in
// bytes 23:0 and 159:32, SSE state in bytes 31:24 (MXCSR, MXCSR_MASK) and
// 415:160 (XMM0-XMM15). Bytes 511:416 are never written.
//
// Shared by XSAVE/XRSTOR (xsave.cpp) and meant for FXSAVE/FXRSTOR too: an
// FXSAVE handler builds the image with fxsave_image() and stores bytes
// 0..287 (0..415 in 64-bit mode); FXRSTOR reads them and calls
// fxrstor_image(). The pieces are separate because the XSAVE feature set
// saves and restores x87 state, MXCSR and the XMM registers independently
// (SDM Vol. 1 §13.7, §13.8).
//
// x87 layout (SDM Vol. 1 §13.5.1): FCW 1:0, FSW 3:2, abridged FTW byte 4
// (bit j = 1 unless physical register Rj is empty), FOP 7:6; without REX.W
// FIP[31:0] 11:8, FCS 13:12, FDP[31:0] 19:16, FDS 21:20 (bytes 15:14 and
// 23:22 stored as 0); with REX.W the full 64-bit FIP in 15:8 and FDP in
// 23:16. ST(i) (stack order, not physical) in bytes 32+16i..41+16i, the six
// bytes above each register stored as 0.
#pragma once
#include "cpu/cpu.h"

namespace pc64 {

// MXCSR_MASK as FXSAVE/XSAVE report it: every defined MXCSR bit, DAZ
// included (SDM Vol. 1 §11.6.6). A 1 in any other bit is reserved: loading
// it (LDMXCSR, FXRSTOR, XRSTOR) is #GP(0).
constexpr u32 kMxcsrMask = 0xffff;
constexpr u32 kMxcsrInit = 0x1f80;
inline bool mxcsr_valid(u32 v) { return (v & ~kMxcsrMask) == 0; }

// Byte offsets in the image.
constexpr u32 kFxMxcsr = 24, kFxMxcsrMask = 28, kFxSt = 32, kFxXmm = 160;
constexpr u32 kFxX87End = 160, kFxSize = 512;

// XMM registers the image holds in the current mode (SDM Vol. 1 §13.5.2:
// XMM8-XMM15 only in 64-bit mode).
inline int fx_xmm_count(const Cpu& c) { return c.mode64() ? 16 : 8; }

// x87 state -> bytes 0..23 and 32..159 of `img`.
void fx_store_x87(const Cpu& c, u8* img, bool rex_w);
// Bytes 0..23 and 32..159 -> x87 state. Tags come from the abridged FTW and
// the register values (SDM Vol. 2A "FXRSTOR"): empty where the bit is 0,
// else zero, special or valid by the value.
void fx_load_x87(Cpu& c, const u8* img, bool rex_w);
// MXCSR and MXCSR_MASK -> bytes 24..31.
void fx_store_mxcsr(const Cpu& c, u8* img);
// XMM0..XMM(n-1) -> bytes 160.. / back.
void fx_store_xmm(const Cpu& c, u8* img, int n);
void fx_load_xmm(Cpu& c, const u8* img, int n);

// The whole FXSAVE image (bytes 0..415; XMM8-15 only in 64-bit mode).
void fxsave_image(const Cpu& c, u8* out512, bool rex_w);
// Loads an FXSAVE image. Returns false, changing nothing, if its MXCSR has a
// reserved bit set (the caller raises #GP(0)).
bool fxrstor_image(Cpu& c, const u8* in512, bool rex_w);

// Puts x87 state in its initial configuration (SDM Vol. 1 §13.6: FCW 037FH,
// FSW 0, FTW FFFFH, FCS/FDS/FIP/FDP 0, ST0-ST7 0; FOP is cleared too, as
// FINIT does), as XRSTOR does for a component whose XSTATE_BV bit is 0.
void x87_init_state(Cpu& c);
// What FNINIT sets (SDM Vol. 2A "FINIT/FNINIT"): the same, but the data
// registers ST0-ST7 keep their contents (they become empty through FTW).
void x87_finit(Cpu& c);
// True if x87 state is in that initial configuration (FOP not considered).
bool x87_is_init(const Cpu& c);

}  // namespace pc64
