// What the fake ComfyUI does with a submitted graph: validates it the way CE `validate_prompt`
// does (missing node types, no output node, per-node `required_input_missing`,
// `value_not_in_list`, `value_smaller_than_min`/`value_bigger_than_max`), orders the nodes the
// outputs need, and reads from the latent and save nodes what video to render.
import type { FakeNode, Spec } from './fake-object-info.js';

export type Graph = Record<string, { class_type?: string; inputs?: Record<string, unknown>; _meta?: { title?: string } }>;
export interface ErrorItem { type: string; message: string; details: string; extra_info: Record<string, unknown> }
export type Validation =
  | { ok: true; outputs: string[]; order: string[] }
  | { ok: false; error: ErrorItem; nodeErrors: Record<string, { errors: ErrorItem[]; dependent_outputs: string[]; class_type: string }> };

const isLink = (v: unknown): v is [string, number] => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number';
function options(spec: Spec | undefined): unknown[] | null {
  if (!spec) return null;
  if (Array.isArray(spec[0])) return spec[0];
  return spec[0] === 'COMBO' && Array.isArray(spec[1]?.options) ? (spec[1]!.options as unknown[]) : null;
}

export function validateGraph(graph: Graph, nodes: Record<string, FakeNode>): Validation {
  const outputs: string[] = [];
  for (const [id, n] of Object.entries(graph)) {
    if (typeof n?.class_type !== 'string') {
      return { ok: false, error: { type: 'invalid_prompt', message: 'Cannot execute because a node is missing the class_type property.', details: `Node ID '#${id}'`, extra_info: {} }, nodeErrors: {} };
    }
    const cls = nodes[n.class_type];
    if (!cls) {
      const title = n._meta?.title ?? n.class_type;
      return { ok: false, error: { type: 'missing_node_type', message: `Node '${title}' not found. The custom node may not be installed.`, details: `Node ID '#${id}'`, extra_info: { node_id: id, class_type: n.class_type, node_title: title } }, nodeErrors: {} };
    }
    if (cls.output_node) outputs.push(id);
  }
  if (!outputs.length) return { ok: false, error: { type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} }, nodeErrors: {} };

  const nodeErrors: Record<string, { errors: ErrorItem[]; dependent_outputs: string[]; class_type: string }> = {};
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string, output: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const n = graph[id]!;
    const cls = nodes[n.class_type!]!;
    const inputs = n.inputs ?? {};
    const errors: ErrorItem[] = [];
    for (const name of Object.keys(cls.required)) {
      if (!(name in inputs)) errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: name, extra_info: { input_name: name } });
    }
    for (const [name, v] of Object.entries(inputs)) {
      const spec = cls.required[name] ?? cls.optional?.[name];
      if (!spec) continue;
      if (isLink(v)) {
        if (!graph[v[0]]) errors.push({ type: 'bad_linked_input', message: 'Bad linked input, must be a length-2 list of [string, int]', details: `${name}, ${JSON.stringify(v)}`, extra_info: { input_name: name } });
        else visit(v[0], output);
        continue;
      }
      const choices = options(spec);
      if (choices && !choices.includes(v)) {
        const list = choices.length > 20 ? `(list of length ${choices.length})` : JSON.stringify(choices);
        errors.push({ type: 'value_not_in_list', message: 'Value not in list', details: `${name}: '${String(v)}' not in ${list}`, extra_info: { input_name: name, received_value: v } });
      }
      const bounds = spec[1] as { min?: number; max?: number } | undefined;
      if ((spec[0] === 'INT' || spec[0] === 'FLOAT') && typeof v === 'number') {
        if (bounds?.min !== undefined && v < bounds.min) errors.push({ type: 'value_smaller_than_min', message: `Value ${v} smaller than min of ${bounds.min}`, details: `${name}`, extra_info: { input_name: name, received_value: v } });
        if (bounds?.max !== undefined && v > bounds.max) errors.push({ type: 'value_bigger_than_max', message: `Value ${v} bigger than max of ${bounds.max}`, details: `${name}`, extra_info: { input_name: name, received_value: v } });
      }
    }
    if (errors.length) nodeErrors[id] = { errors, dependent_outputs: [output], class_type: n.class_type! };
    order.push(id); // after its inputs: a topological order
  };
  for (const o of outputs) visit(o, o);
  if (Object.keys(nodeErrors).length) {
    const details = Object.values(nodeErrors).flatMap((e) => e.errors.map((x) => `${x.message}: ${x.details}`)).join('\n');
    return { ok: false, error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details, extra_info: {} }, nodeErrors };
  }
  return { ok: true, outputs, order };
}

/** Latent node → the pixel size and frame count it decodes to (Wan/Hunyuan 4n+1, LTX 8n+1). */
const LATENTS: Record<string, number> = { Wan22ImageToVideoLatent: 4, EmptyHunyuanLatentVideo: 4, EmptyLTXVLatentVideo: 8, LTXVImgToVideo: 8 };

export interface RenderPlan { width: number; height: number; frames: number; fps: number }

export function renderPlan(graph: Graph, outputId: string): RenderPlan {
  let width = 512, height = 512, frames = 1;
  for (const n of Object.values(graph)) {
    const step = LATENTS[n.class_type ?? ''];
    if (!step) continue;
    const i = n.inputs ?? {};
    width = Number(i.width);
    height = Number(i.height);
    const length = Number(i.length);
    frames = Math.floor((length - 1) / step) * step + 1; // ((length - 1) // step) + 1 latent frames, decoded
  }
  const out = graph[outputId]!;
  let fps = Number(out.inputs?.fps ?? out.inputs?.frame_rate ?? 24);
  const video = out.inputs?.video;
  if (isLink(video)) fps = Number(graph[video[0]]?.inputs?.fps ?? 30);
  return { width, height, frames, fps };
}

/** Samplers and their step counts (SamplerCustom reads them from its sigmas' scheduler). */
export function samplerSteps(graph: Graph, id: string): number | null {
  const n = graph[id]!;
  if (!/Sampler$|^KSamplerAdvanced$/.test(n.class_type ?? '') || n.class_type === 'KSamplerSelect') return null;
  const steps = n.inputs?.steps;
  if (typeof steps === 'number') return steps;
  const sigmas = n.inputs?.sigmas;
  if (isLink(sigmas)) {
    const s = graph[sigmas[0]]?.inputs?.steps;
    if (typeof s === 'number') return s;
  }
  return 20;
}
