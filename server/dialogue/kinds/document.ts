/**
 * `document`: the applicant shows their identity document to the camera (or uploads a photo);
 * the `document` verifier reads it offline and the applicant confirms or corrects the fields.
 *
 * enter -> say `text`, RunVerifier(document) and wait for the capture. The verifier's result
 * comes back as VerifierFinished (a stale result of an earlier run is refused by its run id):
 * - pass: say `confirm`, show the fields; "confirm" (optionally with corrected fields) stores the
 *   confirmed values and moves on; "retake" captures again (an attempt);
 * - fail / timeout: say why and capture again, up to `maxAttempts`, then `onFail`;
 * - unavailable (no verifier, or it broke): straight to `onFail` (retrying would not help).
 * Corrections travel on the answer event and are stored next to the read values, never over them.
 */
import { z } from 'zod';
import { stepFields, ZLocalizedText, ZMaxAttempts, ZStepId, ZTimeoutSeconds } from '../schema.ts';
import type { ConfirmField, InputSpec } from '../types.ts';
import type { DefaultText } from './defaults.ts';
import { failKeeping } from './prompting.ts';
import { rejectUnexpected } from './registry.ts';
import type { KindCommand, KindContext, KindResult, StepKind, StepRoute } from './registry.ts';

export const DOCUMENT_VERIFIER = 'document';
const DEFAULT_ATTEMPT_SECONDS = 90;
const DEFAULT_MAX_ATTEMPTS = 3;

export const ZDocumentStep = z.strictObject({
  ...stepFields('document'),
  /** What to show: `mrz` (passports, ID cards and visas with a machine-readable zone), `cn-id`. */
  accepted: z.array(z.enum(['mrz', 'cn-id'], { error: 'expected mrz or cn-id' })).min(1).max(2),
  /** How to show the document, said on enter. */
  text: ZLocalizedText,
  /** Said with the fields to check; default asks to confirm or correct them. */
  confirm: ZLocalizedText.optional(),
  maxAttempts: ZMaxAttempts.optional(),
  /** Time for one capture attempt (default 90 s). */
  timeoutSeconds: ZTimeoutSeconds.optional(),
  onFail: ZStepId.optional(),
});
export type DocumentStep = z.infer<typeof ZDocumentStep>;

/** What the verifier returns on a pass (data of VerifierFinished). */
export interface DocumentVerdict {
  runId: string;
  documentKind: 'mrz' | 'cn-id';
  /** Field name -> value, in display order. */
  fields: Record<string, string>;
}

interface DocumentState {
  runs?: number;
  runId?: string;
  /** The fields as read, kept for the confirm screen and for reviewers. */
  read?: Record<string, string>;
  documentKind?: string;
  lastFailure?: string;
  failed?: string;
}

export const FIELD_LABELS: Record<string, DefaultText> = {
  documentType: { en: 'Document type', 'zh-CN': '证件类型' },
  issuingState: { en: 'Issued by', 'zh-CN': '签发国家/地区' },
  documentNumber: { en: 'Document number', 'zh-CN': '证件号码' },
  surname: { en: 'Surname', 'zh-CN': '姓' },
  givenNames: { en: 'Given names', 'zh-CN': '名' },
  name: { en: 'Full name', 'zh-CN': '姓名' },
  nationality: { en: 'Nationality', 'zh-CN': '国籍' },
  birthDate: { en: 'Date of birth', 'zh-CN': '出生日期' },
  sex: { en: 'Sex', 'zh-CN': '性别' },
  expiryDate: { en: 'Expiry date', 'zh-CN': '有效期至' },
  ethnicity: { en: 'Ethnicity', 'zh-CN': '民族' },
  address: { en: 'Address', 'zh-CN': '住址' },
  idNumber: { en: 'ID number', 'zh-CN': '公民身份号码' },
};

const DEFAULT_CONFIRM: DefaultText = {
  en: 'Thank you. Please check the details I read from your document. Correct anything that is wrong, then confirm.',
  'zh-CN': '谢谢。请核对我从证件上读取的信息，如有错误请直接修改，然后确认。',
};
const LABELS = {
  upload: { en: 'Or take a photo instead', 'zh-CN': '或者拍照上传' },
  confirm: { en: 'These details are correct', 'zh-CN': '信息无误，确认' },
  retake: { en: 'Capture again', 'zh-CN': '重新拍摄' },
} satisfies Record<string, DefaultText>;

/** Said when a capture attempt did not give an acceptable reading, by the verifier's reason. */
const FAILURE_LINES: Record<string, DefaultText> = {
  expired: { en: 'This document has expired. Please show a valid document.', 'zh-CN': '该证件已过有效期，请出示有效证件。' },
  no_mrz_found: {
    en: "I couldn't find the lines of letters and numbers at the bottom of the document. Hold the photo page flat so it fills most of the frame.",
    'zh-CN': '未能找到证件底部的机读码。请将证件资料页放平，让它占满画面的大部分。',
  },
  no_id_number: {
    en: "I couldn't find the ID number. Hold the front of the card flat, close to the camera.",
    'zh-CN': '未能识别身份证号码。请将身份证正面放平，靠近摄像头。',
  },
  timeout: {
    en: "I couldn't get a clear picture of the document in time. Let's try again: hold it still, close to the camera, away from bright light.",
    'zh-CN': '未能及时拍到清晰的证件画面。我们再试一次：请拿稳证件，靠近摄像头，避开强光。',
  },
  default: {
    en: "I couldn't read the document clearly. Please hold it still, close to the camera, and tilt it slightly to avoid glare.",
    'zh-CN': '未能清晰识别证件。请拿稳证件并靠近摄像头，稍微倾斜以避免反光。',
  },
};

function captureInput(ctx: KindContext<DocumentStep>): InputSpec {
  return { type: 'document', accepted: ctx.step.accepted, uploadLabel: ctx.text(LABELS.upload) };
}

function confirmInput(ctx: KindContext<DocumentStep>, read: Record<string, string>): InputSpec {
  const fields: ConfirmField[] = Object.entries(read).map(([name, value]) => ({
    name,
    value,
    label: FIELD_LABELS[name] ? ctx.text(FIELD_LABELS[name]) : name,
  }));
  return { type: 'confirm', fields, confirmLabel: ctx.text(LABELS.confirm), retakeLabel: ctx.text(LABELS.retake) };
}

/** Starts one capture attempt: a new run id, the verifier, the capture screen. */
function capture(ctx: KindContext<DocumentStep>, state: DocumentState, lines: string[], attempts: number): KindResult {
  const runs = (state.runs ?? 0) + 1;
  const runId = `${ctx.step.id}#${runs}`;
  const commands: KindCommand[] = [
    ...lines.map((text) => ({ type: 'Say' as const, text })),
    {
      type: 'RunVerifier',
      verifier: DOCUMENT_VERIFIER,
      params: { runId, accepted: ctx.step.accepted, timeoutMs: (ctx.step.timeoutSeconds ?? DEFAULT_ATTEMPT_SECONDS) * 1000 },
    },
  ];
  const { read: _read, documentKind: _kind, ...kept } = state;
  return { attempts, kindState: { ...kept, runs, runId } satisfies DocumentState, commands, wait: captureInput(ctx) };
}

export const documentKind: StepKind<DocumentStep> = {
  kind: 'document',
  schema: ZDocumentStep,
  flow: 'wait',
  routes: (step): StepRoute[] => (step.onFail === undefined ? [] : [{ path: ['onFail'], stepId: step.onFail }]),
  enter: (ctx) => capture(ctx, {}, [ctx.text(ctx.step.text)], 0),
  onEvent: (ctx, event) => {
    const state = (ctx.kindState ?? {}) as DocumentState;
    const max = ctx.step.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (event.type === 'VerifierFinished') {
      if (event.verifier !== DOCUMENT_VERIFIER || event.data?.runId !== state.runId || state.read !== undefined) {
        return { reject: 'not_awaiting', message: 'a result of an earlier capture' };
      }
      if (event.outcome === 'pass') {
        const verdict = event.data as unknown as DocumentVerdict;
        const read = Object.fromEntries(Object.entries(verdict.fields ?? {}).map(([k, v]) => [k, String(v)]));
        return {
          kindState: { ...state, read, documentKind: verdict.documentKind } satisfies DocumentState,
          commands: [{ type: 'Say', text: ctx.text(ctx.step.confirm ?? DEFAULT_CONFIRM) }],
          wait: confirmInput(ctx, read),
        };
      }
      const reason = event.outcome === 'fail' ? String(event.data?.reason ?? 'unreadable') : event.outcome;
      const attempts = ctx.attempts + 1;
      if (event.outcome === 'unavailable') return failKeeping(ctx, state, `document check unavailable (${String(event.data?.reason ?? 'error')})`, attempts);
      if (attempts >= max) return failKeeping(ctx, { ...state, lastFailure: reason }, `no acceptable document after ${attempts} attempts (${reason})`, attempts);
      const line = FAILURE_LINES[reason] ?? FAILURE_LINES.default!;
      return capture(ctx, { ...state, lastFailure: reason }, [ctx.text(line)], attempts);
    }
    if (event.type !== 'AnswerReceived') return rejectUnexpected(event);
    if (state.read === undefined) return { reject: 'not_awaiting', message: 'the document has not been read yet' };
    if (event.choice === 'retake') {
      const attempts = ctx.attempts + 1;
      if (attempts >= max) return failKeeping(ctx, state, `document not confirmed after ${attempts} attempts`, attempts);
      return capture(ctx, state, [ctx.text(ctx.step.text)], attempts);
    }
    if (event.choice !== 'confirm') return { reject: 'not_awaiting', message: 'confirm the details or capture again' };
    const corrections = event.fields ?? {};
    const unknown = Object.keys(corrections).filter((name) => !(name in state.read!));
    if (unknown.length > 0) return { reject: 'not_awaiting', message: `unknown field ${unknown.join(', ')}` };
    const confirmed = { ...state.read, ...corrections };
    return { answer: JSON.stringify(confirmed), kindState: state, goto: 'next' };
  },
};
