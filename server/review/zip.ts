/**
 * A small ZIP writer (PKWARE APPNOTE 6.3, no ZIP64) over node:zlib: entries are added one at a
 * time and come out as byte chunks, so a bundle streams to the client without holding every
 * file at once; a large STOREd file (a recording) can be streamed from disk after its header. Already-compressed media (MP4, PDF, images) is STOREd; text is DEFLATEd.
 * UTF-8 names (flag bit 11). Each entry and the whole archive must stay under 4 GiB.
 */
import { crc32, deflateRawSync } from 'node:zlib';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const UTF8_NAMES = 0x0800;
const VERSION = 20; // 2.0: deflate
const MAX = 0xffff_ffff;

export interface ZipEntryOptions {
  /** Compress with DEFLATE (default true); false stores the bytes as they are. */
  compress?: boolean;
  /** Modification time recorded in the archive (default: now). */
  date?: Date;
}

interface CentralRecord {
  name: Buffer;
  method: number;
  time: number;
  day: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

export class ZipWriter {
  private offset = 0;
  private readonly central: CentralRecord[] = [];
  private readonly names = new Set<string>();
  private finished = false;

  /** The bytes of one entry (local header + data), to write out in order. */
  add(name: string, bytes: Uint8Array, options: ZipEntryOptions = {}): Buffer[] {
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const deflated = options.compress === false ? null : deflateRawSync(data);
    // Keep whichever is smaller: deflate can grow incompressible data.
    const method = deflated && deflated.length < data.length ? 8 : 0;
    const body = method === 8 ? (deflated as Buffer) : data;
    return [...this.header(name, { method, crc: crc32(data), size: data.length, compressedSize: body.length, date: options.date }), body];
  }

  /**
   * The local header of a STOREd entry whose `size` bytes (with this `crc`, e.g. from
   * `crc32(chunk, crc)` over a file) the caller writes right after it, unchanged.
   */
  addStoredHeader(name: string, entry: { size: number; crc: number; date?: Date }): Buffer[] {
    return this.header(name, { method: 0, crc: entry.crc, size: entry.size, compressedSize: entry.size, date: entry.date });
  }

  private header(name: string, entry: { method: number; crc: number; size: number; compressedSize: number; date: Date | undefined }): Buffer[] {
    if (this.finished) throw new Error('the archive is finished');
    if (!name || name.startsWith('/') || name.split('/').includes('..') || name.includes('\\')) throw new Error(`unsafe entry name: ${name}`);
    if (this.names.has(name)) throw new Error(`duplicate entry name: ${name}`);
    if (entry.size > MAX || this.offset + entry.compressedSize + 30 + name.length > MAX) throw new Error('the archive would need ZIP64 (over 4 GiB)');
    this.names.add(name);
    const { method } = entry;
    const { time, day } = dosDateTime(entry.date ?? new Date());
    const nameBytes = Buffer.from(name, 'utf8');
    const record: CentralRecord = { name: nameBytes, method, time, day, crc: entry.crc >>> 0, compressedSize: entry.compressedSize, size: entry.size, offset: this.offset };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4);
    header.writeUInt16LE(UTF8_NAMES, 6);
    header.writeUInt16LE(method, 8);
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(day, 12);
    header.writeUInt32LE(record.crc, 14);
    header.writeUInt32LE(record.compressedSize, 18);
    header.writeUInt32LE(record.size, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    this.central.push(record);
    this.offset += header.length + nameBytes.length + entry.compressedSize;
    return [header, nameBytes];
  }

  /** The central directory and end record. */
  finish(): Buffer {
    if (this.finished) throw new Error('the archive is finished');
    this.finished = true;
    if (this.central.length > 0xffff) throw new Error('too many entries for a ZIP without ZIP64');
    const parts: Buffer[] = [];
    let size = 0;
    for (const r of this.central) {
      const header = Buffer.alloc(46);
      header.writeUInt32LE(CENTRAL_HEADER, 0);
      header.writeUInt16LE((3 << 8) | VERSION, 4); // made by: Unix
      header.writeUInt16LE(VERSION, 6);
      header.writeUInt16LE(UTF8_NAMES, 8);
      header.writeUInt16LE(r.method, 10);
      header.writeUInt16LE(r.time, 12);
      header.writeUInt16LE(r.day, 14);
      header.writeUInt32LE(r.crc, 16);
      header.writeUInt32LE(r.compressedSize, 20);
      header.writeUInt32LE(r.size, 24);
      header.writeUInt16LE(r.name.length, 28);
      header.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
      header.writeUInt32LE(r.offset, 42);
      parts.push(header, r.name);
      size += header.length + r.name.length;
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END_OF_CENTRAL, 0);
    end.writeUInt16LE(this.central.length, 8);
    end.writeUInt16LE(this.central.length, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(this.offset, 16);
    return Buffer.concat([...parts, end]);
  }
}

/** MS-DOS date and time (local fields, 2-second resolution; years 1980-2107), taken in UTC. */
export function dosDateTime(date: Date): { time: number; day: number } {
  const year = Math.min(2107, Math.max(1980, date.getUTCFullYear()));
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    day: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}
