// Shared by the check/thresholds/api tests: run the CLI, copy fixtures to a scratch folder, check XML.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = path.join(root, 'bin', 'zsniff.js');
export const fixtures = path.join(root, 'fixtures');

/** Runs zsniff; colour off unless the test asks, so output is plain text. */
export function zsniff(args, { cwd = root, env = {} } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch folder removed when the test ends. */
export function scratch(t, prefix = 'zsniff-check-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Copies fixtures (and their snapshots) into `dir`; `names` are capture base names like 'tcp-reorder'. */
export function copyFixtures(dir, names) {
  for (const f of fs.readdirSync(fixtures)) {
    const base = f.replace(/\.expect\.json$/, '').replace(/\.(pcap|pcapng|cap)(\.gz)?$/, '');
    if (names.includes(base)) fs.copyFileSync(path.join(fixtures, f), path.join(dir, f));
  }
}

/**
 * A small XML well-formedness check (no dependency): one root, tags nest and
 * close, attributes quoted, no raw '<' or stray '&' in text or attributes.
 * Returns the elements as { name, attrs, text } in document order.
 */
export function parseXml(xml) {
  const elements = [];
  const stack = [];
  let i = 0;
  let roots = 0;
  const entity = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  const checkText = (s, where) => {
    for (let k = 0; k < s.length; k++) {
      if (s[k] === '<') throw new Error(`raw '<' in ${where}`);
      if (s[k] === '&') {
        entity.lastIndex = k;
        if (!entity.test(s)) throw new Error(`bad entity in ${where}: ${s.slice(k, k + 10)}`);
      }
    }
  };
  const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') throw new Error('text outside the root element');
    checkText(text, 'text');
    if (stack.length > 0) stack[stack.length - 1].text += decode(text);
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error('unterminated tag');
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1)) throw new Error(`</${tag.slice(1)}> closes <${open?.name}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"]*")*)\s*$/.exec(body);
    if (!m) throw new Error(`bad tag <${tag}>`);
    const attrs = {};
    for (const a of m[2].matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      checkText(a[2], `attribute ${a[1]}`);
      if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`);
      attrs[a[1]] = decode(a[2]);
    }
    if (stack.length === 0) roots++;
    const el = { name: m[1], attrs, text: '' };
    elements.push(el);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1].name}> not closed`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return elements;
}
