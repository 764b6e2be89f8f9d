import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/**
 * Key names that may hold secrets. pino's redaction censors them wherever they appear at the top
 * level or one level down of a log object, so a careless `log.debug({ subscriber })` cannot leak K,
 * OP/OPc, passwords, HA1, RES/XRES or CK/IK.
 */
export const SECRET_KEYS = [
  "k",
  "K",
  "key",
  "op",
  "opc",
  "OP",
  "OPc",
  "password",
  "secret",
  "ha1",
  "HA1",
  "res",
  "xres",
  "ck",
  "ik",
  "token",
] as const;

const redactPaths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`]);

export interface LoggerConfig {
  /** pino level; defaults to LOG_LEVEL or "info". */
  readonly level?: string;
  /** Write to this destination instead of stdout (tests pass a stream to inspect lines). */
  readonly destination?: NodeJS.WritableStream;
}

/** The project's root logger. Each node takes one child: `rootLogger().child({ node: "scscf1" })`. */
export function createLogger(config: LoggerConfig = {}): Logger {
  const options: LoggerOptions = {
    level: config.level ?? process.env["LOG_LEVEL"] ?? "info",
    redact: { paths: redactPaths, censor: "[redacted]" },
    base: { pid: process.pid },
  };
  return config.destination === undefined ? pino(options) : pino(options, config.destination);
}

/** A logger for one network function, tagged with its node name. */
export function nodeLogger(node: string, config: LoggerConfig = {}): Logger {
  return createLogger(config).child({ node });
}

/** A logger that discards everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
