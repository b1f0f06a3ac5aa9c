/** One cell: the text that is measured, and how it is shown (coloured, say) once padded. */
export interface Cell {
  readonly text: string;
  readonly paint?: (padded: string) => string;
}

export type Row = readonly (Cell | string)[];

/**
 * Aligned columns separated by two spaces; a line's last cell is not padded. Widths are measured on
 * the plain text, so colour never breaks the alignment.
 */
export function renderTable(header: readonly string[], rows: readonly Row[]): string {
  const cells = [header, ...rows].map((row) =>
    row.map((cell): Cell => (typeof cell === 'string' ? { text: cell } : cell)),
  );
  const widths = header.map((_, column) =>
    Math.max(...cells.map((row) => row[column]?.text.length ?? 0)),
  );
  return cells
    .map((row) => {
      // Trailing empty cells are left out, so no line ends in padding (or in empty colour codes).
      let end = row.length;
      while (end > 0 && row[end - 1]?.text === '') end--;
      const shown = row.slice(0, end).map((cell, column) => {
        const padded = column === end - 1 ? cell.text : cell.text.padEnd(widths[column] ?? 0);
        return cell.paint ? cell.paint(padded) : padded;
      });
      return `${shown.join('  ')}\n`;
    })
    .join('');
}

/** One line of at most `width` characters, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= width) return line;
  return width <= 1 ? '…' : `${line.slice(0, width - 1)}…`;
}
