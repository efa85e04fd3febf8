// Checks a template against one server's GET /object_info before any job is sent there: node
// types that are not installed and model files that are not on disk are reported by name, with
// where the file goes and where to get it, so the operator can fix it rather than read a traceback.
import type { ApiGraph, WorkflowTemplate } from './workflow-template.js';
import { mappedTargets, nodeName } from './workflow-template.js';

/** GET /object_info: `{class: {input: {required, optional}, output_node, …}}` (CS `node_info`). */
export type ObjectInfo = Record<string, NodeInfo>;
export interface NodeInfo {
  input?: { required?: Record<string, unknown>; optional?: Record<string, unknown> };
  output_node?: boolean;
  display_name?: string;
}

export interface TemplateProblem {
  kind: 'node_type' | 'model_file' | 'value' | 'mapping' | 'outputs';
  message: string;
}

const MODEL_FILE = /\.(safetensors|ckpt|pt|pth|bin|gguf|sft|onnx)$/i;

/** Where loaders read their files from, for templates whose mapping does not say. */
const FOLDER_BY_INPUT: Record<string, string> = {
  unet_name: 'diffusion_models', ckpt_name: 'checkpoints', vae_name: 'vae', clip_name: 'text_encoders',
  clip_name1: 'text_encoders', clip_name2: 'text_encoders', clip_name3: 'text_encoders', lora_name: 'loras',
  control_net_name: 'controlnet', model_name: 'upscale_models', clip_vision_name: 'clip_vision',
};

/** The options of a combo input: legacy `[[…options], {…}]` or V3 `["COMBO", {options: […]}]`. */
export function comboOptions(spec: unknown): unknown[] | null {
  if (!Array.isArray(spec)) return null;
  if (Array.isArray(spec[0])) return spec[0] as unknown[];
  const extra = spec[1] as { options?: unknown } | undefined;
  if (spec[0] === 'COMBO' && Array.isArray(extra?.options)) return extra.options;
  return null;
}

function inputSpec(info: NodeInfo, name: string): unknown | undefined {
  return info.input?.required?.[name] ?? info.input?.optional?.[name];
}

const isLink = (v: unknown) => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number';

/** Every reason this template cannot run on a server with this object_info (empty: it can). */
export function validateTemplate(t: WorkflowTemplate, info: ObjectInfo, serverName: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const graph: ApiGraph = t.workflow;
  const mapped = new Set(mappedTargets(t.mapping).map((x) => `${x.node}.${x.input}`));
  let outputs = 0;
  for (const [id, node] of Object.entries(graph)) {
    const cls = info[node.class_type];
    if (!cls) {
      problems.push({
        kind: 'node_type',
        message: `${nodeName(graph, id)}: the node type '${node.class_type}' is not installed on ${serverName}. Install the custom node pack that provides it (ComfyUI Manager can find it by name) or update ComfyUI, then restart it.`,
      });
      continue;
    }
    if (cls.output_node) outputs++;
    for (const [name, value] of Object.entries(node.inputs)) {
      if (isLink(value)) continue;
      const spec = inputSpec(cls, name);
      const key = `${id}.${name}`;
      if (mapped.has(key)) {
        if (spec === undefined) problems.push({ kind: 'mapping', message: `${nodeName(graph, id)} has no input '${name}' on ${serverName}, but the mapping writes to it.` });
        continue; // Méliès writes these values per job
      }
      const options = comboOptions(spec);
      if (!options || options.includes(value)) continue;
      const file = String(value);
      const known = t.mapping.models[file];
      if (known || MODEL_FILE.test(file)) {
        const folder = known?.folder ?? FOLDER_BY_INPUT[name] ?? 'the folder this loader reads';
        problems.push({
          kind: 'model_file',
          message: `the model file '${file}' is missing on ${serverName} (${nodeName(graph, id)}, input '${name}'): put it in ComfyUI/models/${folder}/${known?.url ? ` (download: ${known.url})` : ''}.`,
        });
      } else {
        const list = options.length > 12 ? `${options.length} choices` : options.map((o) => `'${String(o)}'`).join(', ');
        problems.push({ kind: 'value', message: `${nodeName(graph, id)}, input '${name}': '${file}' is not available on ${serverName} (it offers ${list}).` });
      }
    }
  }
  if (outputs === 0 && !problems.some((p) => p.kind === 'node_type')) {
    problems.push({ kind: 'outputs', message: `the workflow has no output node on ${serverName}: add a SaveVideo (or SaveWEBM, VHS_VideoCombine) node.` });
  }
  return problems;
}
