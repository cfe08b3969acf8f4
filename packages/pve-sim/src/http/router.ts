/** The route table: one entry per operation, matched on method and path template. */
import type { Identity } from '../auth/identities.js';
import type { Permission } from '../auth/permissions.js';
import type { Params, ParamSpec } from '../params/types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  /** Validated parameters: path, query and body merged, typed. */
  params: Params;
  /** The caller; undefined only on endpoints open to the world (login). */
  identity: Identity | undefined;
  /** `total` of the response envelope (task lists, task logs). */
  setTotal(total: number): void;
  /** `changes` of the response envelope. */
  setChanges(changes: unknown): void;
}

export interface RouteDef<Ctx> {
  method: HttpMethod;
  /** As in the schema: `/nodes/{node}/qemu/{vmid}/status/start`. */
  path: string;
  /** The schema's operation name (`vm_start`). */
  name: string;
  params: ParamSpec;
  permissions: Permission;
  /** Proxmox's `allowtoken`; false answers API tokens with a 403. Default true. */
  allowToken?: boolean;
  /** The real API proxies this call to the node named in the path (`proxyto => 'node'`). */
  proxyToNode?: boolean;
  handler(req: ApiRequest, ctx: Ctx): unknown;
}

interface Compiled<Ctx> {
  route: RouteDef<Ctx>;
  regex: RegExp;
  names: string[];
}

export interface RouteMatch<Ctx> {
  route: RouteDef<Ctx>;
  pathParams: Record<string, string>;
}

export class Router<Ctx> {
  private readonly compiled: Compiled<Ctx>[];

  constructor(readonly routes: readonly RouteDef<Ctx>[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { route, regex: new RegExp(`^${source}/?$`), names };
    });
  }

  match(method: string, path: string): RouteMatch<Ctx> | undefined {
    for (const c of this.compiled) {
      if (c.route.method !== method) continue;
      const m = c.regex.exec(path);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      c.names.forEach((name, i) => {
        const raw = m[i + 1] as string;
        try {
          pathParams[name] = decodeURIComponent(raw);
        } catch {
          pathParams[name] = raw;
        }
      });
      return { route: c.route, pathParams };
    }
    return undefined;
  }
}
