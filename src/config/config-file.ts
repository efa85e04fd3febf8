// The JSON file named by MELIES_CONFIG. It takes the environment names README documents
// (`{"MELIES_PORT": 9001, "RUNWAY_API_KEY": "…"}`, values as JSON numbers, booleans or strings)
// and the structured form the engine guides use (`{"cloud": {…}, "comfyui": {…}}`), in one file.
// Unknown keys are not dropped here: the strict schema refuses them, by name (config-errors.ts).
import { readFileSync } from 'node:fs';
import { ConfigError } from './config-errors.js';
import { deepMerge, getPath, setPath, type Tree } from './tree.js';

export interface ConfigFile {
  /** Structured input, environment names already moved to where they land. */
  input: Tree;
  /** Dotted path → the environment name that set it, so errors speak the name the file used. */
  names: Map<string, string>;
}

export function readConfigFile(file: string, envMap: Readonly<Record<string, readonly string[]>>): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`MELIES_CONFIG points at ${file}, which cannot be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(`${file} must hold one JSON object, e.g. {"MELIES_PORT": 9001}`);
  }
  const structured: Tree = {};
  const byName: Tree = {};
  const names = new Map<string, string>();
  for (const [key, value] of Object.entries(json as Tree)) {
    const path = Object.hasOwn(envMap, key) ? envMap[key]! : undefined;
    if (!path) {
      structured[key] = value;
      continue;
    }
    setPath(byName, path, value);
    names.set(path.join('.'), key);
  }
  // Both spellings of one setting in one file: which should win is a guess, so ask.
  const clashes = [...names].filter(([path]) => getPath(structured, path.split('.')) !== undefined);
  if (clashes.length) {
    const lines = clashes.map(([path, name]) => `  ${name} and ${path} are the same setting; keep one`);
    throw new ConfigError(`Invalid configuration in ${file}:\n${lines.join('\n')}`);
  }
  return { input: deepMerge(structured, byName), names };
}
