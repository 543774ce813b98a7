/**
 * Face alignment for the descriptor: the face is cut out of the image as a square "chip" in which
 * the eye corners, the base of the nose and the mouth corners land where the descriptor model
 * expects them, whatever the head's roll, scale and position in the frame. Same procedure on both
 * sides of a match (the live video frame and the document's printed photo), so both chips frame
 * the face identically.
 *
 * The target positions are dlib's 68-point mean face shape (the one `get_face_chip_details` uses
 * to cut the 150x150 chips its ResNet face descriptor was trained on), with dlib's default padding
 * 0.25 around it; the source positions are the same anatomical points on human's 468-point
 * MediaPipe mesh. A least-squares similarity transform (rotation, uniform scale, shift: Umeyama
 * 1991) maps one onto the other; the chip is then sampled bilinearly. Pure functions, no model.
 */

/** Chip side in pixels expected by the descriptor (dlib ResNet). */
export const CHIP_SIZE = 150;
/** Margin around the mean face, as a fraction of its size (dlib's default for face descriptors). */
export const CHIP_PADDING = 0.25;

/**
 * Anatomical correspondences: MediaPipe mesh index -> dlib 68-point mean face position (x, y in
 * the unit square). "Right" is the subject's right (image left on an unmirrored frame).
 */
export const ALIGNMENT_POINTS: readonly { mesh: number; dlib68: number; at: readonly [number, number] }[] = [
  { mesh: 33, dlib68: 36, at: [0.121737, 0.216423] }, // right eye, outer corner
  { mesh: 133, dlib68: 39, at: [0.334606, 0.231733] }, // right eye, inner corner
  { mesh: 362, dlib68: 42, at: [0.645647, 0.231733] }, // left eye, inner corner
  { mesh: 263, dlib68: 45, at: [0.858516, 0.216423] }, // left eye, outer corner
  { mesh: 2, dlib68: 33, at: [0.490127, 0.628106] }, // base of the nose (subnasale)
  { mesh: 61, dlib68: 48, at: [0.254149, 0.780233] }, // mouth, right corner
  { mesh: 291, dlib68: 54, at: [0.726104, 0.780233] }, // mouth, left corner
];

/** x' = a x - b y + tx, y' = b x + a y + ty (rotation + uniform scale + shift). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** Least-squares similarity transform taking `from` points onto `to` points (Umeyama, no reflection). */
export function similarityTransform(from: readonly (readonly [number, number])[], to: readonly (readonly [number, number])[]): Similarity {
  const n = from.length;
  if (n < 2 || to.length !== n) throw new RangeError('need at least two point pairs');
  let fx = 0;
  let fy = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    const p = from[i] as readonly [number, number];
    const q = to[i] as readonly [number, number];
    fx += p[0];
    fy += p[1];
    tx += q[0];
    ty += q[1];
  }
  fx /= n;
  fy /= n;
  tx /= n;
  ty /= n;
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const p = from[i] as readonly [number, number];
    const q = to[i] as readonly [number, number];
    const x = p[0] - fx;
    const y = p[1] - fy;
    const u = q[0] - tx;
    const v = q[1] - ty;
    dot += x * u + y * v;
    cross += x * v - y * u;
    norm += x * x + y * y;
  }
  if (norm === 0) throw new RangeError('source points coincide');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: tx - (a * fx - b * fy), ty: ty - (b * fx + a * fy) };
}

export function applySimilarity(m: Similarity, p: readonly [number, number]): [number, number] {
  return [m.a * p[0] - m.b * p[1] + m.tx, m.b * p[0] + m.a * p[1] + m.ty];
}

/** Where the alignment points go in a chip of `size` pixels with `padding`. */
export function chipTemplate(size = CHIP_SIZE, padding = CHIP_PADDING): [number, number][] {
  return ALIGNMENT_POINTS.map(({ at }) => [((padding + at[0]) / (2 * padding + 1)) * size, ((padding + at[1]) / (2 * padding + 1)) * size]);
}

/** Image -> chip transform for a face, from its mesh (flat x y z, image pixels). */
export function chipTransform(mesh: ArrayLike<number>, size = CHIP_SIZE, padding = CHIP_PADDING): Similarity {
  const from = ALIGNMENT_POINTS.map(({ mesh: i }) => {
    const x = mesh[i * 3];
    const y = mesh[i * 3 + 1];
    if (x === undefined || y === undefined) throw new RangeError('face mesh is too short for alignment');
    return [x, y] as [number, number];
  });
  return similarityTransform(from, chipTemplate(size, padding));
}

/**
 * Samples the aligned chip out of a packed RGB image: `size` x `size` x 3 floats in 0..255
 * (bilinear; pixels beyond the image edge repeat the edge).
 */
export function cutChip(rgb: Uint8Array, width: number, height: number, m: Similarity, size = CHIP_SIZE): Float32Array {
  if (rgb.length < width * height * 3) throw new RangeError('rgb data is shorter than width x height x 3');
  const det = m.a * m.a + m.b * m.b;
  if (!(det > 0)) throw new RangeError('degenerate alignment transform');
  const out = new Float32Array(size * size * 3);
  const maxX = width - 1;
  const maxY = height - 1;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      // Inverse of the similarity: chip pixel -> image position.
      const px = u - m.tx;
      const py = v - m.ty;
      const x = (m.a * px + m.b * py) / det;
      const y = (-m.b * px + m.a * py) / det;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const wx = x - x0;
      const wy = y - y0;
      const xa = Math.min(maxX, Math.max(0, x0));
      const xb = Math.min(maxX, Math.max(0, x0 + 1));
      const ya = Math.min(maxY, Math.max(0, y0));
      const yb = Math.min(maxY, Math.max(0, y0 + 1));
      const i00 = (ya * width + xa) * 3;
      const i01 = (ya * width + xb) * 3;
      const i10 = (yb * width + xa) * 3;
      const i11 = (yb * width + xb) * 3;
      const o = (v * size + u) * 3;
      for (let c = 0; c < 3; c++) {
        const top = (rgb[i00 + c] as number) * (1 - wx) + (rgb[i01 + c] as number) * wx;
        const bottom = (rgb[i10 + c] as number) * (1 - wx) + (rgb[i11 + c] as number) * wx;
        out[o + c] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return out;
}

/** The aligned descriptor chip of one face. */
export function alignedChip(rgb: Uint8Array, width: number, height: number, mesh: ArrayLike<number>, size = CHIP_SIZE): Float32Array {
  return cutChip(rgb, width, height, chipTransform(mesh, size), size);
}
