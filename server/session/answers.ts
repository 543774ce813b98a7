/**
 * What the interpreter adds to an applicant's answer before and after the reducer sees it: the
 * provider's classification (possibly an LLM, bounded, falling back offline), the question
 * exactly as the applicant heard it, the label of a pressed button, and the LLM wording of
 * approved answers (facts kept, approved text stored beside it).
 */
import { getStepKind, stepById, type DialogueCommand, type DialogueEvent, type DialogueState } from '../dialogue/index.ts';
import type { IntentClassification, IntentClassifier } from '../intent/index.ts';
import type { AnswerPhraser } from '../intent/llm/phrase.ts';
import type { Logger } from '../log.ts';
import type { SessionRecord, Store } from '../store/index.ts';
import type { ScriptCatalog } from './catalog.ts';

/** Upper bound on waiting for a classifier (the LLM provider has its own, shorter timeout). */
const CLASSIFY_BUDGET_MS = 130_000;

export interface AnswerEvidenceDeps {
  store: Store;
  catalog: ScriptCatalog;
  classifier: IntentClassifier;
  phraser?: AnswerPhraser | null;
  logger: Logger;
}

export class AnswerEvidence {
  constructor(private readonly o: AnswerEvidenceDeps) {}

  /** The provider's reading of a typed answer, at steps whose kind asks for one; else null. */
  async classify(record: SessionRecord, stepId: string, text: string): Promise<IntentClassification | null> {
    const state = record.state as DialogueState;
    if (state.awaiting?.stepId !== stepId) return null; // the reducer will refuse it anyway
    const script = this.o.catalog.pinned(record.scriptHash).script;
    const step = stepById(script, stepId) as (ReturnType<typeof stepById> & { expect?: 'affirm' | 'deny'; purpose?: string }) | undefined;
    if (!step || !getStepKind(step.kind)?.classifiesAnswers) return null;
    try {
      return await this.o.classifier.classify(
        {
          question: this.lastLineOf(record.id, stepId),
          answer: text,
          locale: state.locale,
          context: { stepId, ...(step.expect ? { expected: step.expect } : {}), ...(step.purpose ? { purpose: step.purpose } : {}) },
        },
        { signal: AbortSignal.timeout(CLASSIFY_BUDGET_MS) },
      );
    } catch (error) {
      // Never block an answer on a provider: the step classifies offline itself.
      this.o.logger.warn({ err: error, sessionId: record.id, stepId }, 'intent classification failed');
      return null;
    }
  }

  /** For an answer: the question as the applicant heard it, and the label of a pressed button. */
  evidence(sessionId: string, state: DialogueState, event: DialogueEvent): Record<string, unknown> {
    if (event.type !== 'AnswerReceived') return {};
    const display = displayOf(state, event);
    return {
      question: this.lastLineOf(sessionId, event.stepId),
      ...(display !== undefined ? { display } : {}),
    };
  }

  /** Rewords the lines a step marked rephrasable (approved answers), keeping the approved text on failure. */
  async phrase(commands: DialogueCommand[], locale: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const phraser = this.o.phraser;
    if (!phraser) return out;
    for (const command of commands) {
      if (command.type !== 'Say' || !command.rephrase) continue;
      const text = await phraser.phrase({ approved: command.text, question: command.rephrase.question, locale }).catch(() => null);
      if (text) out.set(command.lineId, text);
    }
    return out;
  }

  /** The last line the assistant said at a step (the question an answer answers). */
  private lastLineOf(sessionId: string, stepId: string): string {
    const said = this.o.store.events
      .list(sessionId)
      .filter((e) => e.type === 'AssistantSaid' && (e.payload as { stepId?: string }).stepId === stepId)
      .at(-1);
    return String((said?.payload as { text?: string } | undefined)?.text ?? '');
  }
}

/** What the transcript shows for a button answer: the label the applicant pressed. */
function displayOf(state: DialogueState, event: DialogueEvent): string | undefined {
  if (event.type !== 'AnswerReceived' || event.choice === undefined || event.text !== undefined) return undefined;
  const input = state.awaiting?.input;
  if (input?.type === 'yesno') {
    if (event.choice === 'yes') return input.yesLabel;
    if (event.choice === 'no') return input.noLabel;
  }
  return event.choice;
}
