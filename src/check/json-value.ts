/** Plain JSON data: what snapshots are made of and what the diff walks. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject { [key: string]: JsonValue }

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number;

/** `tcp.streams[2].counts.retransmission`; keys that are not plain words are quoted: `x["a.b"]`. */
export function formatJsonPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
