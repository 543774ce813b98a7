/** `npm start`: parse config, start every part, stop cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startAttest, StartupError } from './app.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  let attest;
  try {
    attest = await startAttest(config, logger);
  } catch (error) {
    const known = error instanceof StartupError || (error instanceof Error && error.name === 'ScriptError');
    console.error(known ? `Attest could not start: ${(error as Error).message}` : error);
    process.exit(1);
  }
  process.stdout.write(`Attest is running: open ${config.publicUrl}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    attest
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
