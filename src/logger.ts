import pino from 'pino'

export type Logger = pino.Logger

/** Logs go to stderr as JSON lines: stdout belongs to the console chat channel. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'anju' } }, pino.destination(2))
}
