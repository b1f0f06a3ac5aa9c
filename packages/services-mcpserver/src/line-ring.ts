/** A bounded buffer of the most recent lines: old lines fall out as new ones arrive. */
export class LineRing {
  private readonly buffer: string[] = [];
  private pushed = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
  }

  push(line: string): void {
    this.pushed++;
    this.buffer.push(line);
    if (this.buffer.length > this.capacity) this.buffer.shift();
  }

  /** The last `count` lines (all held by default), oldest first. */
  last(count: number = this.capacity): string[] {
    return count <= 0 ? [] : this.buffer.slice(-count);
  }

  /** Lines pushed so far, ever: a mark to pass to `since`. */
  get mark(): number {
    return this.pushed;
  }

  /** Of the lines pushed after `mark` and still held, the last `count`. */
  since(mark: number, count: number): string[] {
    const newer = Math.min(this.pushed - mark, this.buffer.length);
    return this.last(Math.min(newer, count));
  }
}
