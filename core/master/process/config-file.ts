import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_MASTER_CONFIG, parsePeers, type MasterConfig } from './config.js';

/**
 * A master's config file (YAML), e.g.
 *
 *   id: m1
 *   peers: [m1, m2, m3]
 *   nats: nats://10.0.0.5:4222
 *   dataDir: /var/lib/drover/m1
 *   grpcPort: 7401
 *   httpPort: 7411
 *
 * Every key is optional; flags given on the command line override the file,
 * and the file overrides the defaults.
 */
const FILE_SCHEMA = z
  .object({
    id: z.string(),
    peers: z.union([z.array(z.string()), z.string()]),
    nats: z.string(),
    dataDir: z.string(),
    grpcPort: z.number().int(),
    httpPort: z.number().int(),
    host: z.string(),
    tickMs: z.number().int().positive(),
    electionTicks: z.number().int().positive(),
    requestTimeoutMs: z.number().int().positive(),
    compactionIntervalMs: z.number().int().nonnegative(),
    nodeMonitorGraceMs: z.number().int().positive(),
    podEvictionTimeoutMs: z.number().int().nonnegative(),
  })
  .partial()
  .strict();

export type MasterConfigFile = z.infer<typeof FILE_SCHEMA>;

/** Parses a config file's text; errors name the file, and the key or line. */
export function parseMasterConfigFile(text: string, fileName: string): MasterConfigFile {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (e) {
    throw new Error(`${fileName}: malformed YAML: ${(e as Error).message}`);
  }
  const r = FILE_SCHEMA.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '<root>');
    throw new Error(`${fileName}: ${key}: ${issue.message}`);
  }
  return r.data;
}

/** Defaults, then the file, then the flags given on the command line. */
export function mergeMasterConfig(file: MasterConfigFile, flags: Partial<MasterConfigFile>): MasterConfig {
  // Keys a flag did not set are absent (commander sets only what was given).
  const m = { ...file, ...flags };
  const missing = (['id', 'peers', 'nats', 'dataDir'] as const).filter((k) => m[k] === undefined);
  if (missing.length > 0) throw new Error(`missing ${missing.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} (a flag, or a key of --config)`);
  const peers = Array.isArray(m.peers) ? parsePeers(m.peers.join(',')) : parsePeers(m.peers!);
  return {
    id: m.id!,
    peers,
    natsUrl: m.nats!,
    dataDir: m.dataDir!,
    grpcPort: m.grpcPort ?? DEFAULT_MASTER_CONFIG.grpcPort,
    httpPort: m.httpPort ?? DEFAULT_MASTER_CONFIG.httpPort,
    host: m.host ?? DEFAULT_MASTER_CONFIG.host,
    tickMs: m.tickMs ?? DEFAULT_MASTER_CONFIG.tickMs,
    electionTicks: m.electionTicks ?? DEFAULT_MASTER_CONFIG.electionTicks,
    requestTimeoutMs: m.requestTimeoutMs ?? DEFAULT_MASTER_CONFIG.requestTimeoutMs,
    compactionIntervalMs: m.compactionIntervalMs ?? DEFAULT_MASTER_CONFIG.compactionIntervalMs,
    ...(m.nodeMonitorGraceMs !== undefined || m.podEvictionTimeoutMs !== undefined
      ? {
          nodeLifecycle: {
            ...(m.nodeMonitorGraceMs !== undefined ? { nodeMonitorGracePeriodMs: m.nodeMonitorGraceMs } : {}),
            ...(m.podEvictionTimeoutMs !== undefined ? { podEvictionTimeoutMs: m.podEvictionTimeoutMs } : {}),
          },
        }
      : {}),
  };
}
