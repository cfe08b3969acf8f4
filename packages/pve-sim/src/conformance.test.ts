/**
 * Holds the simulator to Proxmox's own API definition (the official 9.1 schema, read at run time):
 * 1. every operation's parameter spec matches the schema's (names, required-ness, types, enums,
 *    limits, formats, property-string keys), and so do name, permissions, token use and proxying;
 * 2. requests built from the schema are accepted, and rejected when a required parameter is
 *    missing, an unknown one added, or a value of the wrong type given;
 * 3. every response of a scripted scenario fits the schema's `returns`.
 * Skips when the schema directory is absent, unless PVE_SCHEMA_REQUIRED=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from './api/routes.js';
import type { Route } from './api/context.js';
import type { CheckExpr, Permission } from './auth/permissions.js';
import { validateParams } from './params/validate.js';
import type { ParamDef, PropertyKeyDef } from './params/types.js';
import { startTestSim, type Reply, type TestSim } from './testing/harness.js';
import {
  checkValue,
  invalidValue,
  KEY_ENDPOINTS_FILE,
  loadFullSchema,
  loadKeyEndpoints,
  type KeyEndpoints,
  sampleValue,
  schemaDir,
  type SchemaOperation,
  type SchemaProp,
} from './testing/schema.js';

const schema = loadKeyEndpoints();
const required = process.env.PVE_SCHEMA_REQUIRED === '1';
const schemaFile = `${schemaDir()}/${KEY_ENDPOINTS_FILE}`;

if (!schema) {
  console.warn(
    required
      ? `PVE conformance: ${schemaFile} not found and PVE_SCHEMA_REQUIRED=1`
      : `PVE conformance skipped: ${schemaFile} not found (set PVE_SCHEMA_DIR to the folder with the official schema)`,
  );
}

if (!schema) {
  describe('conformance with the PVE 9.1 schema (schema absent)', () => {
    if (required) {
      it('needs the official schema when PVE_SCHEMA_REQUIRED=1', () => {
        expect.fail(`${schemaFile} not found; set PVE_SCHEMA_DIR`);
      });
    } else {
      it.skip(`skipped: ${schemaFile} not found (set PVE_SCHEMA_DIR)`, () => {});
    }
  });
}

const checked = { spec: 0, requests: 0, responses: new Set<string>() };

let fullSchema: KeyEndpoints | undefined;
function schemaOp(route: Route): SchemaOperation | undefined {
  const key = schema?.[route.path]?.[route.method];
  if (key || !schema) return key;
  fullSchema ??= loadFullSchema();
  return fullSchema?.[route.path]?.[route.method];
}

function normalizeCheck(check: CheckExpr): unknown[] {
  const [test, ...rest] = check;
  if (test !== 'perm') return [test, ...(rest as CheckExpr[]).map(normalizeCheck)];
  const [path, privs, opts] = rest as [string, readonly string[], { any?: boolean; requireParam?: string }?];
  return [
    'perm',
    path,
    [...privs],
    ...(opts?.any ? ['any', 1] : []),
    ...(opts?.requireParam ? ['require_param', opts.requireParam] : []),
  ];
}

function normalizePermission(p: Permission): unknown {
  return 'user' in p ? { user: p.user } : { check: normalizeCheck(p.check) };
}

function compareKey(where: string, mine: PropertyKeyDef | ParamDef, theirs: SchemaProp, problems: string[]): void {
  const diff = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      problems.push(`${where}: ${what} is ${JSON.stringify(a)}, schema says ${JSON.stringify(b)}`);
  };
  if (theirs.alias !== undefined || (mine as PropertyKeyDef).alias !== undefined) {
    diff('alias', (mine as PropertyKeyDef).alias, theirs.alias);
    return;
  }
  diff('type', mine.type, theirs.type);
  diff('optional', !!mine.optional, !!theirs.optional);
  diff('enum', mine.enum ? [...mine.enum] : undefined, theirs.enum);
  diff('minimum', mine.minimum, theirs.minimum === undefined ? undefined : Number(theirs.minimum));
  diff('maximum', mine.maximum, theirs.maximum === undefined ? undefined : Number(theirs.maximum));
  diff('pattern', mine.pattern, theirs.pattern);
  if ('maxLength' in mine || theirs.maxLength !== undefined)
    diff('maxLength', (mine as ParamDef).maxLength, theirs.maxLength);
  if ('defaultKey' in mine || theirs.default_key !== undefined)
    diff('default_key', !!(mine as PropertyKeyDef).defaultKey, !!theirs.default_key);
  if (typeof theirs.format === 'object') {
    const ps = (mine as ParamDef).propertyString;
    if (!ps) {
      problems.push(`${where}: schema has a property-string format, the simulator none`);
      return;
    }
    diff('property-string keys', Object.keys(ps.keys).sort(), Object.keys(theirs.format).sort());
    for (const [k, def] of Object.entries(ps.keys)) {
      const t = theirs.format[k];
      if (t) compareKey(`${where}.${k}`, def, t, problems);
    }
  } else {
    diff('format', mine.format, theirs.format);
  }
}

function pathParams(route: Route): Record<string, string> {
  const samples: Record<string, string> = {
    node: 'pve1',
    vmid: '9000',
    snapname: 'snap1',
    storage: 'local',
    upid: 'UPID:pve1:00001234:00005678:65000000:qmstart:100:root@pam:',
  };
  const out: Record<string, string> = {};
  for (const m of route.path.matchAll(/\{(\w+)\}/g)) out[m[1] as string] = samples[m[1] as string] as string;
  return out;
}

function requiredSample(op: SchemaOperation, skip: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, p] of Object.entries(op.parameters?.properties ?? {})) {
    if (p.optional || skip.has(k) || k.endsWith('[n]')) continue;
    const v = sampleValue(k, p);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

describe.runIf(!!schema)('conformance with the PVE 9.1 schema', () => {
  it('implements every operation of the key endpoints', () => {
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(schema ?? {})) {
      for (const method of Object.keys(methods)) {
        if (!allRoutes.some((r) => r.path === path && r.method === method)) missing.push(`${method} ${path}`);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(schema ?? {})).toHaveLength(34);
  });

  it('describes each operation as the schema does: parameters, name, permissions, tokens, proxying', () => {
    const problems: string[] = [];
    for (const route of allRoutes) {
      const op = schemaOp(route);
      const id = `${route.method} ${route.path}`;
      if (!op) {
        problems.push(`${id}: not in the schema`);
        continue;
      }
      if (op.name !== route.name) problems.push(`${id}: name ${route.name}, schema ${op.name}`);
      if ((op.allowtoken ?? 1) !== (route.allowToken === false ? 0 : 1)) problems.push(`${id}: allowtoken differs`);
      if ((op.proxyto === 'node') !== !!route.proxyToNode) problems.push(`${id}: proxyto differs`);
      const { description: _d, ...perm } = op.permissions ?? {};
      if (JSON.stringify(perm) !== JSON.stringify(normalizePermission(route.permissions))) {
        problems.push(
          `${id}: permissions ${JSON.stringify(normalizePermission(route.permissions))}, schema ${JSON.stringify(perm)}`,
        );
      }
      const theirs = op.parameters?.properties ?? {};
      const mine = route.params.properties;
      const names = (o: object) => Object.keys(o).sort();
      if (JSON.stringify(names(mine)) !== JSON.stringify(names(theirs))) {
        const a = names(mine).filter((n) => !(n in theirs));
        const b = names(theirs).filter((n) => !(n in mine));
        problems.push(`${id}: parameters only here ${JSON.stringify(a)}, only in schema ${JSON.stringify(b)}`);
      }
      if (!!op.parameters?.additionalProperties !== !!route.params.additionalProperties)
        problems.push(`${id}: additionalProperties differs`);
      for (const [name, def] of Object.entries(mine)) {
        const t = theirs[name];
        if (!t) continue;
        compareKey(`${id} ${name}`, def, t, problems);
        if (name.endsWith('[n]') && def.maxIndex === undefined) problems.push(`${id} ${name}: no index range`);
      }
      checked.spec++;
    }
    expect(problems).toEqual([]);
  });

  it('accepts parameters built from the schema, one by one', () => {
    const problems: string[] = [];
    for (const route of allRoutes) {
      const op = schemaOp(route);
      if (!op) continue;
      const base = { ...requiredSample(op, new Set()), ...pathParams(route) };
      const attempt = (params: Record<string, string>, what: string) => {
        try {
          validateParams(route.params, params);
        } catch (err) {
          problems.push(
            `${route.method} ${route.path} ${what}: ${JSON.stringify((err as { errors?: unknown }).errors ?? String(err))}`,
          );
        }
      };
      attempt(base, 'required only');
      for (const [name, p] of Object.entries(op.parameters?.properties ?? {})) {
        if (!p.optional) continue;
        const key = name.endsWith('[n]') ? name.replace('[n]', '0') : name;
        const v = sampleValue(name, p);
        if (v !== undefined) attempt({ ...base, [key]: v }, `with ${key}=${v}`);
      }
      checked.requests++;
    }
    expect(problems).toEqual([]);
  });

  describe('over HTTPS', () => {
    let t: TestSim;
    beforeAll(async () => {
      t = await startTestSim({ nodes: 2 });
    });
    afterAll(async () => {
      await t?.sim.close();
    });

    it('rejects a missing required parameter, an unknown one, and a value of the wrong type', async () => {
      const problems: string[] = [];
      for (const route of allRoutes) {
        const op = schemaOp(route);
        if (!op) continue;
        const client =
          route.permissions && 'user' in route.permissions && route.permissions.user === 'world' ? t.anon : t.api;
        const pp = pathParams(route);
        const path = route.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(pp[k] as string));
        const base = requiredSample(op, new Set(Object.keys(pp)));
        const send = (params: Record<string, string>) =>
          route.method === 'GET' || route.method === 'DELETE'
            ? client.request(route.method, path, { query: params })
            : client.request(route.method, path, { body: params });
        const expect400 = (r: Reply, key: string, text: RegExp | string, what: string) => {
          const got = r.json?.errors?.[key];
          const ok =
            r.status === 400 && got !== undefined && (typeof text === 'string' ? got === text : text.test(got));
          if (!ok) problems.push(`${route.method} ${route.path} ${what}: ${r.status} ${r.text}`);
        };
        const unknown = await send({ ...base, zz_unknown: '1' });
        expect400(
          unknown,
          'zz_unknown',
          'property is not defined in schema and the schema does not allow additional properties',
          'unknown',
        );
        const req = Object.keys(base)[0];
        if (req) {
          const { [req]: _omit, ...rest } = base;
          expect400(await send(rest), req, 'property is missing and it is not optional', `missing ${req}`);
        }
        const target = Object.entries(op.parameters?.properties ?? {}).find(
          ([k, p]) => !(k in pp) && !k.endsWith('[n]') && invalidValue(p) !== undefined,
        );
        if (target) {
          const [k, p] = target;
          expect400(await send({ ...base, [k]: invalidValue(p) as string }), k, /./, `bad ${k}`);
        }
        checked.requests++;
      }
      expect(problems).toEqual([]);
    });

    it('answers every operation of a scripted scenario with data that fits the schema', async () => {
      const problems: string[] = [];
      const api = t.api;
      const check = async <T = unknown>(
        method: string,
        schemaPath: string,
        promise: Promise<Reply>,
        opts = {},
      ): Promise<T> => {
        const r = await promise;
        const op = schema?.[schemaPath]?.[method];
        if (r.status !== 200) problems.push(`${method} ${schemaPath}: ${r.status} ${r.text}`);
        else problems.push(...checkValue(op?.returns, r.json?.data, `${method} ${schemaPath}`, opts));
        checked.responses.add(`${method} ${schemaPath}`);
        return r.json?.data as T;
      };
      const task = async (method: string, schemaPath: string, promise: Promise<Reply>) => {
        const upid = await check<string>(method, schemaPath, promise);
        const st = await api.waitTask(upid);
        if (st.exitstatus !== 'OK') problems.push(`${method} ${schemaPath}: task ${st.exitstatus}`);
        return upid;
      };
      const vm = '/nodes/{node}/qemu/{vmid}';

      await check('GET', '/access/ticket', t.anon.get('/access/ticket'));
      await check(
        'POST',
        '/access/ticket',
        t.anon.post('/access/ticket', { username: 'root@pam', password: t.sim.rootPassword }),
      );
      await check('GET', '/version', api.get('/version'));
      await check('GET', '/cluster/status', api.get('/cluster/status'));
      await check('GET', '/cluster/resources', api.get('/cluster/resources'));
      await check('GET', '/cluster/nextid', api.get('/cluster/nextid'), { integerAsString: true });
      await check('GET', '/nodes', api.get('/nodes'));
      await check('GET', '/nodes/{node}/status', api.get('/nodes/pve1/status'));
      await check('GET', '/nodes/{node}/qemu', api.get('/nodes/pve1/qemu', { full: 1 }));
      await task(
        'POST',
        '/nodes/{node}/qemu',
        api.post('/nodes/pve1/qemu', {
          vmid: 300,
          name: 'conformance',
          memory: '1024',
          cores: 1,
          ostype: 'l26',
          scsihw: 'virtio-scsi-single',
          scsi0: 'local-lvm:4,iothread=1',
          ide2: 'local-lvm:cloudinit',
          net0: 'virtio,bridge=vmbr0',
          boot: 'order=scsi0',
        }),
      );
      await check('GET', vm, api.get('/nodes/pve1/qemu/300'));
      await check('GET', `${vm}/config`, api.get('/nodes/pve1/qemu/300/config'));
      await task(
        'POST',
        `${vm}/config`,
        api.post('/nodes/pve1/qemu/300/config', { ciuser: 'demo', ipconfig0: 'ip=dhcp' }),
      );
      await check('PUT', `${vm}/config`, api.put('/nodes/pve1/qemu/300/config', { description: 'conformance run' }));
      await check('GET', `${vm}/pending`, api.get('/nodes/pve1/qemu/300/pending'));
      await task('PUT', `${vm}/resize`, api.put('/nodes/pve1/qemu/300/resize', { disk: 'scsi0', size: '+1G' }));
      await task('POST', `${vm}/status/start`, api.post('/nodes/pve1/qemu/300/status/start'));
      await check('GET', `${vm}/status/current`, api.get('/nodes/pve1/qemu/300/status/current'));
      await task('POST', `${vm}/status/suspend`, api.post('/nodes/pve1/qemu/300/status/suspend'));
      await task('POST', `${vm}/status/resume`, api.post('/nodes/pve1/qemu/300/status/resume'));
      await task('POST', `${vm}/status/reboot`, api.post('/nodes/pve1/qemu/300/status/reboot'));
      await task('POST', `${vm}/status/reset`, api.post('/nodes/pve1/qemu/300/status/reset'));
      await task('POST', `${vm}/status/shutdown`, api.post('/nodes/pve1/qemu/300/status/shutdown'));
      await task('POST', `${vm}/status/start`, api.post('/nodes/pve1/qemu/300/status/start'));
      await check('GET', `${vm}/status/current`, api.get('/nodes/pve1/qemu/300/status/current'));
      await task(
        'POST',
        `${vm}/snapshot`,
        api.post('/nodes/pve1/qemu/300/snapshot', { snapname: 'snap1', vmstate: 1 }),
      );
      await check('GET', `${vm}/snapshot`, api.get('/nodes/pve1/qemu/300/snapshot'));
      await check('GET', `${vm}/snapshot/{snapname}`, api.get('/nodes/pve1/qemu/300/snapshot/snap1'));
      await check('GET', `${vm}/config`, api.get('/nodes/pve1/qemu/300/config', { snapshot: 'snap1' }));
      await task(
        'POST',
        `${vm}/snapshot/{snapname}/rollback`,
        api.post('/nodes/pve1/qemu/300/snapshot/snap1/rollback'),
      );
      await task('DELETE', `${vm}/snapshot/{snapname}`, api.del('/nodes/pve1/qemu/300/snapshot/snap1'));
      await task('POST', `${vm}/clone`, api.post('/nodes/pve1/qemu/9000/clone', { newid: 301, name: 'tpl' }));
      await task('POST', `${vm}/template`, api.post('/nodes/pve1/qemu/301/template', { disk: 'scsi0' }));
      const proxy = await check<{ port: number; ticket: string }>(
        'POST',
        `${vm}/vncproxy`,
        api.post('/nodes/pve1/qemu/300/vncproxy', { websocket: 1 }),
      );
      await check(
        'GET',
        `${vm}/vncwebsocket`,
        api.get('/nodes/pve1/qemu/300/vncwebsocket', { port: proxy.port, vncticket: proxy.ticket }),
      );
      const backup = await task(
        'POST',
        '/nodes/{node}/vzdump',
        api.post('/nodes/pve1/vzdump', { vmid: '300', storage: 'local', mode: 'snapshot' }),
      );
      await check('GET', '/nodes/{node}/storage/{storage}/content', api.get('/nodes/pve1/storage/local/content'));
      await check('GET', '/nodes/{node}/storage/{storage}/content', api.get('/nodes/pve1/storage/local-lvm/content'));
      await check(
        'POST',
        '/nodes/{node}/storage/{storage}/content',
        api.post('/nodes/pve1/storage/local-lvm/content', { vmid: 300, filename: 'vm-300-disk-5', size: '1G' }),
      );
      const upid = encodeURIComponent(backup);
      await check('GET', '/nodes/{node}/tasks', api.get('/nodes/pve1/tasks', { source: 'all', limit: 100 }));
      await check('GET', '/nodes/{node}/tasks/{upid}', api.get(`/nodes/pve1/tasks/${upid}`));
      await check('GET', '/nodes/{node}/tasks/{upid}/status', api.get(`/nodes/pve1/tasks/${upid}/status`));
      await check('GET', '/nodes/{node}/tasks/{upid}/log', api.get(`/nodes/pve1/tasks/${upid}/log`));
      await check('GET', '/cluster/tasks', api.get('/cluster/tasks'));
      const long = await api.data<string>(api.post('/nodes/pve1/qemu/9000/clone', { newid: 302, full: 1 }));
      await check('DELETE', '/nodes/{node}/tasks/{upid}', api.del(`/nodes/pve1/tasks/${encodeURIComponent(long)}`));
      expect((await api.waitTask(long)).exitstatus).toBe('clone failed: interrupted by signal');
      await task('POST', `${vm}/status/stop`, api.post('/nodes/pve1/qemu/300/status/stop'));
      await task('DELETE', vm, api.del('/nodes/pve1/qemu/300', { purge: 1 }));
      await check('GET', '/cluster/resources', api.get('/cluster/resources'));
      await check('POST', '/nodes/{node}/status', api.post('/nodes/pve2/status', { command: 'shutdown' }));

      expect(problems).toEqual([]);
      const all = Object.entries(schema ?? {}).flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m} ${p}`));
      expect(all.filter((op) => !checked.responses.has(op))).toEqual([]);
    });
  });

  afterAll(() => {
    console.info(
      `PVE conformance: ${checked.spec} operations' parameter specs compared, ${checked.requests} request checks, ` +
        `${checked.responses.size} operations' responses validated against ${KEY_ENDPOINTS_FILE}`,
    );
  });
});
