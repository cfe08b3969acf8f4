import { describe, expect, it } from 'vitest';
import { banner, parseCli } from './cli.js';

describe('CLI', () => {
  it('maps flags to options, flags over defaults', () => {
    const { options, json } = parseCli([
      '--nodes',
      '4',
      '--port',
      '0',
      '--state-dir',
      '/tmp/x',
      '--time-scale',
      '0.5',
      '--persist',
      '--offline',
      'pve2:hang',
      '--error-rate',
      '0.1',
      '--admin-token-secret',
      'sec',
      '--json',
    ]);
    expect(options).toMatchObject({
      nodes: 4,
      port: 0,
      stateDir: '/tmp/x',
      timeScale: 0.5,
      persist: true,
      faults: { offlineNodes: { pve2: 'hang' }, errorRate: 0.1 },
      tokens: { admin: { secret: 'sec' } },
    });
    expect(json).toBe(true);
    expect(parseCli(['--nodes', 'alpha,beta']).options.nodes).toEqual(['alpha', 'beta']);
  });

  it('rejects unknown flags and bad values', () => {
    expect(() => parseCli(['--bogus'])).toThrow();
    expect(() => parseCli(['--port', 'abc'])).toThrow('--port needs a number');
    expect(() => parseCli(['--offline', 'pve2:later'])).toThrow();
  });

  it('prints everything needed to connect', () => {
    const text = banner(
      {
        url: 'https://127.0.0.1:8006',
        clusterName: 'c',
        nodes: ['pve1'],
        tokens: {
          admin: { id: 'root@pam!uni-manager', secret: 's1', header: 'PVEAPIToken=root@pam!uni-manager=s1' },
          readonly: { id: 'audit@pve!readonly', secret: 's2', header: 'x' },
        },
        rootPassword: 'pw',
        fingerprint: 'AA:BB',
        caPath: '/ca.pem',
        controlToken: 'ctl',
        stateDir: '/state',
      } as never,
      true,
    );
    for (const part of [
      'https://127.0.0.1:8006',
      'root@pam!uni-manager',
      's1',
      'audit@pve!readonly',
      's2',
      'pw',
      'AA:BB',
      '/ca.pem',
      'ctl',
    ]) {
      expect(text).toContain(part);
    }
  });
});
