/**
 * tcpdump's tok2str / bittok2str over small tables: the names a printer
 * shows for a code or for the bits set in a flags field.
 */

export type BitNames = readonly (readonly [number, string])[];

/** bittok2str: names of every entry whose bits are all set in `v`, joined by `sep`; `none` when there are none. */
export function bitNames(table: BitNames, v: number, none: string, sep = ', '): string {
  let s = '';
  let any = false;
  for (const [bits, name] of table) {
    if (bits !== 0 && (v & bits) === bits) {
      s += any ? sep + name : name;
      any = true;
    }
  }
  return any ? s : none;
}
