// Plain-object helpers for layering configuration sources (file, environment, flags).

export type Tree = Record<string, unknown>;

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

export function setPath(target: Tree, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isTree(node[key])) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1]!] = value;
}

export function getPath(source: Tree, path: readonly string[]): unknown {
  let node: unknown = source;
  for (const key of path) {
    if (!isTree(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Objects merge key by key; anything else (arrays included) in `over` replaces what `base` has. */
export function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isTree(v) && isTree(b) ? deepMerge(b, v) : v;
  }
  return out;
}

/** Dotted paths of every non-object value, e.g. `jobs.concurrency`. */
export function leafPaths(source: Tree, prefix = ''): string[] {
  return Object.entries(source).flatMap(([k, v]) => (isTree(v) ? leafPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
