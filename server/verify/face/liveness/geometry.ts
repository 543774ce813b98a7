/**
 * Best-fit 2-D transforms between two landmark sets and their residuals: the rigid-motion signal.
 *
 * A flat picture moved in front of a camera (shifted, rotated in plane, scaled) moves its
 * landmarks by a similarity transform; tilted as well, by a homography (any view of a plane is
 * one). A real head is not flat: turning it shifts the nose tip against the cheeks and the face
 * outline (parallax), so no single homography maps the neutral landmarks onto the turned ones,
 * and eyelids and lips deform on their own. The residual of the best homography, in units of the
 * inter-ocular distance, is therefore ~detector noise for any photo motion and clearly larger for
 * a live face that turns, blinks or opens its mouth. The similarity residual is reported too: it
 * separates "moved as a picture in its own plane" from everything else.
 */
import type { Point } from '../landmarks.ts';

export interface FitResult {
  /** Root-mean-square distance between mapped reference points and the current points, divided by `scale`. */
  residual: number;
}

function centroid(points: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

function checkPairs(from: readonly Point[], to: readonly Point[], minimum: number): void {
  if (from.length !== to.length) throw new RangeError('landmark sets must have the same length');
  if (from.length < minimum) throw new RangeError(`need at least ${minimum} landmarks`);
}

/** Similarity (rotation, uniform scale, translation) from `from` to `to`, least squares (Umeyama). */
export function fitSimilarity(from: readonly Point[], to: readonly Point[], scale: number): FitResult & { scale: number; rotation: number; translation: Point } {
  checkPairs(from, to, 2);
  const [fx, fy] = centroid(from);
  const [tx, ty] = centroid(to);
  let a = 0;
  let b = 0;
  let norm = 0;
  for (let i = 0; i < from.length; i++) {
    const px = (from[i] as Point)[0] - fx;
    const py = (from[i] as Point)[1] - fy;
    const qx = (to[i] as Point)[0] - tx;
    const qy = (to[i] as Point)[1] - ty;
    a += px * qx + py * qy;
    b += px * qy - py * qx;
    norm += px * px + py * py;
  }
  const c = norm > 0 ? a / norm : 1;
  const s = norm > 0 ? b / norm : 0;
  let sum = 0;
  for (let i = 0; i < from.length; i++) {
    const px = (from[i] as Point)[0] - fx;
    const py = (from[i] as Point)[1] - fy;
    const mx = c * px - s * py + tx;
    const my = s * px + c * py + ty;
    sum += ((to[i] as Point)[0] - mx) ** 2 + ((to[i] as Point)[1] - my) ** 2;
  }
  return {
    residual: Math.sqrt(sum / from.length) / scale,
    scale: Math.hypot(c, s),
    rotation: Math.atan2(s, c),
    translation: [tx - (c * fx - s * fy), ty - (s * fx + c * fy)],
  };
}

/** Hartley normalisation: centroid to the origin, mean distance sqrt(2). */
function normalisation(points: readonly Point[]): { k: number; cx: number; cy: number } {
  const [cx, cy] = centroid(points);
  let mean = 0;
  for (const p of points) mean += Math.hypot(p[0] - cx, p[1] - cy);
  mean /= points.length;
  return { k: mean > 0 ? Math.SQRT2 / mean : 1, cx, cy };
}

/** Solves A x = b (n x n, row-major) by Gaussian elimination with partial pivoting; null if singular. */
export function solveLinear(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    const pivotRow = m[pivot] as number[];
    if (Math.abs(pivotRow[col] as number) < 1e-12) return null;
    [m[col], m[pivot]] = [pivotRow, m[col] as number[]];
    const row = m[col] as number[];
    for (let r = col + 1; r < n; r++) {
      const target = m[r] as number[];
      const f = (target[col] as number) / (row[col] as number);
      for (let c = col; c <= n; c++) target[c] = (target[c] as number) - f * (row[c] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let s = row[n] as number;
    for (let c = r + 1; c < n; c++) s -= (row[c] as number) * (x[c] as number);
    x[r] = s / (row[r] as number);
  }
  return x;
}

/**
 * Homography from `from` to `to` (normalised DLT, h33 = 1, least squares), and the RMS
 * reprojection residual divided by `scale`. Needs at least 5 points (4 fit exactly).
 */
export function fitHomography(from: readonly Point[], to: readonly Point[], scale: number): FitResult {
  checkPairs(from, to, 5);
  const nf = normalisation(from);
  const nt = normalisation(to);
  const ata = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const atb = new Array<number>(8).fill(0);
  const addRow = (row: number[], rhs: number) => {
    for (let i = 0; i < 8; i++) {
      atb[i] = (atb[i] as number) + (row[i] as number) * rhs;
      const target = ata[i] as number[];
      for (let j = 0; j < 8; j++) target[j] = (target[j] as number) + (row[i] as number) * (row[j] as number);
    }
  };
  for (let i = 0; i < from.length; i++) {
    const x = ((from[i] as Point)[0] - nf.cx) * nf.k;
    const y = ((from[i] as Point)[1] - nf.cy) * nf.k;
    const u = ((to[i] as Point)[0] - nt.cx) * nt.k;
    const v = ((to[i] as Point)[1] - nt.cy) * nt.k;
    addRow([x, y, 1, 0, 0, 0, -u * x, -u * y], u);
    addRow([0, 0, 0, x, y, 1, -v * x, -v * y], v);
  }
  const h = solveLinear(ata, atb);
  if (!h) return { residual: Number.POSITIVE_INFINITY };
  const [h0, h1, h2, h3, h4, h5, h6, h7] = h as [number, number, number, number, number, number, number, number];
  let sum = 0;
  for (let i = 0; i < from.length; i++) {
    const x = ((from[i] as Point)[0] - nf.cx) * nf.k;
    const y = ((from[i] as Point)[1] - nf.cy) * nf.k;
    const w = h6 * x + h7 * y + 1;
    const u = (h0 * x + h1 * y + h2) / w / nt.k + nt.cx;
    const v = (h3 * x + h4 * y + h5) / w / nt.k + nt.cy;
    sum += ((to[i] as Point)[0] - u) ** 2 + ((to[i] as Point)[1] - v) ** 2;
  }
  return { residual: Math.sqrt(sum / from.length) / scale };
}

/** Per-point median of several landmark sets (a steady reference from a few frames). */
export function medianLandmarks(sets: readonly (readonly Point[])[]): Point[] {
  const first = sets[0];
  if (!first) return [];
  return first.map((_, i) => {
    const xs = sets.map((s) => (s[i] as Point)[0]);
    const ys = sets.map((s) => (s[i] as Point)[1]);
    return [median(xs), median(ys)] as const;
  });
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
