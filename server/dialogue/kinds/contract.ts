/**
 * `contract`: the applicant reads the filled contract of `product`, draws a signature and types
 * (or says) the confirmation `statement` ("I, {name}, have read the contract and agree to it.").
 *
 * enter -> say `text`, wait for `{type: 'contract', statement, ...}` (the statement filled with
 * the confirmed name). The answer is `{choice: 'sign', text, fields: {signatureArtifactId}}`:
 * - the statement must be classified affirm with enough confidence and name the applicant, and a
 *   drawn signature must have been uploaded; otherwise say `explain` and wait again, up to
 *   `maxAttempts`, then `onFail` (default: end for review). A coercion signal ends for review;
 * - then RunVerifier(`contract-seal`) with a run id, waiting (input `none`) while the server
 *   assembles the evidence, renders and signs the PDF and the record;
 * - its pass -> say `signed`, go on; fail / timeout / unavailable -> `onFail` (a contract that
 *   cannot be sealed is never reported as signed). Stale results are refused by their run id.
 *
 * Who signs: the name the applicant confirmed, from the latest answered `document` step (its
 * confirmed fields) or else the answer of a name question (`full_name`, or a step whose id ends
 * in `name`). `applicantIdentity` is shared with the sealing verifier, so the statement shown and
 * the identity in the signed record are the same.
 */
import { z } from 'zod';
import { classifyOffline } from '../../intent/offline/classify.ts';
import { ZIntentClassification } from '../../intent/types.ts';
import type { IntentClassification } from '../../intent/types.ts';
import { stepFields, ZLocalizedText, ZMaxAttempts, ZStepId } from '../schema.ts';
import type { DialogueState, InputSpec, Script } from '../types.ts';
import type { DefaultText } from './defaults.ts';
import { DEFAULT_HANDOFF } from './defaults.ts';
import { fail } from './prompting.ts';
import { rejectUnexpected } from './registry.ts';
import type { KindContext, KindResult, StepKind, StepRoute } from './registry.ts';

export const CONTRACT_SEAL_VERIFIER = 'contract-seal';
export const DEFAULT_CONTRACT_MIN_CONFIDENCE = 0.7;
const DEFAULT_MAX_ATTEMPTS = 3;
/** Sealing renders and signs a PDF: well under a second; the budget covers a slow disk. */
const SEAL_TIMEOUT_MS = 60_000;

const ZStatement = ZLocalizedText.refine((text) => Object.values(text).every((line) => line === undefined || line.includes('{name}')), {
  error: 'the statement must contain {name}, where the applicant’s confirmed name goes',
});

export const ZContractStep = z.strictObject({
  ...stepFields('contract'),
  /** The product in prompts/products/ whose template (prompts/contracts/<product>.<locale>.md) and terms are signed. */
  product: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a product id' }),
  /** Said on enter: read the contract, then sign. */
  text: ZLocalizedText,
  /** The confirmation the applicant types or says; `{name}` is their confirmed name. */
  statement: ZStatement,
  signLabel: ZLocalizedText.optional(),
  /** Said when the statement or the signature is not acceptable, before waiting again. */
  explain: ZLocalizedText.optional(),
  /** Said once the contract is sealed. */
  signed: ZLocalizedText.optional(),
  /** The statement counts as agreement only at or above this confidence (default 0.7). */
  minConfidence: z.number({ error: 'expected a number from 0 to 1' }).min(0).max(1).optional(),
  maxAttempts: ZMaxAttempts.optional(),
  onFail: ZStepId.optional(),
});
export type ContractStep = z.infer<typeof ZContractStep>;

/** The kind's working data: what the sealing verifier needs besides the stored events. */
export interface ContractState {
  runs?: number;
  runId?: string;
  /** Set while sealing. */
  signing?: { signatureArtifactId: string; reading: { label: string; provider: string; confidence: number } };
  failed?: string;
  last?: { label: string; confidence: number; provider: string };
}

/** What the applicant confirmed about themselves, and at which step (for its event's time). */
export interface ApplicantIdentity {
  fullName: string;
  dateOfBirth?: string;
  documentType?: string;
  documentNumber?: string;
  nationality?: string;
  /** The step whose answer confirmed the name. */
  sourceStepId: string;
}

const DEFAULTS = {
  signLabel: { en: 'Sign the contract', 'zh-CN': '签署合同' },
  explain: {
    en: 'To sign, draw your signature and type the confirmation exactly as shown, with your name. If you do not agree, you can stop here.',
    'zh-CN': '签署时，请手写签名，并按提示完整输入确认声明（包括您的姓名）。如果您不同意，可以在此停止。',
  },
  signed: {
    en: 'Thank you. Your contract is signed and sealed; you can download your copy at the end.',
    'zh-CN': '谢谢您。合同已签署并加封，结束后您可以下载您的副本。',
  },
} satisfies Record<string, DefaultText>;

const MRZ_DOCUMENT_TYPES: [RegExp, string][] = [
  [/^P/, 'passport'],
  [/^V/, 'visa'],
  [/^[IAC]/, 'id-card'],
];

function fromDocument(fields: Record<string, string>, stepId: string): ApplicantIdentity | null {
  const has = (name: string) => typeof fields[name] === 'string' && fields[name].trim() !== '';
  let fullName: string;
  if (has('name')) fullName = fields.name!.trim();
  else if (has('surname') || has('givenNames')) fullName = [fields.givenNames, fields.surname].filter(Boolean).join(' ').trim();
  else return null;
  const identity: ApplicantIdentity = { fullName, sourceStepId: stepId };
  if (has('birthDate') && /^\d{4}-\d{2}-\d{2}$/.test(fields.birthDate!)) identity.dateOfBirth = fields.birthDate!;
  if (has('idNumber')) {
    identity.documentType = 'cn-id';
    identity.documentNumber = fields.idNumber!.trim();
  } else if (has('documentNumber')) {
    const code = fields.documentType?.trim().toUpperCase() ?? '';
    identity.documentType = MRZ_DOCUMENT_TYPES.find(([pattern]) => pattern.test(code))?.[1] ?? (code || 'id-card');
    identity.documentNumber = fields.documentNumber!.trim();
  }
  if (has('nationality') && /^[A-Z]{1,3}$/.test(fields.nationality!.trim())) identity.nationality = fields.nationality!.trim();
  return identity;
}

/**
 * The applicant's confirmed identity from the dialogue state: the latest answered `document` step
 * (confirmed fields, JSON), else a name question's answer; the date of birth from the document or
 * a `date_of_birth` (or `*birth*`) question. Null when no name was confirmed yet.
 */
export function applicantIdentity(script: Script, state: Readonly<DialogueState>): ApplicantIdentity | null {
  let identity: ApplicantIdentity | null = null;
  for (const step of script.steps) {
    if (step.kind !== 'document') continue;
    const answer = state.answers[step.id];
    if (answer === undefined) continue;
    try {
      const fields = JSON.parse(answer) as unknown;
      if (typeof fields === 'object' && fields !== null) identity = fromDocument(fields as Record<string, string>, step.id) ?? identity;
    } catch {
      // not a document answer: ignore
    }
  }
  if (identity === null) {
    const nameStep =
      script.steps.find((step) => step.id === 'full_name' && state.answers[step.id] !== undefined) ??
      script.steps.find((step) => step.kind === 'question' && /name$/.test(step.id) && state.answers[step.id] !== undefined);
    const name = nameStep ? state.answers[nameStep.id]?.trim() : undefined;
    if (!nameStep || !name) return null;
    identity = { fullName: name, sourceStepId: nameStep.id };
  }
  if (identity.dateOfBirth === undefined) {
    const dobStep = script.steps.find((step) => step.kind === 'question' && /birth/.test(step.id) && /^\d{4}-\d{2}-\d{2}$/.test(state.answers[step.id] ?? ''));
    if (dobStep) identity.dateOfBirth = state.answers[dobStep.id];
  }
  return identity;
}

/** The statement with the name filled in. */
export function fillStatement(template: string, name: string): string {
  return template.replaceAll('{name}', name);
}

/** Case, width, spacing and punctuation do not matter when checking that the name was stated. */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, '');
}

function input(ctx: KindContext<ContractStep>, name: string): InputSpec {
  return {
    type: 'contract',
    product: ctx.step.product,
    statement: fillStatement(ctx.text(ctx.step.statement), name),
    signLabel: ctx.text(ctx.step.signLabel ?? DEFAULTS.signLabel),
  };
}

type Answer = Extract<Parameters<StepKind['onEvent']>[1], { type: 'AnswerReceived' }>;

/** The supplied classification when valid, else the offline rules (pure; latency 0 here). */
export function readStatement(ctx: KindContext<ContractStep>, event: Answer, question: string): IntentClassification {
  if (event.classification !== undefined) {
    const supplied = ZIntentClassification.safeParse(event.classification);
    if (supplied.success) return supplied.data;
  }
  const offline = classifyOffline({
    question,
    answer: event.text ?? '',
    locale: ctx.locale,
    context: { stepId: ctx.step.id, expected: 'affirm' },
  });
  return { ...offline, provider: 'offline', latency_ms: 0 };
}

function retry(ctx: KindContext<ContractStep>, state: ContractState, name: string, reason: string): KindResult {
  const attempts = ctx.attempts + 1;
  if (attempts >= (ctx.step.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) return giveUp(ctx, state, `${reason} after ${attempts} attempts`, attempts);
  return {
    attempts,
    kindState: state,
    commands: [{ type: 'Say', text: ctx.text(ctx.step.explain ?? DEFAULTS.explain) }],
    wait: input(ctx, name),
  };
}

function giveUp(ctx: KindContext<ContractStep>, state: ContractState, reason: string, attempts: number): KindResult {
  const result = fail({ ...ctx, kindState: state } as unknown as Parameters<typeof fail>[0], reason, attempts);
  const { signing: _signing, ...kept } = state;
  return { ...result, kindState: { ...kept, failed: reason } satisfies ContractState };
}

export const contractKind: StepKind<ContractStep> = {
  kind: 'contract',
  schema: ZContractStep,
  flow: 'wait',
  classifiesAnswers: true,
  routes: (step): StepRoute[] => (step.onFail === undefined ? [] : [{ path: ['onFail'], stepId: step.onFail }]),
  enter: (ctx) => {
    const identity = applicantIdentity(ctx.script, ctx.state);
    // Nobody to sign for: a script error (no name step before the contract) or a skipped step.
    if (identity === null) return giveUp(ctx, {}, 'no confirmed name to sign with', 0);
    return { kindState: {} satisfies ContractState, commands: [{ type: 'Say', text: ctx.text(ctx.step.text) }], wait: input(ctx, identity.fullName) };
  },
  onEvent: (ctx, event) => {
    const state = (ctx.kindState ?? {}) as ContractState;
    if (event.type === 'VerifierFinished') {
      if (event.verifier !== CONTRACT_SEAL_VERIFIER || state.runId === undefined || event.data?.runId !== state.runId || state.signing === undefined) {
        return { reject: 'not_awaiting', message: 'a result of an earlier sealing' };
      }
      if (event.outcome === 'pass') {
        const { signing: _signing, ...kept } = state;
        return {
          kindState: kept,
          answer: String(event.data?.recordId ?? ''),
          commands: [{ type: 'Say', text: ctx.text(ctx.step.signed ?? DEFAULTS.signed) }],
          goto: 'next',
        };
      }
      const reason = `contract not sealed (${event.outcome}${typeof event.data?.reason === 'string' ? `: ${event.data.reason}` : ''})`;
      return giveUp(ctx, state, reason, ctx.attempts);
    }
    if (event.type !== 'AnswerReceived') return rejectUnexpected(event);
    if (state.signing !== undefined) return { reject: 'not_awaiting', message: 'the contract is being sealed' };
    if (event.choice !== 'sign') return { reject: 'not_awaiting', message: 'sign the contract: choice "sign" with the statement and a signature' };
    const identity = applicantIdentity(ctx.script, ctx.state);
    if (identity === null) return giveUp(ctx, state, 'no confirmed name to sign with', ctx.attempts);
    const statement = fillStatement(ctx.text(ctx.step.statement), identity.fullName);
    const reading = readStatement(ctx, event, statement);
    const last = { label: reading.label, confidence: reading.confidence, provider: reading.provider };
    const noted: ContractState = { ...state, last };
    if (reading.coercion_signals.length > 0) {
      return {
        attempts: ctx.attempts + 1,
        kindState: { ...noted, failed: `coercion signals: ${reading.coercion_signals.join(', ')}` },
        commands: [{ type: 'Say', text: ctx.text(DEFAULT_HANDOFF) }],
        end: 'review',
        reason: `${ctx.step.id}: coercion signals: ${reading.coercion_signals.join(', ')}`,
      };
    }
    const signatureArtifactId = event.fields?.signatureArtifactId?.trim() ?? '';
    if (signatureArtifactId === '') return retry(ctx, noted, identity.fullName, 'no drawn signature');
    const agrees = reading.label === 'affirm' && !reading.injection && reading.confidence >= (ctx.step.minConfidence ?? DEFAULT_CONTRACT_MIN_CONFIDENCE);
    if (!agrees) return retry(ctx, noted, identity.fullName, `statement not an agreement (${reading.label})`);
    if (!normalizeForMatch(event.text ?? '').includes(normalizeForMatch(identity.fullName))) {
      return retry(ctx, noted, identity.fullName, 'statement without the applicant’s name');
    }
    const runs = (state.runs ?? 0) + 1;
    const runId = `${ctx.step.id}#${runs}`;
    const signing = { signatureArtifactId, reading: last };
    return {
      attempts: ctx.attempts + 1,
      kindState: { ...noted, runs, runId, signing } satisfies ContractState,
      commands: [
        {
          type: 'RunVerifier',
          verifier: CONTRACT_SEAL_VERIFIER,
          params: { runId, product: ctx.step.product, signatureArtifactId, reading: last, timeoutMs: SEAL_TIMEOUT_MS },
        },
      ],
      wait: { type: 'none' },
    };
  },
};
