/**
 * Classic BPF, run in JavaScript over packet bytes, with the semantics of
 * libpcap's userland bpf_filter (what pcap_offline_filter and tcpdump -r use):
 * 32-bit unsigned A and X, sixteen scratch words, a load past the captured
 * bytes rejects the packet, a division by zero rejects it, BPF_LEN is the
 * wire length. Linux's ancillary loads (k >= 0xfffff000) are only emitted for
 * live kernel filters; offline they fall out of bounds and reject, as in
 * libpcap.
 *
 * Programs are translated once into a JavaScript function (jumps in classic
 * BPF only go forward, so every jump becomes a `break` out of a labelled
 * block), which V8 then compiles to machine code. The interpreter runs the
 * rest: programs with backward jumps (libpcap sign-extends BPF_JA's k and
 * `protochain` loops with it), programs too large to nest, and hosts that
 * forbid code generation.
 */

/** Returns the BPF result: 0 rejects, anything else accepts (the snapshot length). */
type BpfFunction = (bytes: Uint8Array, offset: number, caplen: number, wirelen: number) => number;

// Instruction classes and fields, as in <pcap/bpf.h>.
const BPF_LD = 0x00, BPF_LDX = 0x01, BPF_ST = 0x02, BPF_STX = 0x03, BPF_ALU = 0x04, BPF_JMP = 0x05,
  BPF_RET = 0x06, BPF_MISC = 0x07;
const BPF_W = 0x00, BPF_H = 0x08, BPF_B = 0x10;
const BPF_IMM = 0x00, BPF_ABS = 0x20, BPF_IND = 0x40, BPF_MEM = 0x60, BPF_LEN = 0x80, BPF_MSH = 0xa0;
const BPF_ADD = 0x00, BPF_SUB = 0x10, BPF_MUL = 0x20, BPF_DIV = 0x30, BPF_OR = 0x40, BPF_AND = 0x50,
  BPF_LSH = 0x60, BPF_RSH = 0x70, BPF_NEG = 0x80, BPF_MOD = 0x90, BPF_XOR = 0xa0;
const BPF_JA = 0x00, BPF_JEQ = 0x10, BPF_JGT = 0x20, BPF_JGE = 0x30, BPF_JSET = 0x40;
const BPF_X = 0x08;
const BPF_A = 0x10;
const BPF_TAX = 0x00, BPF_TXA = 0x80;
const MEMWORDS = 16;
/** The interpreter's scratch words, reused: evaluation never nests. */
const scratch = new Uint32Array(16);
/**
 * Instructions executed for one packet before a program is deemed stuck (only backward jumps can
 * loop). Counting jumps alone let a long loop body run for seconds per packet. libpcap's protochain
 * loop runs at most 28 instructions a pass and advances at least 8 bytes, so a 256 KiB packet needs
 * under a million; this is twice that, and still under 0.2 s for the slowest instruction mix.
 */
const MAX_STEPS = 1 << 21;

const cls = (code: number): number => code & 0x07;
const size = (code: number): number => code & 0x18;
const mode = (code: number): number => code & 0xe0;
const op = (code: number): number => code & 0xf0;
const src = (code: number): number => code & 0x08;

/** Programs longer than this are interpreted: deep block nesting would strain the parser. */
const MAX_TRANSLATED_INSTRUCTIONS = 1500;

export class BpfProgram {
  /** [code, jt, jf, k] per instruction, as pcap_compile produced them. */
  readonly instructions: Uint32Array;
  /** The fastest available evaluator of this program. */
  readonly run: BpfFunction;
  /** Whether `run` is the translated function (false: the interpreter). */
  readonly translated: boolean;

  constructor(instructions: Uint32Array) {
    if (instructions.length % 4 !== 0 || instructions.length === 0) {
      throw new RangeError('a BPF program is a non-empty list of [code, jt, jf, k] quadruples');
    }
    this.instructions = instructions;
    let fn: BpfFunction | undefined;
    if (instructions.length / 4 <= MAX_TRANSLATED_INSTRUCTIONS) {
      try {
        fn = translate(instructions);
      } catch {
        fn = undefined; // code generation disallowed or an opcode we do not translate
      }
    }
    this.translated = fn !== undefined;
    this.run = fn ?? ((bytes, offset, caplen, wirelen) => interpret(instructions, bytes, offset, caplen, wirelen));
  }

  get length(): number {
    return this.instructions.length / 4;
  }

  /** Evaluates with the interpreter (the reference the translation is checked against). */
  interpret(bytes: Uint8Array, offset: number, caplen: number, wirelen: number): number {
    return interpret(this.instructions, bytes, offset, caplen, wirelen);
  }

  /** The program in tcpdump -d's notation, for debugging. */
  toString(): string {
    const lines: string[] = [];
    for (let i = 0; i < this.length; i++) {
      const [code, jt, jf, k] = this.instructions.subarray(i * 4, i * 4 + 4);
      lines.push(`(${String(i).padStart(3, '0')}) code=0x${code!.toString(16)} jt=${jt} jf=${jf} k=${k}`);
    }
    return lines.join('\n');
  }
}

function load(bytes: Uint8Array, at: number, width: number): number {
  if (width === 4) return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
  if (width === 2) return (bytes[at]! << 8) | bytes[at + 1]!;
  return bytes[at]!;
}

function widthOf(code: number): number {
  const s = size(code);
  return s === BPF_W ? 4 : s === BPF_H ? 2 : s === BPF_B ? 1 : 0;
}

function alu(operation: number, a: number, v: number): number | undefined {
  switch (operation) {
    case BPF_ADD: return (a + v) >>> 0;
    case BPF_SUB: return (a - v) >>> 0;
    case BPF_MUL: return Math.imul(a, v) >>> 0;
    case BPF_DIV: return v === 0 ? undefined : (a / v) >>> 0;
    case BPF_MOD: return v === 0 ? undefined : (a % v) >>> 0;
    case BPF_AND: return (a & v) >>> 0;
    case BPF_OR: return (a | v) >>> 0;
    case BPF_XOR: return (a ^ v) >>> 0;
    case BPF_LSH: return (a << v) >>> 0;
    case BPF_RSH: return a >>> v;
    case BPF_NEG: return (0 - a) >>> 0;
    default: return undefined;
  }
}

function interpret(insns: Uint32Array, bytes: Uint8Array, offset: number, caplen: number, wirelen: number): number {
  let a = 0;
  let x = 0;
  const mem = scratch;
  mem.fill(0);
  const n = insns.length / 4;
  let pc = 0;
  let steps = 0;
  while (pc >= 0 && pc < n) {
    if (++steps > MAX_STEPS) return 0;
    const code = insns[pc * 4]!;
    const jt = insns[pc * 4 + 1]!;
    const jf = insns[pc * 4 + 2]!;
    const k = insns[pc * 4 + 3]!;
    pc++;
    switch (cls(code)) {
      case BPF_LD:
      case BPF_LDX: {
        const toX = cls(code) === BPF_LDX;
        let v: number;
        switch (mode(code)) {
          case BPF_IMM: v = k; break;
          case BPF_LEN: v = wirelen >>> 0; break;
          case BPF_MEM: v = k < MEMWORDS ? mem[k]! : 0; break;
          case BPF_ABS:
          case BPF_IND: {
            if (toX) return 0;
            const width = widthOf(code);
            const at = mode(code) === BPF_ABS ? k : x + k;
            if (width === 0 || at + width > caplen) return 0;
            v = load(bytes, offset + at, width);
            break;
          }
          case BPF_MSH:
            if (!toX || k >= caplen) return 0;
            v = (bytes[offset + k]! & 0x0f) << 2;
            break;
          default: return 0;
        }
        if (toX) x = v; else a = v;
        break;
      }
      case BPF_ST: if (k < MEMWORDS) mem[k] = a; break;
      case BPF_STX: if (k < MEMWORDS) mem[k] = x; break;
      case BPF_ALU: {
        const r = alu(op(code), a, src(code) === BPF_X ? x : k);
        if (r === undefined) return 0;
        a = r;
        break;
      }
      case BPF_JMP: {
        // libpcap sign-extends k: "ip6 protochain" loops with a backward jump.
        if (op(code) === BPF_JA) {
          pc += k | 0;
          break;
        }
        const v = src(code) === BPF_X ? x : k;
        let taken: boolean;
        switch (op(code)) {
          case BPF_JEQ: taken = a === v; break;
          case BPF_JGT: taken = a > v; break;
          case BPF_JGE: taken = a >= v; break;
          case BPF_JSET: taken = (a & v) !== 0; break;
          default: return 0;
        }
        pc += taken ? jt : jf;
        break;
      }
      case BPF_RET:
        return (code & 0x18) === BPF_A ? a : (code & 0x18) === 0 ? k : 0;
      case BPF_MISC:
        if ((code & 0xf8) === BPF_TAX) x = a;
        else if ((code & 0xf8) === BPF_TXA) a = x;
        break;
      default:
        return 0;
    }
  }
  return 0;
}

/** Builds the JavaScript source of one instruction; `goto(j)` jumps to instruction j. */
function translateInstruction(code: number, jt: number, jf: number, k: number, pc: number,
  goto: (target: number) => string): string {
  const next = pc + 1;
  switch (cls(code)) {
    case BPF_LD:
    case BPF_LDX: {
      const reg = cls(code) === BPF_LDX ? 'x' : 'a';
      switch (mode(code)) {
        case BPF_IMM: return `${reg} = ${k};`;
        case BPF_LEN: return `${reg} = w >>> 0;`;
        case BPF_MEM: return k < MEMWORDS ? `${reg} = m${k};` : `${reg} = 0;`;
        case BPF_ABS:
        case BPF_IND: {
          const width = widthOf(code);
          if (reg === 'x' || width === 0) return 'return 0;';
          const at = mode(code) === BPF_ABS ? `${k}` : `x + ${k}`;
          const p = mode(code) === BPF_ABS ? `o + ${k}` : 'o + t';
          const pre = mode(code) === BPF_ABS ? `if (${k + width} > n) return 0;` :
            `t = ${at}; if (t + ${width} > n) return 0;`;
          if (width === 4) return `${pre} a = ((b[${p}] << 24) | (b[${p} + 1] << 16) | (b[${p} + 2] << 8) | b[${p} + 3]) >>> 0;`;
          if (width === 2) return `${pre} a = (b[${p}] << 8) | b[${p} + 1];`;
          return `${pre} a = b[${p}];`;
        }
        case BPF_MSH:
          if (reg !== 'x') return 'return 0;';
          return `if (${k} >= n) return 0; x = (b[o + ${k}] & 15) << 2;`;
        default: return 'return 0;';
      }
    }
    case BPF_ST: return k < MEMWORDS ? `m${k} = a;` : '';
    case BPF_STX: return k < MEMWORDS ? `m${k} = x;` : '';
    case BPF_ALU: {
      const v = src(code) === BPF_X ? 'x' : `${k}`;
      switch (op(code)) {
        case BPF_ADD: return `a = (a + ${v}) >>> 0;`;
        case BPF_SUB: return `a = (a - ${v}) >>> 0;`;
        case BPF_MUL: return `a = Math.imul(a, ${v}) >>> 0;`;
        case BPF_DIV: return `if (${v} === 0) return 0; a = (a / ${v}) >>> 0;`;
        case BPF_MOD: return `if (${v} === 0) return 0; a = (a % ${v}) >>> 0;`;
        case BPF_AND: return `a = (a & ${v}) >>> 0;`;
        case BPF_OR: return `a = (a | ${v}) >>> 0;`;
        case BPF_XOR: return `a = (a ^ ${v}) >>> 0;`;
        case BPF_LSH: return `a = (a << ${v}) >>> 0;`;
        case BPF_RSH: return `a = a >>> ${v};`;
        case BPF_NEG: return 'a = (0 - a) >>> 0;';
        default: return 'return 0;';
      }
    }
    case BPF_JMP: {
      if (op(code) === BPF_JA) return goto(next + k);
      const v = src(code) === BPF_X ? 'x' : `${k}`;
      let cond: string;
      switch (op(code)) {
        case BPF_JEQ: cond = `a === ${v}`; break;
        case BPF_JGT: cond = `a > ${v}`; break;
        case BPF_JGE: cond = `a >= ${v}`; break;
        case BPF_JSET: cond = `(a & ${v}) !== 0`; break;
        default: return 'return 0;';
      }
      return `if (${cond}) { ${goto(next + jt)} } else { ${goto(next + jf)} }`;
    }
    case BPF_RET:
      return (code & 0x18) === BPF_A ? 'return a;' : (code & 0x18) === 0 ? `return ${k};` : 'return 0;';
    case BPF_MISC:
      if ((code & 0xf8) === BPF_TAX) return 'x = a;';
      if ((code & 0xf8) === BPF_TXA) return 'a = x;';
      return '';
    default:
      return 'return 0;';
  }
}

function translate(insns: Uint32Array): BpfFunction {
  const n = insns.length / 4;
  for (let pc = 0; pc < n; pc++) {
    const code = insns[pc * 4]!;
    // Backward jumps (protochain loops) cannot become `break`s: interpret those programs.
    if (cls(code) === BPF_JMP && op(code) === BPF_JA && (insns[pc * 4 + 3]! | 0) < 0) {
      throw new RangeError('backward jump');
    }
  }
  // Which instructions are jump targets (other than by falling through).
  const isTarget = new Uint8Array(n + 1);
  const markJump = (target: number): void => {
    isTarget[Math.min(target, n)] = 1;
  };
  for (let pc = 0; pc < n; pc++) {
    const code = insns[pc * 4]!;
    if (cls(code) !== BPF_JMP) continue;
    if (op(code) === BPF_JA) markJump(pc + 1 + insns[pc * 4 + 3]!);
    else {
      markJump(pc + 1 + insns[pc * 4 + 1]!);
      markJump(pc + 1 + insns[pc * 4 + 2]!);
    }
  }
  const goto = (pc: number) => (target: number): string => {
    const t = Math.min(target, n);
    return t === pc + 1 && !isTarget[t] ? '' : t === pc + 1 ? '' : `break L${t};`;
  };
  // Block L<j> closes right before instruction j, so `break L<j>` continues
  // there; blocks open at the top, outermost first (the highest target).
  const parts: string[] = [];
  for (let t = n; t >= 1; t--) if (isTarget[t]) parts.push(`L${t}: {`);
  for (let pc = 0; pc < n; pc++) {
    if (pc > 0 && isTarget[pc]) parts.push('}');
    const base = pc * 4;
    parts.push(translateInstruction(insns[base]!, insns[base + 1]!, insns[base + 2]!, insns[base + 3]!, pc, goto(pc)));
  }
  if (isTarget[n]) parts.push('}');
  parts.push('return 0;');
  const memDecl = Array.from({ length: MEMWORDS }, (_, i) => `m${i} = 0`).join(', ');
  const body = `'use strict'; let a = 0, x = 0, t = 0, ${memDecl}; ${parts.join('\n')}`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source holds only numbers from the compiled program
  return new Function('b', 'o', 'n', 'w', body) as BpfFunction;
}
