/**
 * The recording's video timeline and frame sizes: a fixed frame rate from the recording's start
 * (frame n covers [n/fps, (n+1)/fps) seconds), and a nearest-neighbour I420 resize for frames
 * whose size differs from the recording's. Pure: no timers, no IO.
 */

export interface I420Frame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** How many frames of a `fps` timeline starting at `startMs` have begun by `nowMs`. */
export function framesDue(startMs: number, nowMs: number, fps: number): number {
  if (nowMs <= startMs) return 0;
  return Math.ceil(((nowMs - startMs) * fps) / 1000 - 1e-9);
}

/** Bytes of an I420 frame; odd sizes round the chroma planes up (as libwebrtc does). */
export function i420Size(width: number, height: number): number {
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

/**
 * The size a recording uses for frames of `width` x `height`: the same, rounded down to even
 * numbers (H.264 4:2:0 needs them).
 */
export function recordingSize(width: number, height: number): { width: number; height: number } {
  return { width: Math.max(2, width - (width % 2)), height: Math.max(2, height - (height % 2)) };
}

/**
 * Resizes I420 frames to one output size by nearest neighbour. The index maps are kept for the
 * last input size, since a stream's size changes rarely.
 */
export class I420Scaler {
  private key = '';
  private maps: { lumaX: Int32Array; lumaY: Int32Array; chromaX: Int32Array; chromaY: Int32Array } | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    if (width % 2 !== 0 || height % 2 !== 0) throw new RangeError('output size must be even');
  }

  /** A new buffer with `frame` at the output size (a copy when the sizes already match). */
  scale(frame: I420Frame): Uint8Array {
    const { width: sw, height: sh, data } = frame;
    if (data.length < i420Size(sw, sh)) throw new RangeError('frame data is shorter than its size says');
    const { width: dw, height: dh } = this;
    if (sw === dw && sh === dh) return data.slice(0, i420Size(dw, dh));
    const maps = this.mapsFor(sw, sh);
    const out = new Uint8Array(i420Size(dw, dh));
    scalePlane(data, 0, sw, maps.lumaX, maps.lumaY, out, 0, dw);
    const scw = Math.ceil(sw / 2);
    const sch = Math.ceil(sh / 2);
    const dcw = dw / 2;
    const dch = dh / 2;
    scalePlane(data, sw * sh, scw, maps.chromaX, maps.chromaY, out, dw * dh, dcw);
    scalePlane(data, sw * sh + scw * sch, scw, maps.chromaX, maps.chromaY, out, dw * dh + dcw * dch, dcw);
    return out;
  }

  private mapsFor(sw: number, sh: number): NonNullable<I420Scaler['maps']> {
    const key = `${sw}x${sh}`;
    if (this.maps && this.key === key) return this.maps;
    const { width: dw, height: dh } = this;
    this.maps = {
      lumaX: indexMap(sw, dw),
      lumaY: indexMap(sh, dh),
      chromaX: indexMap(Math.ceil(sw / 2), dw / 2),
      chromaY: indexMap(Math.ceil(sh / 2), dh / 2),
    };
    this.key = key;
    return this.maps;
  }
}

/** For each of `to` output positions, the source position whose centre is nearest. */
function indexMap(from: number, to: number): Int32Array {
  const map = new Int32Array(to);
  for (let i = 0; i < to; i++) map[i] = Math.min(from - 1, Math.floor(((i + 0.5) * from) / to));
  return map;
}

function scalePlane(
  src: Uint8Array,
  srcOffset: number,
  srcStride: number,
  mapX: Int32Array,
  mapY: Int32Array,
  dst: Uint8Array,
  dstOffset: number,
  dstStride: number,
): void {
  for (let y = 0; y < mapY.length; y++) {
    const row = srcOffset + (mapY[y] as number) * srcStride;
    const out = dstOffset + y * dstStride;
    for (let x = 0; x < mapX.length; x++) dst[out + x] = src[row + (mapX[x] as number)] as number;
  }
}
