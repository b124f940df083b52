// Loads the wasm64 link check of the core and calls its self-test.
// Needs Node >= 24: Node 20/22 reject table64 modules (docs/TOOLCHAIN.md).
// Usage: node scripts/wasm-selftest.mjs build/wasm64/pc64_core_check.wasm
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? 'build/wasm64/pc64_core_check.wasm';
const expected = 12n;
let bytes;
try {
  bytes = readFileSync(path);
} catch (e) {
  console.error(`wasm-selftest: ${path}: ${e.code ?? e.message}`);
  process.exit(2);
}
const module = new WebAssembly.Module(bytes);
const imports = WebAssembly.Module.imports(module);
if (imports.length) {
  console.error('wasm-selftest: unexpected imports: ' +
                imports.map((i) => `${i.module}.${i.name}`).join(', '));
  process.exit(1);
}
const { exports } = new WebAssembly.Instance(module, {});
// --no-entry wraps each export so it would re-run static constructors;
// the module exports __wasm_call_ctors so the host runs them exactly once.
exports.__wasm_call_ctors();
const got = BigInt(exports.pc64_selftest());
let ok = got === expected;
console.log(`wasm-selftest: pc64_selftest() = ${got} (expected ${expected}) ` +
            `[node ${process.version}, ${bytes.length} bytes] ${ok ? 'ok' : 'FAILED'}`);
// Optional: the x87/SSE vectors, "fp-vectors SEED COUNT ALL D0 D1 D2 D3" as
// pc64-fp-vectors prints it natively (argv[3]); every digest must match.
if (process.argv[3]) {
  const f = process.argv[3].trim().split(/\s+/);
  const seed = BigInt(f[1]), count = Number(f[2]);
  const names = ['all', 'x87', '0F', '0F38', '0F3A'];
  for (let k = 0; k < 5; ++k) {
    const want = BigInt('0x' + f[3 + k]);
    const have = BigInt.asUintN(64, BigInt(exports.pc64_fp_vectors(seed, count, k)));
    const same = want === have;
    ok &&= same;
    console.log(`wasm-selftest: fp-vectors seed ${seed} count ${count} ${names[k]}: ` +
                `wasm64 ${have.toString(16)} native ${want.toString(16)} ${same ? 'ok' : 'FAILED'}`);
  }
}
process.exit(ok ? 0 : 1);
