/**
 * The server's handle on one media process (child.ts): fork it, wait for it to report that wrtc
 * loaded, exchange messages and requests with it, and stop it. One instance per process
 * lifetime; the transport makes a new one to respawn.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from '../../log.ts';
import type { ChildToParent, ParentToChild, Reply } from './protocol.ts';

const CHILD_ENTRY = fileURLToPath(new URL('./child.ts', import.meta.url));

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the exit followed `stop()`. */
  expected: boolean;
}

export interface MediaProcessOptions {
  logger: Logger;
  startupTimeoutMs: number;
  onMessage: (message: ChildToParent) => void;
  /** Called once if the process exits after it became ready. */
  onExit: (exit: ProcessExit, process: MediaProcess) => void;
}

interface PendingRequest {
  resolve: (value: Reply) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** `--import tsx` resolved from this package, so the child works whatever the current directory. */
function tsxImportSpecifier(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    return 'tsx';
  }
}

export class MediaProcess {
  private readonly pending = new Map<number, PendingRequest>();
  private nextRequestId = 1;
  private stopping = false;
  private exited: Promise<ProcessExit>;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    exited: Promise<ProcessExit>,
  ) {
    this.exited = exited;
  }

  /** Forks the media process and resolves once it has loaded wrtc; rejects with the reason otherwise. */
  static start(options: MediaProcessOptions): Promise<MediaProcess> {
    const { logger } = options;
    const child = fork(CHILD_ENTRY, [], {
      execArgv: ['--import', tsxImportSpecifier()],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });

    return new Promise<MediaProcess>((resolve, reject) => {
      let instance: MediaProcess | null = null;
      let fatal: string | null = null;
      let settled = false;
      const fail = (message: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new Error(`embedded media: ${message}`));
      };
      const timer = setTimeout(() => {
        fail(`media process did not load @roamhq/wrtc within ${options.startupTimeoutMs} ms`);
        child.kill('SIGKILL');
      }, options.startupTimeoutMs);

      let resolveExit: (exit: ProcessExit) => void = () => undefined;
      const exited = new Promise<ProcessExit>((r) => (resolveExit = r));

      child.on('message', (message: ChildToParent) => {
        if (message.type === 'ready' && !settled) {
          settled = true;
          clearTimeout(timer);
          instance = new MediaProcess(child, message.pid, exited);
          logger.info({ pid: message.pid }, 'media process started');
          resolve(instance);
          return;
        }
        if (message.type === 'fatal') {
          fatal = message.message;
          return;
        }
        if (message.type === 'reply') {
          instance?.settle(message.requestId, message.result);
          return;
        }
        if (instance) options.onMessage(message);
      });
      child.on('error', (error) => {
        logger.error({ err: error }, 'media process error');
        fail(`could not start the media process (${error.message})`);
      });
      child.on('exit', (code, signal) => {
        const exit: ProcessExit = { code, signal, expected: instance?.stopping ?? false };
        fail(fatal ?? `media process exited during startup (code ${code}, signal ${signal})`);
        instance?.rejectAll(new Error('embedded media: media process exited'));
        resolveExit(exit);
        if (instance) options.onExit(exit, instance);
      });
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.connected;
  }

  send(message: ParentToChild): void {
    if (!this.alive) return;
    try {
      this.child.send(message);
    } catch {
      // The channel closed between the check and the send; the exit handler reports it.
    }
  }

  request(message: ParentToChild & { requestId: number }, timeoutMs: number): Promise<Reply> {
    if (!this.alive) return Promise.reject(new Error('embedded media: media process is not running'));
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(message.requestId);
        reject(new Error(`embedded media: no reply to '${message.type}' within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(message.requestId, { resolve, reject, timer });
      this.send(message);
    });
  }

  newRequestId(): number {
    return this.nextRequestId++;
  }

  /**
   * Asks the process to close its peers and exit; SIGKILL if it has not exited after `timeoutMs`.
   * Resolves with how it exited.
   */
  async stop(timeoutMs: number): Promise<ProcessExit> {
    this.stopping = true;
    this.send({ type: 'shutdown' });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const first = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (first !== 'timeout') return first;
    this.child.kill('SIGKILL');
    return this.exited;
  }

  private settle(requestId: number, result: Reply): void {
    const request = this.pending.get(requestId);
    if (!request) return;
    this.pending.delete(requestId);
    clearTimeout(request.timer);
    request.resolve(result);
  }

  private rejectAll(error: Error): void {
    for (const request of this.pending.values()) {
      clearTimeout(request.timer);
      request.reject(error);
    }
    this.pending.clear();
  }
}
