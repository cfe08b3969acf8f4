import { describe, expect, it } from 'vitest';
import { PveError } from '../http/errors.js';
import { std, optBool, optInt, optStr, dict } from './builders.js';
import { parsePropertyString, printPropertyString } from './property-string.js';
import { netFormat, memoryFormat } from './property-formats.js';
import { validateParams } from './validate.js';
import type { ParamSpec } from './types.js';
import { vmConfigOptions } from './vm-options.js';

const spec: ParamSpec = {
  additionalProperties: false,
  properties: {
    node: std.node,
    vmid: std.vmid,
    cores: optInt({ minimum: 1, maximum: 128 }),
    onboot: optBool(),
    name: optStr({ format: 'dns-name', maxLength: 10 }),
    net: { ...dict(netFormat), optional: true, maxIndex: 31 },
    memory: { ...dict(memoryFormat), optional: true },
  },
};
const rename = (s: ParamSpec, from: string, to: string): ParamSpec => {
  const { [from]: def, ...rest } = s.properties;
  return { ...s, properties: { ...rest, [to]: def! } };
};
const indexed = rename(spec, 'net', 'net[n]');

function errorsOf(raw: Record<string, unknown>, s: ParamSpec = indexed): Record<string, string> {
  try {
    validateParams(s, raw);
  } catch (err) {
    expect(err).toBeInstanceOf(PveError);
    expect((err as PveError).message).toBe('Parameter verification failed.\n');
    return (err as PveError).errors ?? {};
  }
  return {};
}

describe('validateParams', () => {
  it('converts types and keeps what is valid', () => {
    const out = validateParams(indexed, {
      node: 'pve1',
      vmid: '100',
      cores: '4',
      onboot: '1',
      net3: 'virtio,bridge=vmbr0',
    });
    expect(out).toEqual({ node: 'pve1', vmid: 100, cores: 4, onboot: true, net3: 'virtio,bridge=vmbr0' });
    expect(validateParams(indexed, { node: 'pve1', vmid: 100, onboot: false }).onboot).toBe(false);
  });

  it('checks in Proxmox order with Proxmox texts', () => {
    expect(errorsOf({ vmid: 'abc' })).toEqual({
      node: 'property is missing and it is not optional',
      vmid: "type check ('integer') failed - got 'abc'",
    });
    // format comes before minimum: 99 is not a VM ID before it is too small
    expect(errorsOf({ node: 'pve1', vmid: '99' }).vmid).toBe(
      'invalid format - value does not look like a valid VM ID\n',
    );
    expect(errorsOf({ node: 'pve1', vmid: 100, cores: 0 }).cores).toBe('value must have a minimum value of 1');
    expect(errorsOf({ node: 'pve1', vmid: 100, cores: 500 }).cores).toBe('value must have a maximum value of 128');
    expect(errorsOf({ node: 'pve1', vmid: 100, onboot: 'true' }).onboot).toBe(
      "type check ('boolean') failed - got 'true'",
    );
    expect(errorsOf({ node: 'pve1', vmid: 100, cores: true }).cores).toBe(
      "type check ('integer') failed - got JSON::PP::Boolean",
    );
    expect(errorsOf({ node: 'pve1', vmid: 100, name: 'a_b' }).name).toBe(
      'invalid format - value does not look like a valid DNS name\n',
    );
    expect(errorsOf({ node: 'pve1', vmid: 100, name: 'abcdefghijk' }).name).toBe(
      'value may only be 10 characters long',
    );
    expect(errorsOf({ node: '-x', vmid: 100 }).node).toBe(
      'invalid format - value does not look like a valid node name\n',
    );
  });

  it('expands indexed keys only within their range and refuses unknown ones', () => {
    expect(errorsOf({ node: 'pve1', vmid: 100, net31: 'virtio' })).toEqual({});
    const msg = 'property is not defined in schema and the schema does not allow additional properties';
    expect(errorsOf({ node: 'pve1', vmid: 100, net32: 'virtio', net01: 'virtio', foo: 1 })).toEqual({
      net32: msg,
      net01: msg,
      foo: msg,
    });
  });

  it('validates property strings with nested error paths', () => {
    expect(errorsOf({ node: 'pve1', vmid: 100, memory: '8' }).memory).toBe(
      'invalid format - format error\nmemory.current: value must have a minimum value of 16\n',
    );
    expect(errorsOf({ node: 'pve1', vmid: 100, net0: 'virtio,colour=red' }).net0).toBe(
      'invalid format - invalid key in comma-separated list property: colour\n',
    );
    expect(errorsOf({ node: 'pve1', vmid: 100, net0: 'virtio,tag=5000' }).net0).toBe(
      'invalid format - format error\nnet0.tag: value must have a maximum value of 4094\n',
    );
    expect(errorsOf({ node: 'pve1', vmid: 100, net0: 'virtio=01:00:00:00:00:01' }).net0).toBe(
      'invalid format - format error\nnet0.macaddr: invalid format - value does not look like a valid unicast MAC address\n\n',
    );
  });

  it('knows the VM option index ranges of BEHAVIOUR.md', () => {
    const vmSpec: ParamSpec = { additionalProperties: false, properties: vmConfigOptions };
    expect(() =>
      validateParams(vmSpec, {
        ipconfig31: 'ip=dhcp',
        scsi30: 'local-lvm:1',
        virtio15: 'local-lvm:1',
        sata5: 'local-lvm:1',
        ide3: 'none,media=cdrom',
        unused255: 'local-lvm:vm-100-disk-9',
      }),
    ).not.toThrow();
    for (const key of ['ipconfig32', 'scsi31', 'virtio16', 'sata6', 'ide4', 'unused256']) {
      expect(errorsOf({ [key]: 'x' }, vmSpec)[key], key).toMatch(/not defined in schema/);
    }
    expect(errorsOf({ sshkeys: 'ssh-rsa AAAA' }, vmSpec).sshkeys).toBe(
      'invalid format - invalid urlencoded string: ssh-rsa AAAA\n',
    );
    expect(errorsOf({ ipconfig0: 'ip=10.0.0.5' }, vmSpec).ipconfig0).toMatch(
      /ipconfig0\.ip: invalid format - value does not look like a valid ipv4 network configuration/,
    );
  });
});

describe('property strings', () => {
  it('parses the default key, aliases and booleans; prints them back', () => {
    const net = parsePropertyString(netFormat, 'virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=yes');
    expect(net).toEqual({ model: 'virtio', macaddr: 'BC:24:11:AA:BB:CC', bridge: 'vmbr0', firewall: '1' });
    expect(parsePropertyString(memoryFormat, '2048')).toEqual({ current: '2048' });
    expect(printPropertyString({ file: 'local-lvm:vm-100-disk-0', size: '32G', iothread: '1' }, 'file')).toBe(
      'local-lvm:vm-100-disk-0,iothread=1,size=32G',
    );
    expect(() => parsePropertyString(memoryFormat, '1024,2048')).toThrow(
      'duplicate key in comma-separated list property: current',
    );
  });
});
