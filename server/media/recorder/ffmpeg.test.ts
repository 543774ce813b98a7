import { describe, expect, it } from 'vitest';
import { DEFAULT_ENCODER, StderrTail, describeSpawnError, ffmpegArguments } from './ffmpeg.ts';

describe('ffmpegArguments', () => {
  const args = ffmpegArguments({ file: '/data/r.mp4', width: 640, height: 480, fps: 15, sampleRate: 48_000, encoder: DEFAULT_ENCODER });
  const joined = args.join(' ');

  it('reads raw I420 from stdin and mono s16le from fd 3, without probing', () => {
    expect(joined).toContain('-f rawvideo -pix_fmt yuv420p -video_size 640x480 -framerate 15 -i pipe:0');
    expect(joined).toContain('-f s16le -ar 48000 -ac 1 -i pipe:3');
    expect(args.filter((arg) => arg === '-probesize')).toHaveLength(2);
  });

  it('writes crash-safe fragmented MP4 (FINDINGS "Recording") and never overwrites', () => {
    expect(joined).toContain('-c:v libx264 -preset veryfast -tune zerolatency -crf 28 -g 30');
    expect(joined).toContain('-c:a aac');
    expect(joined).toContain('-movflags +frag_keyframe+empty_moov+default_base_moof -frag_duration 1000000 -flush_packets 1');
    expect(args.slice(-4)).toEqual(['-f', 'mp4', '-n', '/data/r.mp4']);
    expect(joined).toContain('-loglevel error');
  });
});

describe('ffmpeg errors', () => {
  it('says what to do when ffmpeg is missing', () => {
    const error = Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT' });
    expect(describeSpawnError('/opt/nope', error)).toMatch(/^ffmpeg not found at '\/opt\/nope': install ffmpeg/);
  });

  it('keeps only the last stderr line for messages', () => {
    const tail = new StderrTail(20);
    expect(tail.lastLine()).toBeNull();
    tail.push('first line\nsecond');
    tail.push(' line\n\n');
    expect(tail.lastLine()).toBe('second line');
    tail.push('x'.repeat(50));
    expect(tail.lastLine()).toBe('x'.repeat(20));
  });
});
