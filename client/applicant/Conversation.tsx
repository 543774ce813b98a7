/**
 * The session in progress: the assistant with its current line as a large caption, the
 * applicant's camera, the prompt, and the transcript. Everything comes from the view snapshot.
 */
import { useEffect, useState } from 'react';
import type { GuidanceMessage, SessionView } from '../../server/http/protocol.ts';
import type { Translate } from '../i18n.ts';
import { AnswerInput } from './AnswerInput.tsx';
import { AssistantAvatar } from './AssistantAvatar.tsx';
import { ConfirmFields } from './ConfirmFields.tsx';
import { ContractReview } from './ContractReview.tsx';
import { DocumentCapture } from './DocumentCapture.tsx';
import { LivenessView } from './LivenessView.tsx';
import { SelfView } from './SelfView.tsx';
import { splitTranscript } from './sessionView.ts';
import { Transcript } from './Transcript.tsx';
import '../styles/conversation.css';
import '../styles/presenter.css';
import { SpokenCaption } from './voice/SpokenCaption.tsx';
import type { VoiceState } from './voice/useVoice.ts';
import { VoiceBar } from './voice/VoiceBar.tsx';
import type { Answer, RequestResult } from './useSessionSocket.ts';

export interface ConversationProps {
  token: string;
  view: SessionView;
  guidance: GuidanceMessage | null;
  stream: MediaStream;
  voice: MediaStream | null;
  /** The assistant's speech (timings for lips and captions) and listening state. */
  speech: VoiceState;
  offline: boolean;
  t: Translate;
  onAnswer(answer: Answer): Promise<RequestResult>;
}

export function Conversation({ token, view, guidance, stream, voice, speech, offline, t, onAnswer }: ConversationProps) {
  const { current, earlier } = splitTranscript(view.transcript);
  const prompt = view.prompt;
  // Screen readers announce changes to a live region, not its first content: fill it after mount.
  const [announce, setAnnounce] = useState(false);
  useEffect(() => setAnnounce(true), []);
  return (
    <div className="conversation">
      <h1 className="visually-hidden">{t('assistant.label')}</h1>
      {!speech.textOnly && (
        <div className="conversation__avatar">
          <AssistantAvatar voice={voice} run={speech.run} listening={speech.listeningStep !== null && speech.listeningStep === prompt?.stepId} label={t('assistant.presenter')} />
        </div>
      )}
      <p className="conversation__caption" data-testid="assistant-line" aria-live="polite" aria-atomic="true">
        {announce ? current ? <SpokenCaption text={current.text} run={speech.textOnly ? null : speech.run} /> : t('assistant.waiting') : ''}
      </p>
      <div className="conversation__voice">
        <VoiceBar
          stream={stream}
          listening={speech.listeningStep !== null && speech.listeningStep === prompt?.stepId}
          heard={speech.heard}
          hint={speech.hint}
          answerAwaited={prompt !== null && (prompt.input.type === 'yesno' || prompt.input.type === 'text')}
          textOnly={speech.textOnly}
          onTextOnly={speech.setTextOnly}
          t={t}
        />
      </div>
      <div className="conversation__self">
        <SelfView stream={stream} t={t} compact />
      </div>
      <div className="conversation__prompt">
        {prompt?.input.type === 'document' && (
          <DocumentCapture
            key={`${prompt.stepId}:${view.transcript.length}`}
            token={token}
            stream={stream}
            uploadLabel={prompt.input.uploadLabel}
            guidance={guidance?.stepId === prompt.stepId ? guidance : null}
            offline={offline}
            t={t}
          />
        )}
        {prompt?.input.type === 'liveness' && (
          <LivenessView stream={stream} guidance={guidance?.stepId === prompt.stepId ? guidance : null} t={t} />
        )}
        {prompt?.input.type === 'confirm' && (
          <ConfirmFields
            key={`${prompt.stepId}:${view.transcript.length}`}
            stepId={prompt.stepId}
            fields={prompt.input.fields}
            confirmLabel={prompt.input.confirmLabel}
            retakeLabel={prompt.input.retakeLabel}
            offline={offline}
            t={t}
            onAnswer={onAnswer}
          />
        )}
        {prompt?.input.type === 'contract' && (
          <ContractReview
            key={`${prompt.stepId}:${view.transcript.length}`}
            token={token}
            stepId={prompt.stepId}
            input={prompt.input}
            offline={offline}
            t={t}
            onAnswer={onAnswer}
          />
        )}
        {prompt && (prompt.input.type === 'yesno' || prompt.input.type === 'text') && (
          <AnswerInput
            key={`${prompt.stepId}:${view.transcript.length}`}
            stepId={prompt.stepId}
            input={prompt.input}
            offline={offline}
            t={t}
            onAnswer={onAnswer}
          />
        )}
      </div>
      <div className="conversation__transcript">
        <Transcript lines={earlier} t={t} />
      </div>
    </div>
  );
}
