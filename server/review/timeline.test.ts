import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../store/index.ts';
import { buildTimeline, chaptersToWebVtt, vttTime } from './timeline.ts';

let seq = 0;
const ev = (type: string, at: string, payload: Record<string, unknown> = {}): StoredEvent => ({
  sessionId: 's',
  seq: ++seq,
  type,
  at: `2026-11-28T10:00:${at}Z`,
  payload,
  prevHash: '',
  hash: '',
});

const events = [
  ev('SessionCreated', '00.000'),
  ev('SessionStarted', '01.000', { locale: 'en' }),
  ev('AssistantSaid', '01.000', { stepId: 'consent', lineId: 'line-1', text: 'Do you agree?' }),
  ev('AnswerReceived', '04.000', { stepId: 'consent', choice: 'yes', display: 'Yes, I agree' }),
  ev('ConsentRecorded', '04.000', { stepId: 'consent', purpose: 'recording', granted: true }),
  ev('RecordingStarted', '04.500', {}),
  ev('AssistantSaid', '05.000', { stepId: 'voluntary', lineId: 'line-2', text: 'Of your own free will?' }),
  ev('AnswerReceived', '09.250', { stepId: 'voluntary', text: 'my boss told me to', classification: { label: 'affirm', provider: 'offline', coercion_signals: ['instructed_by_other'] } }),
  ev('SessionEnded', '10.000', { outcome: 'review', reason: 'coercion' }),
  ev('RecordingSegmentStored', '11.000', { artifactId: 'art_1', startedAt: '2026-11-28T10:00:04.500Z', durationMs: 5500, complete: true }),
];

describe('review timeline', () => {
  const timeline = buildTimeline(events);

  it('counts time from the start of the recording', () => {
    expect(timeline.origin).toBe('2026-11-28T10:00:04.500Z');
    expect(timeline.entries.find((e) => e.kind === 'applicant' && e.stepId === 'voluntary')?.atMs).toBe(4750);
    expect(timeline.entries.find((e) => e.kind === 'applicant' && e.stepId === 'consent')?.atMs).toBe(-500);
  });

  it('keeps answers with their classification and coercion signals, and consents and the ending', () => {
    const answer = timeline.entries.find((e) => e.kind === 'applicant' && e.stepId === 'voluntary');
    expect(answer).toMatchObject({ label: 'my boss told me to', detail: { label: 'affirm', coercion: ['instructed_by_other'] } });
    expect(timeline.entries.map((e) => e.kind)).toEqual(expect.arrayContaining(['step', 'assistant', 'consent', 'session', 'recording']));
  });

  it('makes one chapter per step, clamped to the recording', () => {
    expect(timeline.chapters).toEqual([
      { stepId: 'consent', startMs: 0, endMs: 500 },
      { stepId: 'voluntary', startMs: 500, endMs: 6500 },
    ]);
    expect(chaptersToWebVtt(timeline.chapters)).toBe(
      'WEBVTT\n\n1\n00:00:00.000 --> 00:00:00.500\nconsent\n\n2\n00:00:00.500 --> 00:00:06.500\nvoluntary\n',
    );
  });

  it('formats WebVTT times', () => {
    expect(vttTime(3_723_004)).toBe('01:02:03.004');
    expect(vttTime(-5)).toBe('00:00:00.000');
  });
});

describe('review timeline: spoken turns', () => {
  const spoken = [
    ev('SessionStarted', '01.000', { locale: 'en' }),
    ev('AssistantSaid', '01.000', { stepId: 'consent', lineId: 'line-1', text: 'Do you agree?' }),
    ev('AssistantInterrupted', '02.000', { stepId: 'consent', runId: 'r1' }),
    ev('SpeechTranscribed', '02.600', { stepId: 'consent', text: 'yes', recognizer: 'pocketsphinx', recognitionMs: 180 }),
    ev('AnswerReceived', '02.610', { stepId: 'consent', text: 'yes' }),
    ev('VoiceTurnTimed', '03.400', { stepId: 'consent', recognitionMs: 180, decisionMs: 12, synthesisMs: 3, playoutMs: 110, totalMs: 305 }),
    ev('VoiceReprompted', '20.000', { stepId: 'voluntary', count: 1 }),
  ];
  const timeline = buildTimeline(spoken);

  it('shows what was heard, the barge-in, the reply latency with its legs and re-prompts', () => {
    const voice = timeline.entries.filter((e) => e.kind === 'voice');
    expect(voice.map((e) => e.label)).toEqual([
      'applicant spoke over the assistant (barge-in)',
      'heard: yes',
      'reply heard 305 ms after the applicant stopped',
      'asked again after silence (1)',
    ]);
    expect(voice[2]?.detail).toMatchObject({ recognitionMs: 180, decisionMs: 12, synthesisMs: 3, playoutMs: 110, totalMs: 305 });
    expect(voice[1]?.atMs).toBe(1600);
  });
});
