/**
 * Makes the fake camera and microphone files Chromium plays (--use-file-for-fake-*-capture):
 * a moving test pattern as Y4M and a voice-like tone as WAV. Generated, so no media is shipped.
 */
import fs from 'node:fs';
import path from 'node:path';

export function writeY4m(file: string, options: { width: number; height: number; fps: number; seconds: number }): void {
  const { width, height, fps, seconds } = options;
  const frames = Math.round(fps * seconds);
  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frameHeader = Buffer.from('FRAME\n', 'ascii');
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, header);
    const frame = Buffer.alloc(ySize + 2 * cSize);
    for (let f = 0; f < frames; f++) {
      // A diagonal gradient that scrolls, plus a bright square that moves: every frame differs.
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) frame[y * width + x] = (x + y + f * 4) & 0xff;
      }
      const sq = 60;
      const ox = (f * 8) % (width - sq);
      const oy = Math.floor(height / 3);
      for (let y = oy; y < oy + sq; y++) frame.fill(235, y * width + ox, y * width + ox + sq);
      frame.fill(128 + ((f * 3) % 40), ySize, ySize + cSize);
      frame.fill(128 - ((f * 2) % 30), ySize + cSize, ySize + 2 * cSize);
      fs.writeSync(fd, frameHeader);
      fs.writeSync(fd, frame);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** 16-bit mono PCM WAV: a 220 Hz tone whose loudness rises and falls like speech. */
export function writeWav(file: string, options: { sampleRate: number; seconds: number; amplitude?: number }): void {
  const { sampleRate, seconds } = options;
  const amplitude = options.amplitude ?? 12_000;
  const n = Math.round(sampleRate * seconds);
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 3 * t);
    const s = amplitude * envelope * (Math.sin(2 * Math.PI * 220 * t) + 0.3 * Math.sin(2 * Math.PI * 440 * t)) / 1.3;
    data.writeInt16LE(Math.round(s), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([header, data]));
}

/** Writes both files into `dir` (once) and returns their paths. */
export function fakeMedia(dir: string, size = { width: 640, height: 480 }): { video: string; audio: string } {
  fs.mkdirSync(dir, { recursive: true });
  const video = path.join(dir, `camera-${size.width}x${size.height}.y4m`);
  const audio = path.join(dir, 'microphone.wav');
  if (!fs.existsSync(video)) writeY4m(video, { ...size, fps: 15, seconds: 2 });
  if (!fs.existsSync(audio)) writeWav(audio, { sampleRate: 48_000, seconds: 4 });
  return { video, audio };
}
