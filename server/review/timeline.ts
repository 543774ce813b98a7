/**
 * A session's timeline for reviewers, time-coded against its recording: every step, every line
 * the assistant delivered, every answer with its classification, verifier results, consents and
 * risk flags, as JSON entries and as WebVTT chapters (one per step) for the video player.
 * Pure functions over stored events. The entries carry personal data (answers, transcript):
 * serve them only behind staff authorization.
 */
import type { StoredEvent } from '../store/index.ts';

export type TimelineKind = 'step' | 'assistant' | 'applicant' | 'verifier' | 'consent' | 'flag' | 'recording' | 'session' | 'voice';

export interface TimelineEntry {
  /** Milliseconds from the start of the recording (negative: before recording began). */
  atMs: number;
  at: string;
  kind: TimelineKind;
  stepId: string | null;
  label: string;
  detail?: Record<string, unknown>;
}

export interface Chapter {
  stepId: string;
  startMs: number;
  endMs: number;
}

export interface Timeline {
  /** The moment t = 0: the first recording segment's start, else the session's start. */
  origin: string | null;
  entries: TimelineEntry[];
  chapters: Chapter[];
}

const FLAG_EVENTS = new Set(['FaceContinuityBroken', 'MediaFailed', 'RecordingFailed', 'SessionTakenOver', 'SessionExpired']);

type Payload = Record<string, unknown>;

export function buildTimeline(events: StoredEvent[]): Timeline {
  const origin = originOf(events);
  const t0 = origin ? Date.parse(origin) : 0;
  const entries: TimelineEntry[] = [];
  let currentStep: string | null = null;
  for (const event of events) {
    const p = (event.payload ?? {}) as Payload;
    const atMs = Date.parse(event.at) - t0;
    const stepId = typeof p.stepId === 'string' ? p.stepId : null;
    const push = (kind: TimelineKind, label: string, detail?: Record<string, unknown>) =>
      entries.push({ atMs, at: event.at, kind, stepId: stepId ?? currentStep, label, ...(detail ? { detail } : {}) });
    if (stepId && stepId !== currentStep && event.type !== 'InputRejected') {
      currentStep = stepId;
      entries.push({ atMs, at: event.at, kind: 'step', stepId, label: stepId });
    }
    switch (event.type) {
      case 'AssistantSaid':
        push('assistant', String(p.text ?? ''), p.rephrasedBy ? { approved: p.approved, rephrasedBy: p.rephrasedBy } : undefined);
        break;
      case 'AnswerReceived': {
        const classification = p.classification as { label?: string; coercion_signals?: string[]; provider?: string } | undefined;
        push('applicant', String(p.display ?? p.text ?? p.choice ?? ''), {
          ...(classification ? { label: classification.label, provider: classification.provider, coercion: classification.coercion_signals ?? [] } : {}),
          ...(p.fields ? { corrections: p.fields } : {}),
        });
        break;
      }
      case 'VerifierFinished': {
        const data = (p.data ?? {}) as Payload;
        push('verifier', `${String(p.verifier)}: ${String(p.outcome)}`, data.reason ? { reason: data.reason } : undefined);
        break;
      }
      case 'ConsentRecorded':
        push('consent', `${String(p.purpose)}: ${p.granted ? 'granted' : 'refused'}`);
        break;
      case 'RecordingSegmentStored':
        push('recording', `segment ${String(p.artifactId)}`, { complete: p.complete, durationMs: p.durationMs });
        break;
      case 'SpeechTranscribed':
        push('voice', `heard: ${String(p.text ?? '')}`, { recognizer: p.recognizer, speechStartedAt: p.speechStartedAt, speechEndedAt: p.speechEndedAt, recognitionMs: p.recognitionMs });
        break;
      case 'VoiceTurnTimed':
        // End of the applicant's speech -> transcript -> decision -> first audio sent -> heard.
        push('voice', p.totalMs === null ? 'reply timing (not confirmed by the browser)' : `reply heard ${String(p.totalMs)} ms after the applicant stopped`, {
          recognitionMs: p.recognitionMs,
          decisionMs: p.decisionMs,
          synthesisMs: p.synthesisMs,
          playoutMs: p.playoutMs,
          totalMs: p.totalMs,
        });
        break;
      case 'SpeechNotRecognized':
        push('voice', 'spoke, but no expected answer was recognized', { recognizer: p.recognizer, voicedMs: p.voicedMs });
        break;
      case 'AssistantInterrupted':
        push('voice', 'applicant spoke over the assistant (barge-in)');
        break;
      case 'VoiceReprompted':
        push('voice', `asked again after silence (${String(p.count)})`);
        break;
      case 'SessionStarted':
      case 'SessionEnded':
        push('session', event.type === 'SessionEnded' ? `ended: ${String(p.outcome)}` : 'started');
        break;
      default:
        if (FLAG_EVENTS.has(event.type)) push('flag', event.type);
    }
  }
  return { origin, entries, chapters: chaptersOf(entries) };
}

function originOf(events: StoredEvent[]): string | null {
  for (const event of events) {
    const p = (event.payload ?? {}) as Payload;
    if (event.type === 'RecordingSegmentStored' && typeof p.startedAt === 'string') return p.startedAt;
  }
  return events.find((e) => e.type === 'RecordingStarted')?.at ?? events.find((e) => e.type === 'SessionStarted')?.at ?? null;
}

function chaptersOf(entries: TimelineEntry[]): Chapter[] {
  const steps = entries.filter((e) => e.kind === 'step');
  const last = entries.at(-1)?.atMs ?? 0;
  return steps.map((step, i) => ({
    stepId: step.stepId as string,
    startMs: Math.max(0, step.atMs),
    endMs: Math.max(0, steps[i + 1]?.atMs ?? last),
  })).filter((c) => c.endMs > c.startMs);
}

/** WebVTT chapter cues, one per step, for the review player's chapter track. */
export function chaptersToWebVtt(chapters: Chapter[], label: (stepId: string) => string = (id) => id): string {
  const cues = chapters.map((c, i) => `${i + 1}\n${vttTime(c.startMs)} --> ${vttTime(c.endMs)}\n${label(c.stepId).replace(/\n/g, ' ')}\n`);
  return ['WEBVTT', '', ...cues].join('\n');
}

export function vttTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const milli = total % 1000;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(milli).padStart(3, '0')}`;
}
