/**
 * One screen row built from plain pieces, each with an optional style, cut
 * to the width on the plain text before styles are applied: escape codes
 * never count as columns and a cut never splits one.
 */
export type Paint = (text: string) => string;

export class TextRow {
  private readonly pieces: { text: string; paint: Paint | undefined }[] = [];

  add(text: string, paint?: Paint): this {
    this.pieces.push({ text, paint });
    return this;
  }

  /** The row cut to `columns`. */
  render(columns: number): string {
    let out = '';
    let room = columns;
    for (const p of this.pieces) {
      if (room <= 0) break;
      const text = p.text.length > room ? p.text.slice(0, room) : p.text;
      room -= text.length;
      out += p.paint ? p.paint(text) : text;
    }
    return out;
  }
}

