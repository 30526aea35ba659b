/**
 * Terminal safety for bytes from the wire. A packet can carry ESC sequences
 * (CSI cursor moves, OSC 52 clipboard writes, title changes), BEL, backspace
 * or carriage returns meant to rewrite what the user sees, and bytes that are
 * not valid UTF-8. None of them may reach a terminal as such: the line
 * printers only ever emit printable ASCII built from numbers, and wherever
 * packet bytes are shown as text they go through these functions (or the
 * hex dump's ASCII column, which keeps only 0x21-0x7e).
 */

const HEX = '0123456789abcdef';

/** Printable ASCII (0x20-0x7e) as itself, a backslash doubled, anything else as \xNN. */
export function bytesToSafeText(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const ch = b[i]!;
    if (ch === 0x5c) s += '\\\\';
    else if (ch >= 0x20 && ch <= 0x7e) s += String.fromCharCode(ch);
    else s += '\\x' + HEX[ch >> 4] + HEX[ch & 15];
  }
  return s;
}

/**
 * A string that may hold anything (decoded from the wire, a file name) made
 * safe for one line of a terminal: C0 controls, DEL, C1 controls (U+0080 to
 * U+009F, which some terminals honour as 8-bit CSI/OSC), line and paragraph
 * separators and lone surrogates become \xNN or \u{...} escapes.
 */
export function sanitizeForTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (!UNSAFE.test(text)) return text;
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      s += '\\x' + HEX[code >> 4] + HEX[code & 15];
    } else if (code === 0x2028 || code === 0x2029) {
      s += '\\u' + code.toString(16);
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) { s += text[i]! + text[i + 1]!; i++; }
      else s += '\\u' + code.toString(16);
    } else {
      s += text[i]!;
    }
  }
  return s;
}

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]/;

/**
 * True when `text` holds nothing a terminal would act on, other than the
 * newlines and tabs that lay out tcpdump's multi-line output.
 */
export function isTerminalSafe(text: string, allowLayout = true): boolean {
  // eslint-disable-next-line no-control-regex
  return !(allowLayout ? /[\x00-\x08\x0b-\x1f\x7f-\x9f]/ : /[\x00-\x1f\x7f-\x9f]/).test(text);
}

/**
 * One byte of wire text as tcpdump's fn_print_char shows it: printable ASCII
 * as itself, the high bit as "M-", controls and DEL as "^X" / "^?". Every
 * result is printable ASCII, so it is terminal-safe as it stands.
 */
export function tcpdumpCharText(ch: number): string {
  return CHAR_TEXT[ch & 0xff]!;
}

const CHAR_TEXT: readonly string[] = Array.from({ length: 256 }, (_, ch) => {
  let s = '';
  let c = ch;
  if (c >= 0x80) { c &= 0x7f; s = 'M-'; }
  if (c < 0x20 || c === 0x7f) { c ^= 0x40; s += '^'; }
  return s + String.fromCharCode(c);
});
