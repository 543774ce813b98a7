/** Mouth outlines of the presenter per viseme (SVG path data, centred near (100, 151)). */
import type { Viseme } from '../../../server/voice/protocol.ts';

export const MOUTHS: Record<Viseme, string> = {
  rest: 'M86 150 Q100 157 114 150 Q100 154 86 150 Z',
  closed: 'M87 151 Q100 153 113 151 Q100 152 87 151 Z',
  open: 'M88 146 Q100 142 112 146 Q113 162 100 165 Q87 162 88 146 Z',
  wide: 'M82 148 Q100 144 118 148 Q112 158 100 159 Q88 158 82 148 Z',
  round: 'M91 145 Q100 140 109 145 Q112 155 100 160 Q88 155 91 145 Z',
  pucker: 'M95 147 Q100 144 105 147 Q106 153 100 155 Q94 153 95 147 Z',
  teeth: 'M85 148 Q100 146 115 148 Q109 155 100 156 Q91 155 85 148 Z',
  tongue: 'M88 147 Q100 144 112 147 Q109 157 100 158 Q91 157 88 147 Z',
};
