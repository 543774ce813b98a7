/**
 * The digital human: a drawn presenter (SVG made for Attest) that breathes, sways a little and
 * blinks while idle, turns attentive while listening, and moves its lips with the visemes of the
 * speech the applicant is hearing (or, for audio without timings, with its loudness). Animation
 * writes straight to the SVG on each frame, without re-rendering React. Reduced motion: no idle
 * motion or blinking (CSS), the mouth still follows speech.
 */
import { useEffect, useRef } from 'react';
import type { Viseme } from '../../server/voice/protocol.ts';
import { useMicLevel } from './useMicLevel.ts';
import { MOUTHS } from './voice/mouths.ts';
import { momentAt, visemeFromLevel } from './voice/timeline.ts';
import type { ActiveRun } from './voice/useVoice.ts';

export type PresenterState = 'idle' | 'speaking' | 'listening';

export interface AssistantAvatarProps {
  /** The assistant's voice as it arrives (for the loudness fallback). */
  voice: MediaStream | null;
  run: ActiveRun | null;
  listening: boolean;
  label: string;
}

export function AssistantAvatar({ voice, run, listening, label }: AssistantAvatarProps) {
  const root = useRef<HTMLDivElement>(null);
  const mouth = useRef<SVGPathElement>(null);
  const level = useRef(0);
  useMicLevel(voice, (value) => {
    level.current = value;
  });
  const runRef = useRef(run);
  const listeningRef = useRef(listening);
  useEffect(() => {
    runRef.current = run;
    listeningRef.current = listening;
  });

  useEffect(() => {
    let frame = 0;
    let shown: Viseme | null = null;
    let state: PresenterState | null = null;
    const tick = () => {
      const current = runRef.current;
      let viseme: Viseme = 'rest';
      let speaking = false;
      if (current && current.startedAt !== null) {
        const moment = momentAt(current, performance.now() - current.startedAt);
        speaking = moment.speaking;
        viseme = moment.viseme;
      } else if (level.current > 0.15) {
        speaking = true;
        viseme = visemeFromLevel(level.current);
      }
      const next: PresenterState = speaking ? 'speaking' : listeningRef.current ? 'listening' : 'idle';
      if (next !== state && root.current) {
        state = next;
        root.current.dataset.state = next;
      }
      if (viseme !== shown && mouth.current) {
        shown = viseme;
        mouth.current.setAttribute('d', MOUTHS[viseme]);
        if (root.current) root.current.dataset.viseme = viseme;
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, []);

  return (
    <div ref={root} className="presenter" data-state="idle" data-viseme="rest" data-testid="presenter" role="img" aria-label={label}>
      <svg viewBox="0 0 200 240" className="presenter__svg" focusable="false" aria-hidden="true">
        <defs>
          <radialGradient id="presenter-bg" cx="50%" cy="40%" r="65%">
            <stop offset="0%" stopColor="#e8f0f8" />
            <stop offset="100%" stopColor="#c9d9ea" />
          </radialGradient>
          <linearGradient id="presenter-skin" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor="#f7dcc3" />
            <stop offset="100%" stopColor="#eec5a4" />
          </linearGradient>
        </defs>
        <rect x="0" y="0" width="200" height="240" rx="24" fill="url(#presenter-bg)" />
        <circle className="presenter__listen-ring" cx="100" cy="118" r="86" />
        <g className="presenter__body">
          <path d="M30 240 C34 196 62 182 100 182 C138 182 166 196 170 240 Z" className="presenter__jacket" />
          <path d="M84 182 L100 214 L116 182 Z" className="presenter__shirt" />
          <path d="M90 168 L110 168 L112 186 L100 196 L88 186 Z" fill="url(#presenter-skin)" />
        </g>
        <g className="presenter__head">
          <path d="M52 104 C50 52 150 52 148 104 L150 130 C140 90 60 90 50 130 Z" className="presenter__hair" />
          <ellipse cx="100" cy="118" rx="44" ry="54" fill="url(#presenter-skin)" />
          <ellipse cx="56" cy="122" rx="6" ry="10" fill="url(#presenter-skin)" />
          <ellipse cx="144" cy="122" rx="6" ry="10" fill="url(#presenter-skin)" />
          <path d="M56 100 C60 62 140 62 144 100 C132 80 100 74 84 80 C74 84 62 90 56 100 Z" className="presenter__hair" />
          <g className="presenter__brows">
            <path d="M74 100 Q83 95 92 99" />
            <path d="M108 99 Q117 95 126 100" />
          </g>
          <g className="presenter__eyes">
            <ellipse cx="83" cy="114" rx="5" ry="6" />
            <ellipse cx="117" cy="114" rx="5" ry="6" />
            <circle cx="84.5" cy="112" r="1.6" className="presenter__glint" />
            <circle cx="118.5" cy="112" r="1.6" className="presenter__glint" />
          </g>
          <path d="M100 118 Q97 131 101 134" className="presenter__nose" />
          <circle cx="72" cy="134" r="7" className="presenter__cheek" />
          <circle cx="128" cy="134" r="7" className="presenter__cheek" />
          <path ref={mouth} d={MOUTHS.rest} className="presenter__mouth" />
          <rect x="93" y="146" width="14" height="3" rx="1.5" className="presenter__teeth" />
        </g>
      </svg>
    </div>
  );
}
