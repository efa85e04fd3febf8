// Workflow templates: an API-format ComfyUI graph (what "Export (API)" saves) plus a small mapping
// file naming which node input receives each Méliès parameter, the frame-count rule of its latent
// node, and the model card it publishes as `comfyui/<id>`. Bundled templates and the operator's own
// are the same two files, read once at startup; a broken file stops startup with its name.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EngineError } from '../../domain/errors.js';
import { cardProblems, ModelCardSchema, SecondsRange, type ModelCard } from '../../domain/model-card.js';
import type { EngineJob } from '../engine.js';

/** `{"<nodeId>": {"class_type", "inputs": {name: literal | [srcNodeId, outputIndex]}, "_meta"?}}` */
export type ApiGraph = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } }>;

const Target = z.object({ node: z.string().min(1), input: z.string().min(1) });
const Targets = z.union([Target, z.array(Target).min(1)]).transform((t) => (Array.isArray(t) ? t : [t]));
const Int = z.number().int().positive();

export const MappingSchema = z.object({
  label: z.string().min(1).optional(),
  description: z.string().min(1).optional(),
  inputs: z.object({
    prompt: Targets,
    negative_prompt: Targets.optional(),
    seed: Targets.optional(),
    width: Targets,
    height: Targets,
    frames: Targets,
    fps: Targets.optional(),
    /** The LoadImage input that receives the uploaded file; `optional` drops that node without one. */
    image: Target.extend({ optional: z.boolean().default(false) }).optional(),
    /**
     * A first-last-frame workflow's second LoadImage (e.g. Wan's WanFirstLastFrameToVideo
     * end_image): it receives `last_frame`, and the card says `lastFrame`. Optional by default.
     */
    last_frame: Target.extend({ optional: z.boolean().default(true) }).optional(),
  }),
  /** The latent node takes `step·n + 1` frames (Wan: 4, LTX-Video: 8); 1 means any count. */
  frames: z.object({ step: Int.default(1) }).prefault({}),
  card: z.object({
    seconds: z.union([z.array(Int).min(1), SecondsRange]),
    default_seconds: Int.optional(),
    sizes: z.array(z.string().regex(/^\d+x\d+$/)).min(1),
    default_size: z.string().regex(/^\d+x\d+$/).optional(),
    size_range: z.object({ min_width: Int, max_width: Int, min_height: Int, max_height: Int, max_pixels: Int, multiple_of: Int }).optional(),
    fps: z.array(Int).min(1),
    default_fps: Int.optional(),
  }),
  /** Model files the graph loads: where they go under ComfyUI/models/ and where to get them. */
  models: z.record(z.string(), z.object({ folder: z.string().min(1), url: z.string().url().optional() })).default({}),
  /** Share of the progress bar per node id (defaults: samplers most, decoding some, the rest a little). */
  progress: z.record(z.string(), z.number().positive()).optional(),
});
export type TemplateMapping = z.infer<typeof MappingSchema>;

export interface WorkflowTemplate {
  id: string;
  modelId: string;
  workflow: ApiGraph;
  mapping: TemplateMapping;
  /** The card as configured; `available` is decided per request from the servers. */
  card: ModelCard;
  /** Where it was read from, for messages. */
  source: string;
}

/** Bundled templates live beside the source; the path works from src/ (tsx) and dist/ alike. */
export const BUNDLED_TEMPLATES_DIR = fileURLToPath(new URL('../../../src/engines/comfyui/templates/', import.meta.url));

const TEMPLATE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`ComfyUI template file ${path} cannot be read: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`ComfyUI template file ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Every node input the mapping writes, with the Méliès parameter it receives (the image too). */
export function mappedTargets(mapping: TemplateMapping): { param: string; node: string; input: string }[] {
  return Object.entries(mapping.inputs).flatMap(([param, t]) => (Array.isArray(t) ? t : t ? [t] : []).map((x) => ({ param, node: x.node, input: x.input })));
}

/** Checks the graph is API format and every mapped node input exists in it. */
function graphProblems(graph: unknown, mapping: TemplateMapping): string[] {
  if (!graph || typeof graph !== 'object' || Array.isArray(graph)) return ['the workflow is not an object of nodes'];
  const g = graph as Record<string, unknown>;
  if ('nodes' in g && 'links' in g) return ['this is a UI-format workflow; export it with "Export (API)" (or enable dev mode options) instead'];
  const problems: string[] = [];
  for (const [id, node] of Object.entries(g)) {
    const n = node as { class_type?: unknown; inputs?: unknown };
    if (typeof n?.class_type !== 'string' || !n.inputs || typeof n.inputs !== 'object') problems.push(`node ${id} has no class_type or inputs`);
  }
  if (problems.length) return problems;
  const nodes = graph as ApiGraph;
  for (const { param, ...t } of mappedTargets(mapping)) {
    const node = nodes[t.node];
    if (!node) problems.push(`mapping '${param}' names node ${t.node}, which is not in the workflow`);
    else if (!(t.input in node.inputs)) problems.push(`mapping '${param}' names input '${t.input}' of node ${t.node} (${node.class_type}), which has no such input`);
  }
  return problems;
}

function buildCard(id: string, mapping: TemplateMapping): ModelCard {
  const c = mapping.card;
  const seconds = c.seconds;
  const r = c.size_range;
  const card = ModelCardSchema.parse({
    id: `comfyui/${id}`,
    engine: 'comfyui',
    label: mapping.label ?? `${id} (ComfyUI)`,
    description: mapping.description ?? `The ComfyUI workflow '${id}', run on your own GPU servers.`,
    kind: 'local-model',
    seconds,
    defaultSeconds: c.default_seconds ?? (Array.isArray(seconds) ? seconds[0] : seconds.min),
    sizes: c.sizes,
    defaultSize: c.default_size ?? c.sizes[0],
    ...(r ? { sizeRange: { minWidth: r.min_width, maxWidth: r.max_width, minHeight: r.min_height, maxHeight: r.max_height, maxPixels: r.max_pixels, multipleOf: r.multiple_of } } : {}),
    fps: c.fps,
    defaultFps: c.default_fps ?? c.fps[0],
    inputs: mapping.inputs.image || mapping.inputs.last_frame ? ['text', 'image'] : ['text'],
    // ComfyUI's LoadImage reads anything Pillow does; the server's own caps (uploads.*) apply.
    ...(mapping.inputs.image || mapping.inputs.last_frame ? { imageInput: { types: ['image/png', 'image/jpeg', 'image/webp'] } } : {}),
    ...(mapping.inputs.last_frame ? { lastFrame: true } : {}),
    seed: Boolean(mapping.inputs.seed),
    remix: true,
    audio: false,
    negativePrompt: Boolean(mapping.inputs.negative_prompt),
    available: false,
  });
  return card;
}

/** Reads one template from its two files; throws an Error naming the file and every problem. */
export function loadTemplate(workflowPath: string, mappingPath: string): WorkflowTemplate {
  const id = basename(workflowPath).replace(/\.workflow\.json$|\.json$/, '');
  if (!TEMPLATE_ID.test(id)) throw new Error(`ComfyUI template ${workflowPath}: the id '${id}' (from the file name) must be lower-case letters, digits, '.', '_' or '-'`);
  const parsed = MappingSchema.safeParse(readJson(mappingPath));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`ComfyUI template mapping ${mappingPath} is invalid:\n${lines.join('\n')}`);
  }
  const mapping = parsed.data;
  const workflow = readJson(workflowPath);
  const problems = graphProblems(workflow, mapping);
  if (problems.length) throw new Error(`ComfyUI template ${workflowPath}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const card = buildCard(id, mapping);
  const cardIssues = cardProblems(card);
  if (cardIssues.length) throw new Error(`ComfyUI template mapping ${mappingPath}: card ${cardIssues.join('; ')}`);
  return { id, modelId: card.id, workflow: workflow as ApiGraph, mapping, card, source: workflowPath };
}

/** Every `<id>.workflow.json` with its `<id>.mapping.json` in a folder. */
export function loadTemplateDir(dir: string): WorkflowTemplate[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new Error(`ComfyUI templates folder ${dir} cannot be read: ${(err as Error).message}`);
  }
  return names.filter((n) => n.endsWith('.workflow.json')).sort()
    .map((n) => loadTemplate(join(dir, n), join(dir, n.replace(/\.workflow\.json$/, '.mapping.json'))));
}

export function loadTemplates(opts: { bundled: boolean; dir: string | null; files: { workflow: string; mapping: string }[] }): WorkflowTemplate[] {
  const all = [
    ...(opts.bundled ? loadTemplateDir(BUNDLED_TEMPLATES_DIR) : []),
    ...(opts.dir ? loadTemplateDir(opts.dir) : []),
    ...opts.files.map((f) => loadTemplate(f.workflow, f.mapping)),
  ];
  // The operator's own template replaces a bundled one of the same id (e.g. a tuned Wan graph).
  const byId = new Map<string, WorkflowTemplate>();
  for (const t of all) byId.set(t.id, t);
  return [...byId.values()];
}

/** Frames the latent node is asked for: the least `step·n + 1` that covers seconds × fps. */
export function framesFor(step: number, seconds: number, fps: number): number {
  const wanted = seconds * fps;
  if (step <= 1) return wanted;
  return Math.ceil((wanted - 1) / step) * step + 1;
}

/**
 * The graph to submit for one job: the template with the job's values written into the mapped
 * inputs. Without an image, an optional LoadImage node is removed with every link to it (Wan's
 * start_image is optional: no image means text to video).
 */
export function buildPrompt(t: WorkflowTemplate, job: EngineJob, imageName: string | null, lastFrameName: string | null = null): ApiGraph {
  const graph = structuredClone(t.workflow);
  const set = (targets: { node: string; input: string }[] | undefined, value: unknown) => {
    for (const x of targets ?? []) graph[x.node]!.inputs[x.input] = value;
  };
  const m = t.mapping.inputs;
  set(m.prompt, job.prompt);
  if (job.negativePrompt) set(m.negative_prompt, job.negativePrompt);
  set(m.seed, job.seed);
  set(m.width, job.width);
  set(m.height, job.height);
  set(m.frames, framesFor(t.mapping.frames.step, job.seconds, job.fps));
  set(m.fps, job.fps);
  if (m.image) {
    if (imageName) set([m.image], imageName);
    else if (m.image.optional) removeNode(graph, m.image.node);
    else throw new EngineError('invalid_input_reference', `The model ${t.modelId} needs an input image (input_reference); none was given.`);
  }
  if (m.last_frame) {
    if (lastFrameName) set([m.last_frame], lastFrameName);
    else if (m.last_frame.optional) removeNode(graph, m.last_frame.node);
    else throw new EngineError('invalid_input_reference', `The model ${t.modelId} needs a last frame (last_frame); none was given.`);
  }
  return graph;
}

function removeNode(graph: ApiGraph, id: string): void {
  delete graph[id];
  for (const node of Object.values(graph)) {
    for (const [name, v] of Object.entries(node.inputs)) {
      if (Array.isArray(v) && v.length === 2 && v[0] === id) delete node.inputs[name];
    }
  }
}

/** A node's name as people see it in messages: `node 3 (KSampler "Sampler")`. */
export function nodeName(graph: ApiGraph | null | undefined, id: string, classType?: string): string {
  const node = graph?.[id];
  const cls = classType ?? node?.class_type;
  const title = node?._meta?.title;
  return `node ${id}${cls ? ` (${cls}${title && title !== cls ? ` "${title}"` : ''})` : ''}`;
}
