import { describe, expect, it } from 'vitest';
import { DEFAULT_MASTER_CONFIG, mergeMasterConfig, parseMasterConfigFile } from '../../../../core/master/process/index.js';

const FILE = `
id: m1
peers: [m1, m2, m3]
nats: nats://127.0.0.1:4222
dataDir: /var/lib/drover/m1
grpcPort: 7401
`;

describe('the master config file', () => {
  it('fills the config; flags override the file; defaults fill the rest', () => {
    const c = mergeMasterConfig(parseMasterConfigFile(FILE, 'm1.yaml'), { grpcPort: 9000, nats: 'nats://127.0.0.1:5000' });
    expect(c).toEqual({
      ...DEFAULT_MASTER_CONFIG,
      id: 'm1',
      peers: ['m1', 'm2', 'm3'],
      natsUrl: 'nats://127.0.0.1:5000',
      dataDir: '/var/lib/drover/m1',
      grpcPort: 9000,
    });
  });

  it.each([
    ['an unknown key', 'id: m1\nbogus: 1\n', /m1\.yaml: bogus: Unrecognized key/],
    ['a wrong type', 'grpcPort: "7401"\n', /m1\.yaml: grpcPort: .*number/],
    ['malformed YAML', 'id: [m1\n', /m1\.yaml: malformed YAML/],
  ])('names the file and the key for %s', (_name, text, message) => {
    expect(() => parseMasterConfigFile(text, 'm1.yaml')).toThrow(message);
  });

  it('names what is missing, as flags', () => {
    expect(() => mergeMasterConfig({ peers: ['m1'] }, {})).toThrow('missing --id, --nats, --data-dir');
  });

  it('checks peer ids from the file too', () => {
    expect(() => mergeMasterConfig({ id: 'm1', peers: ['m1', 'M 2'], nats: 'x', dataDir: 'd' }, {})).toThrow(/--peers/);
  });
});
