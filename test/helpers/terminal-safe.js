/**
 * What "safe for a terminal" means for every renderer's output, shared by
 * the fuzzers and the terminal-safety tests. The C1 range counts both as a
 * raw byte and as the code point U+0080..U+009F: written as UTF-8 the latter
 * is C2 9B..., which several terminals honour as an 8-bit CSI.
 */

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_LAYOUT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_NO_TAB = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export class UnsafeOutputError extends Error {
  constructor(what, text, index) {
    const code = text.charCodeAt(index);
    const around = JSON.stringify(text.slice(Math.max(0, index - 40), index + 40));
    super(`${what}: unsafe character U+${code.toString(16).padStart(4, '0')} at ${index}: ${around}`);
    this.name = 'UnsafeOutputError';
  }
}

/**
 * Throws unless `s` holds only printable text, newlines and (with `tabs`)
 * tabs. With `sgr`, ESC is allowed only as the start of an SGR colour code.
 */
export function assertTerminalSafe(s, what, { tabs = true, sgr = false } = {}) {
  const text = sgr ? s.replace(SGR, '') : s;
  const re = tabs ? UNSAFE_LAYOUT : UNSAFE_NO_TAB;
  const m = re.exec(text);
  if (m) throw new UnsafeOutputError(what, text, m.index);
}

/** The same check on raw output bytes (a child process's stdout): also rejects invalid UTF-8. */
export function assertBytesTerminalSafe(buf, what, opts = {}) {
  let s;
  try {
    s = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new Error(`${what}: output is not valid UTF-8`);
  }
  assertTerminalSafe(s, what, opts);
}

/** XML 1.0 forbids most C0 controls outright; an SVG with one does not open. */
export function assertSvgSafe(s, what) {
  assertTerminalSafe(s, what, { tabs: true });
  if (!s.startsWith('<?xml') || !s.trimEnd().endsWith('</svg>')) throw new Error(`${what}: not a complete SVG document`);
  // Text content must not carry markup from the packet: every '<' opens a known element.
  const tag = /<\/?([a-zA-Z][\w:-]*)/g;
  const allowed = new Set(['svg', 'title', 'rect', 'text', 'g', 'line', 'path', 'polyline', 'circle', 'desc', 'tspan', 'defs', 'style', 'clipPath', 'use', 'polygon']);
  let m;
  while ((m = tag.exec(s)) !== null) {
    if (!allowed.has(m[1])) throw new Error(`${what}: unexpected element <${m[1]}>`);
  }
}
