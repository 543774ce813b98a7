/** Builds what the applicant's screen shows from the stored record: a pure function. */
import { progressOf, type DialogueState, type LoadedScript } from '../dialogue/index.ts';
import type { SessionRecord, StoredEvent } from '../store/index.ts';
import type { Locale, SessionStatus, SessionView, TranscriptLine } from '../http/protocol.ts';
import type { MediaConnectionState, MediaStats } from '../media/index.ts';

/** Audio whose peak stays under this (of 32767) is treated as no microphone signal. */
const AUDIO_PRESENT_PEAK = 300;

export function buildView(
  record: SessionRecord,
  loaded: LoadedScript,
  events: StoredEvent[],
  media: { state: MediaConnectionState; stats: MediaStats } | null,
): SessionView {
  const state = record.state as DialogueState;
  const locale = record.locale as Locale;
  const status = record.status as SessionStatus;
  const active = status === 'active';
  return {
    sessionId: record.id,
    reference: record.reference,
    status,
    locale,
    locales: loaded.script.locales,
    scriptTitle: loaded.script.title[locale] ?? loaded.script.id,
    progress: active ? progressOf(loaded.script, state) : null,
    transcript: transcriptOf(events),
    prompt: active && state.awaiting ? { stepId: state.awaiting.stepId, input: state.awaiting.input } : null,
    media: {
      state: media?.state ?? 'new',
      framesReceived: media?.stats.framesReceived ?? 0,
      audioDetected: (media?.stats.audioPeak ?? 0) >= AUDIO_PRESENT_PEAK,
    },
    endedAt: record.endedAt,
    ...sealedContractOf(events),
  };
}

/** The latest contract sealed in the session (its `contract-seal` verifier passed), if any. */
function sealedContractOf(events: StoredEvent[]): Pick<SessionView, 'contract'> {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== 'VerifierFinished') continue;
    const p = e.payload as { verifier?: string; outcome?: string; data?: { recordId?: unknown } };
    if (p.verifier === 'contract-seal' && p.outcome === 'pass' && typeof p.data?.recordId === 'string') return { contract: { recordId: p.data.recordId } };
  }
  return {};
}

export function transcriptOf(events: StoredEvent[]): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  for (const e of events) {
    const p = e.payload as Record<string, unknown>;
    if (e.type === 'AssistantSaid') {
      lines.push({ id: `a${e.seq}`, from: 'assistant', text: String(p.text ?? ''), stepId: String(p.stepId), at: e.at });
    } else if (e.type === 'AnswerReceived') {
      const text = typeof p.display === 'string' ? p.display : typeof p.text === 'string' ? p.text : String(p.choice ?? '');
      lines.push({ id: `u${e.seq}`, from: 'applicant', text, stepId: String(p.stepId), at: e.at });
    }
  }
  return lines;
}
