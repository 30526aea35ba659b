/** Key names from what a terminal in raw mode sends: arrows, Enter, Esc, Ctrl-C, or the character itself. */
const SEQUENCES: Record<string, string> = {
  '\x1b[A': 'up', '\x1b[B': 'down', '\x1b[C': 'right', '\x1b[D': 'left',
  '\x1bOA': 'up', '\x1bOB': 'down', '\x1bOC': 'right', '\x1bOD': 'left',
  '\x1b[5~': 'pageup', '\x1b[6~': 'pagedown', '\x1b[H': 'home', '\x1b[F': 'end', '\x1b[1~': 'home', '\x1b[4~': 'end',
};

export function readKeys(chunk: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < chunk.length) {
    const ch = chunk[i]!;
    if (ch === '\x1b') {
      const seq = Object.keys(SEQUENCES).find((s) => chunk.startsWith(s, i));
      if (seq) { keys.push(SEQUENCES[seq]!); i += seq.length; continue; }
      // An unknown sequence: skip it whole (ESC [ params final), or a lone Esc.
      const m = /^\x1b\[[0-9;?]*[@-~]/.exec(chunk.slice(i));
      if (m) { i += m[0].length; continue; }
      keys.push('escape'); i++; continue;
    }
    i++;
    if (ch === '\r' || ch === '\n') keys.push('enter');
    else if (ch === '\x03') keys.push('ctrl-c');
    else if (ch === '\x7f' || ch === '\b') keys.push('backspace');
    else if (ch >= ' ') keys.push(ch);
  }
  return keys;
}
