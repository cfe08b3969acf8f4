/**
 * @peculiar/x509 resolves its algorithm providers through tsyringe, which refuses to load without
 * the Reflect metadata API (normally the `reflect-metadata` package). These few functions are all
 * tsyringe and tslib use; they are installed only when no polyfill is present, with the same
 * semantics (own metadata per target and property, lookup along the prototype chain).
 */
type Key = string | symbol | undefined;

const store = new WeakMap<object, Map<Key, Map<unknown, unknown>>>();

function own(target: object, property: Key, create: boolean): Map<unknown, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let map = byProperty.get(property);
  if (!map && create) {
    map = new Map();
    byProperty.set(property, map);
  }
  return map;
}

interface ReflectMetadata {
  defineMetadata(key: unknown, value: unknown, target: object, property?: Key): void;
  getOwnMetadata(key: unknown, target: object, property?: Key): unknown;
  getMetadata(key: unknown, target: object, property?: Key): unknown;
  hasOwnMetadata(key: unknown, target: object, property?: Key): boolean;
  hasMetadata(key: unknown, target: object, property?: Key): boolean;
  metadata(key: unknown, value: unknown): (target: object, property?: Key) => void;
}

export function installReflectMetadata(): void {
  const r = Reflect as unknown as Partial<ReflectMetadata>;
  if (typeof r.getMetadata === 'function') return;
  const api: ReflectMetadata = {
    defineMetadata: (key, value, target, property) => void own(target, property, true)?.set(key, value),
    getOwnMetadata: (key, target, property) => own(target, property, false)?.get(key),
    hasOwnMetadata: (key, target, property) => own(target, property, false)?.has(key) ?? false,
    getMetadata: (key, target, property) => {
      for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
        const map = own(t, property, false);
        if (map?.has(key)) return map.get(key);
      }
      return undefined;
    },
    hasMetadata: (key, target, property) => {
      for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
        if (own(t, property, false)?.has(key)) return true;
      }
      return false;
    },
    metadata: (key, value) => (target, property) => api.defineMetadata(key, value, target, property),
  };
  Object.assign(Reflect, api);
}

installReflectMetadata();
