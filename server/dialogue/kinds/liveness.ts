/**
 * `liveness`: proves a live person is in front of the camera, and that it is the person on the
 * document. The `liveness` verifier draws random challenges (blink, turn, look up, open mouth),
 * guides the applicant live, watches for photos, replays, extra faces and a change of person, and
 * matches the face against the document photo when the session has one.
 *
 * enter -> say `text`, RunVerifier(liveness) and show the oval. pass -> next; fail -> say why and
 * try again (a new random plan), up to `maxAttempts`, then `onFail`; unavailable -> `onFail`.
 * A face that does not match the document is not retried: it goes to `onFail` (human review).
 */
import { z } from 'zod';
import { stepFields, ZLocalizedText, ZMaxAttempts, ZStepId, ZTimeoutSeconds } from '../schema.ts';
import type { InputSpec } from '../types.ts';
import type { DefaultText } from './defaults.ts';
import { failKeeping } from './prompting.ts';
import { rejectUnexpected } from './registry.ts';
import type { KindCommand, KindContext, KindResult, StepKind, StepRoute } from './registry.ts';

export const LIVENESS_VERIFIER = 'liveness';

export const ZLivenessStep = z.strictObject({
  ...stepFields('liveness'),
  /** Said on enter: what is about to happen. */
  text: ZLocalizedText,
  maxAttempts: ZMaxAttempts.optional(),
  /** Time for one attempt (default 90 s). */
  timeoutSeconds: ZTimeoutSeconds.optional(),
  onFail: ZStepId.optional(),
  /** Threshold overrides (see server/verify/face/liveness/config.ts), validated by the verifier. */
  thresholds: z.record(z.string(), z.unknown()).optional(),
});
export type LivenessStep = z.infer<typeof ZLivenessStep>;

interface LivenessState {
  runs?: number;
  runId?: string;
  lastFailure?: string;
  failed?: string;
}

const RETRY_LINES: Record<string, DefaultText> = {
  multiple_faces: { en: 'Only you should be in the picture. Please make sure no one else is in view, and we will try again.', 'zh-CN': '画面中只能有您本人。请确认没有其他人入镜，我们再试一次。' },
  default: {
    en: "That didn't work this time. Let's try again: keep your face inside the oval, in good light, and follow each instruction.",
    'zh-CN': '这次没有成功。我们再试一次：请让脸部保持在椭圆框内，光线充足，并按提示完成动作。',
  },
};

const DEFAULT_ATTEMPT_SECONDS = 90;
const DEFAULT_MAX_ATTEMPTS = 2;

function input(): InputSpec {
  return { type: 'liveness' };
}

function attempt(ctx: KindContext<LivenessStep>, state: LivenessState, lines: string[], attempts: number): KindResult {
  const runs = (state.runs ?? 0) + 1;
  const runId = `${ctx.step.id}#${runs}`;
  const commands: KindCommand[] = [
    ...lines.map((text) => ({ type: 'Say' as const, text })),
    {
      type: 'RunVerifier',
      verifier: LIVENESS_VERIFIER,
      params: {
        runId,
        timeoutMs: (ctx.step.timeoutSeconds ?? DEFAULT_ATTEMPT_SECONDS) * 1000 + 5000,
        config: { ...(ctx.step.thresholds ?? {}), maxTotalMs: (ctx.step.timeoutSeconds ?? DEFAULT_ATTEMPT_SECONDS) * 1000 },
      },
    },
  ];
  return { attempts, kindState: { ...state, runs, runId } satisfies LivenessState, commands, wait: input() };
}

export const livenessKind: StepKind<LivenessStep> = {
  kind: 'liveness',
  schema: ZLivenessStep,
  flow: 'wait',
  routes: (step): StepRoute[] => (step.onFail === undefined ? [] : [{ path: ['onFail'], stepId: step.onFail }]),
  enter: (ctx) => attempt(ctx, {}, [ctx.text(ctx.step.text)], 0),
  onEvent: (ctx, event) => {
    if (event.type !== 'VerifierFinished') return rejectUnexpected(event);
    const state = (ctx.kindState ?? {}) as LivenessState;
    if (event.verifier !== LIVENESS_VERIFIER || event.data?.runId !== state.runId) {
      return { reject: 'not_awaiting', message: 'a result of an earlier attempt' };
    }
    if (event.outcome === 'pass') return { kindState: state, goto: 'next' };
    const attempts = ctx.attempts + 1;
    const reason = event.outcome === 'fail' ? String(event.data?.reason ?? 'liveness_failed') : event.outcome;
    if (event.outcome === 'unavailable') return failKeeping(ctx, state, `face check unavailable (${String(event.data?.reason ?? 'error')})`, attempts);
    // A different person than the document, or an attack signal: a person decides, no retry.
    if (reason === 'face_mismatch' || reason === 'identity_changed' || reason === 'planar_motion') {
      return failKeeping(ctx, { ...state, lastFailure: reason }, `liveness: ${reason}`, attempts);
    }
    if (attempts >= (ctx.step.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
      return failKeeping(ctx, { ...state, lastFailure: reason }, `liveness not passed after ${attempts} attempts (${reason})`, attempts);
    }
    return attempt(ctx, { ...state, lastFailure: reason }, [ctx.text(RETRY_LINES[reason] ?? RETRY_LINES.default!)], attempts);
  },
};
