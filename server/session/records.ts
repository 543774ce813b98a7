/**
 * Pure mapping between the dialogue's events/commands and the audit events we store. Every
 * input event is stored as it arrived; every command with an observable effect is stored as
 * what it did. Replaying the stored inputs through the reducer reproduces the session.
 */
import type { DialogueCommand, DialogueEvent, DialogueState } from '../dialogue/index.ts';
import type { NewEvent } from '../store/index.ts';
import type { SessionStatus } from '../http/protocol.ts';

/** Event types that carry the applicant's words or data: never logged, shown only to authorized readers. */
export const PERSONAL_EVENT_TYPES = new Set(['AnswerReceived', 'SpeechTranscribed']);

/**
 * The stored form of an input event. `evidence` adds what a reviewer needs beside the event
 * itself (for an answer: the question exactly as delivered, and the label of a pressed button).
 */
export function inputToRecord(event: DialogueEvent, at: string, evidence: Record<string, unknown> = {}): NewEvent {
  const { type, ...payload } = event;
  return { type, at, payload: { ...payload, ...evidence } };
}

export function commandToRecord(command: DialogueCommand, at: string): NewEvent | null {
  switch (command.type) {
    case 'Say':
      return { type: 'AssistantSaid', at, payload: { stepId: command.stepId, lineId: command.lineId, text: command.text } };
    case 'AwaitInput':
      return { type: 'InputAwaited', at, payload: { stepId: command.stepId, inputType: command.input.type } };
    case 'StartTimer':
      return { type: 'TimerStarted', at, payload: { stepId: command.stepId, timerId: command.timerId, ms: command.ms } };
    case 'CancelTimer':
      return { type: 'TimerCancelled', at, payload: { timerId: command.timerId } };
    case 'RecordConsent':
      return {
        type: 'ConsentRecorded',
        at,
        payload: { stepId: command.stepId, purpose: command.purpose, granted: command.granted },
      };
    case 'StartRecording':
      return { type: 'RecordingRequested', at, payload: { stepId: command.stepId } };
    case 'StopRecording':
      return { type: 'RecordingStopRequested', at, payload: { stepId: command.stepId } };
    case 'RunVerifier':
      // The params let a restarted server run the same verifier again (see SessionService.restore).
      return { type: 'VerifierRequested', at, payload: { stepId: command.stepId, verifier: command.verifier, params: command.params } };
    case 'EndSession':
      return { type: 'SessionEnded', at, payload: { outcome: command.outcome, reason: command.reason } };
    case 'RejectInput':
      return { type: 'InputRejected', at, payload: { stepId: command.stepId, code: command.code } };
  }
}

export function statusOf(state: DialogueState): SessionStatus {
  return state.status === 'pending' ? 'created' : state.status;
}
