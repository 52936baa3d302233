/**
 * Keeps only the last `limit` bytes of a stream in a fixed ring, so a child that prints
 * gigabytes costs the orchestrator `limit` bytes of memory, never more. The whole output goes
 * to the log file; the tail is what adapters parse and what error messages quote.
 */
export class OutputTail {
  private ring: Buffer | null = null;
  /** Next write position in the ring. */
  private position = 0;
  private filled = false;
  /** Every byte seen, kept or not. */
  totalBytes = 0;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`tail limit must be a non-negative integer, got ${limit}`);
  }

  push(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    if (this.limit === 0 || chunk.length === 0) return;
    // Copying into our own ring (instead of keeping the chunks) matters: a pipe chunk may be a
    // view of a much larger allocation, and keeping many small views would keep them all alive.
    this.ring ??= Buffer.alloc(this.limit);
    const source = chunk.length > this.limit ? chunk.subarray(chunk.length - this.limit) : chunk;
    const firstPart = Math.min(source.length, this.limit - this.position);
    source.copy(this.ring, this.position, 0, firstPart);
    const rest = source.length - firstPart;
    if (rest > 0) source.copy(this.ring, 0, firstPart);
    const advanced = this.position + source.length;
    if (advanced >= this.limit) this.filled = true;
    this.position = advanced % this.limit;
  }

  bytes(): Buffer {
    if (!this.ring) return Buffer.alloc(0);
    if (!this.filled) return Buffer.from(this.ring.subarray(0, this.position));
    return Buffer.concat([this.ring.subarray(this.position), this.ring.subarray(0, this.position)]);
  }

  /** The kept bytes as UTF-8 text whose encoded size never exceeds the limit. */
  text(): string {
    return decodeUtf8Tail(this.bytes(), this.limit);
  }
}

/**
 * Decodes the end of a byte stream. The cut may fall inside a multi-byte character at either
 * end: those partial bytes are dropped rather than turned into replacement characters, and the
 * result is trimmed at the front so its UTF-8 size stays within `maxBytes` even for binary noise.
 */
export function decodeUtf8Tail(bytes: Buffer, maxBytes: number): string {
  let start = 0;
  while (start < bytes.length && start < 3 && isContinuationByte(bytes[start]!)) start++;
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= start; back++) {
    const byte = bytes[end - back]!;
    if (isContinuationByte(byte)) continue;
    if (expectedSequenceLength(byte) > back) end -= back;
    break;
  }
  let text = bytes.subarray(start, end).toString('utf8');
  let excess = Buffer.byteLength(text) - maxBytes;
  if (excess > 0) {
    let cut = 0;
    for (const char of text) {
      if (excess <= 0) break;
      excess -= Buffer.byteLength(char);
      cut += char.length;
    }
    text = text.slice(cut);
  }
  return text;
}

function isContinuationByte(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

function expectedSequenceLength(leadByte: number): number {
  if (leadByte >= 0xf0) return 4;
  if (leadByte >= 0xe0) return 3;
  if (leadByte >= 0xc0) return 2;
  return 1;
}
