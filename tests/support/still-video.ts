/** A fake camera that shows one still image (a photo held up to the camera: a spoof). */
import fs from 'node:fs';
import sharp from 'sharp';

/** Writes a Y4M (I420) of `seconds` at `fps` in which every frame is the same picture. */
export async function writeStillY4m(
  image: string | Buffer,
  file: string,
  options: { width: number; height: number; fps: number; seconds: number; fit?: 'cover' | 'contain' } = { width: 640, height: 480, fps: 15, seconds: 2 },
): Promise<void> {
  const { width, height, fps, seconds } = options;
  const { data } = await sharp(image)
    .resize(width, height, { fit: options.fit ?? 'cover', background: '#6b6f75' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const ySize = width * height;
  const frame = Buffer.alloc(ySize * 1.5);
  for (let i = 0; i < ySize; i++) {
    const r = data[i * 3] ?? 0;
    const g = data[i * 3 + 1] ?? 0;
    const b = data[i * 3 + 2] ?? 0;
    frame[i] = Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
  }
  for (let y = 0; y < height / 2; y++) {
    for (let x = 0; x < width / 2; x++) {
      const i = (y * 2 * width + x * 2) * 3;
      const r = data[i] ?? 0;
      const g = data[i + 1] ?? 0;
      const b = data[i + 2] ?? 0;
      frame[ySize + y * (width / 2) + x] = Math.round(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      frame[ySize * 1.25 + y * (width / 2) + x] = Math.round(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  const out = fs.openSync(file, 'w');
  try {
    fs.writeSync(out, Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii'));
    for (let f = 0; f < fps * seconds; f++) {
      fs.writeSync(out, Buffer.from('FRAME\n', 'ascii'));
      fs.writeSync(out, frame);
    }
  } finally {
    fs.closeSync(out);
  }
}
