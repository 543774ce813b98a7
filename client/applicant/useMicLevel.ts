/**
 * Reads an audio stream's level with a WebAudio AnalyserNode on every animation frame and hands
 * it to `onLevel` (0..1) without re-rendering: callers write it to a style property. Used for
 * the applicant's microphone meter and the assistant's mouth.
 */
import { useEffect, useRef } from 'react';
import { meterLevel, rms } from './audioLevel.ts';

let sharedContext: AudioContext | null = null;

/** One AudioContext for the page (browsers limit how many there may be). */
export function audioContext(): AudioContext | null {
  if (sharedContext) return sharedContext;
  if (typeof AudioContext === 'undefined') return null;
  sharedContext = new AudioContext();
  return sharedContext;
}

/** Browsers start audio contexts suspended until a click; call from click handlers. */
export function resumeAudio(): void {
  void sharedContext?.resume().catch(() => undefined);
}

export function useMicLevel(stream: MediaStream | null, onLevel: (level: number) => void): void {
  const onLevelRef = useRef(onLevel);
  useEffect(() => {
    onLevelRef.current = onLevel;
  });

  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0) return;
    const context = audioContext();
    if (!context) return;
    void context.resume().catch(() => undefined);
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      onLevelRef.current(meterLevel(rms(samples)));
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(frame);
      source.disconnect();
      analyser.disconnect();
    };
  }, [stream]);
}
