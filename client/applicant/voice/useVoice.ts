/**
 * The client end of the `voice` channel: collects the segments of the assistant's current run,
 * finds the moment its audio becomes audible in the browser (level of the remote track), reports
 * it to the server (latency), and exposes the run's clock so the presenter and captions follow
 * what the applicant hears. Also the server's listening state and the text-only wish.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { VoiceInputReason, VoiceServerMessage } from '../../../server/voice/protocol.ts';
import { rms } from '../audioLevel.ts';
import { audioContext } from '../useMicLevel.ts';
import type { SessionSocket } from '../useSessionSocket.ts';
import { runEndMs, type RunTimeline } from './timeline.ts';

/** RMS (of -1..1 samples) above which the assistant's audio counts as audible. */
const AUDIBLE_RMS = 0.004;
/** If audio never becomes measurable (muted, blocked), captions start after this anyway. */
const FALLBACK_START_MS = 1200;

export interface ActiveRun extends RunTimeline {
  /** performance.now() at which the run's audio began (null until known). */
  startedAt: number | null;
}

export interface VoiceState {
  run: ActiveRun | null;
  /** The server can speak / hear answers, and why not. */
  speaking: boolean;
  listeningStep: string | null;
  hint: VoiceInputReason | null;
  heard: 'speech' | 'silence' | null;
  textOnly: boolean;
  setTextOnly(enabled: boolean): void;
}

const TEXT_ONLY_KEY = 'attest.textOnly';

function storedTextOnly(): boolean {
  try {
    return localStorage.getItem(TEXT_ONLY_KEY) === '1';
  } catch {
    return false;
  }
}

export function useVoice(socket: SessionSocket | null, remote: MediaStream | null): VoiceState {
  const [run, setRun] = useState<ActiveRun | null>(null);
  const [status, setStatus] = useState<{ speaking: boolean; hint: VoiceInputReason | null }>({ speaking: false, hint: null });
  const [listen, setListen] = useState<{ stepId: string | null; hint: VoiceInputReason | null; heard: 'speech' | 'silence' | null }>({ stepId: null, hint: null, heard: null });
  const [textOnly, setTextOnlyState] = useState(storedTextOnly);
  const runRef = useRef<ActiveRun | null>(null);
  const sayReceivedAt = useRef(0);
  const remoteRef = useRef(remote);
  useEffect(() => {
    remoteRef.current = remote;
  }, [remote]);

  useEffect(() => {
    if (!socket) return;
    socket.emit('voice', { type: 'text-only', enabled: textOnly });
    // Sent once per socket; later changes go through setTextOnly.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [socket]);

  useEffect(() => {
    if (!socket) return;
    let detector: ReturnType<typeof setInterval> | null = null;
    const stopDetector = () => {
      if (detector) clearInterval(detector);
      detector = null;
    };
    /** Watches the remote audio until it is audible, then starts the run's clock. */
    const detectStart = (runId: string) => {
      stopDetector();
      const context = audioContext();
      const stream = remoteRef.current;
      let analyser: AnalyserNode | null = null;
      let source: MediaStreamAudioSourceNode | null = null;
      if (context && stream && stream.getAudioTracks().length > 0) {
        void context.resume().catch(() => undefined);
        source = context.createMediaStreamSource(stream);
        analyser = context.createAnalyser();
        analyser.fftSize = 512;
        source.connect(analyser);
      }
      const samples = new Float32Array(512);
      const start = (at: number, audible: boolean) => {
        stopDetector();
        source?.disconnect();
        analyser?.disconnect();
        const current = runRef.current;
        if (!current || current.runId !== runId) return;
        const next = { ...current, startedAt: at };
        runRef.current = next;
        setRun(next);
        if (audible) socket.emit('voice', { type: 'played', runId, afterSayMs: Math.max(0, Math.round(at - sayReceivedAt.current)) });
      };
      detector = setInterval(() => {
        const now = performance.now();
        if (analyser) {
          analyser.getFloatTimeDomainData(samples);
          if (rms(samples) > AUDIBLE_RMS) return start(now, true);
        }
        if (now - sayReceivedAt.current > FALLBACK_START_MS) start(sayReceivedAt.current + 150, false);
      }, 10);
    };

    const onVoice = (message: VoiceServerMessage) => {
      switch (message.type) {
        case 'status':
          setStatus({ speaking: message.speaking, hint: message.reason ?? null });
          break;
        case 'listen':
          setListen({ stepId: message.stepId, hint: message.hint ?? null, heard: message.heard ?? null });
          break;
        case 'say': {
          const current = runRef.current;
          if (current && current.runId === message.runId) {
            const next = { ...current, segments: [...current.segments, message.segment] };
            runRef.current = next;
            setRun(next);
          } else {
            sayReceivedAt.current = performance.now();
            const next: ActiveRun = { runId: message.runId, segments: [message.segment], startedAt: null };
            runRef.current = next;
            setRun(next);
            detectStart(message.runId);
          }
          break;
        }
        case 'stop': {
          const current = runRef.current;
          if (current && current.runId === message.runId) {
            stopDetector();
            runRef.current = null;
            setRun(null);
          }
          break;
        }
      }
    };
    socket.on('voice', onVoice);
    return () => {
      stopDetector();
      socket.off('voice', onVoice);
    };
  }, [socket]);

  // Forget a run once it has played out.
  useEffect(() => {
    if (!run || run.startedAt === null) return;
    const left = run.startedAt + runEndMs(run) + 400 - performance.now();
    const timer = setTimeout(() => {
      if (runRef.current === run) {
        runRef.current = null;
        setRun(null);
      }
    }, Math.max(0, left));
    return () => clearTimeout(timer);
  }, [run]);

  const setTextOnly = useCallback(
    (enabled: boolean) => {
      setTextOnlyState(enabled);
      try {
        localStorage.setItem(TEXT_ONLY_KEY, enabled ? '1' : '0');
      } catch {
        // private mode: the choice lasts for this page only
      }
      socket?.emit('voice', { type: 'text-only', enabled });
    },
    [socket],
  );

  return {
    run,
    speaking: status.speaking,
    listeningStep: listen.stepId,
    hint: listen.hint ?? status.hint,
    heard: listen.heard,
    textOnly,
    setTextOnly,
  };
}
