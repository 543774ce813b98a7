/**
 * A simple drawn assistant (the animated digital human replaces it later). The mouth opens
 * with the loudness of the assistant's voice; the eyes blink unless reduced motion is asked for.
 */
import { useRef } from 'react';
import { useMicLevel } from './useMicLevel.ts';

export function AssistantAvatar({ voice }: { voice: MediaStream | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useMicLevel(voice, (level) => ref.current?.style.setProperty('--voice', level.toFixed(3)));
  return (
    <div ref={ref} className="avatar" aria-hidden="true">
      <svg viewBox="0 0 120 120" className="avatar__svg" focusable="false">
        <circle cx="60" cy="60" r="58" className="avatar__halo" />
        <path d="M22 58 C22 24 98 24 98 58 L98 50 C98 18 22 18 22 50 Z" className="avatar__hair" />
        <circle cx="60" cy="62" r="36" className="avatar__face" />
        <path d="M26 56 C28 30 92 30 94 56 C84 40 36 40 26 56 Z" className="avatar__hair" />
        <g className="avatar__eyes">
          <ellipse cx="47" cy="62" rx="4" ry="5" />
          <ellipse cx="73" cy="62" rx="4" ry="5" />
        </g>
        <circle cx="38" cy="74" r="5" className="avatar__cheek" />
        <circle cx="82" cy="74" r="5" className="avatar__cheek" />
        <ellipse cx="60" cy="80" rx="9" ry="5" className="avatar__mouth" />
        <path d="M30 104 C40 92 80 92 90 104 L90 120 L30 120 Z" className="avatar__body" />
      </svg>
    </div>
  );
}
