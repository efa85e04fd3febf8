// The fake ComfyUI's node catalogue, in the shape GET /object_info returns (CS `node_info`):
// legacy nodes list combo choices as `[[…], {…}]`, V3 nodes (comfy_api io.ComfyNode) as
// `["COMBO", {options: […]}]`; loaders list the model files "on disk", LoadImage the uploaded
// inputs. Input bounds are those of the real nodes (comfy_extras/nodes_wan.py, nodes_lt.py, nodes.py).

export type Spec = [unknown, Record<string, unknown>?];
export interface FakeNode {
  required: Record<string, Spec>;
  optional?: Record<string, Spec>;
  output: string[];
  output_node?: boolean;
  category: string;
  /** The video this node saves, if it is an output node the fake renders. */
  saves?: 'save_video' | 'webm' | 'animated_webp' | 'vhs' | 'image';
}

export const MODEL_FOLDERS = ['diffusion_models', 'text_encoders', 'vae', 'checkpoints', 'loras'] as const;
export type ModelFolder = (typeof MODEL_FOLDERS)[number];

/** What a fresh fake has installed: every file the bundled templates load. */
export const DEFAULT_MODELS: Record<ModelFolder, string[]> = {
  diffusion_models: ['wan2.2_ti2v_5B_fp16.safetensors'],
  text_encoders: ['umt5_xxl_fp8_e4m3fn_scaled.safetensors', 't5xxl_fp16.safetensors'],
  vae: ['wan2.2_vae.safetensors'],
  checkpoints: ['ltx-video-2b-v0.9.5.safetensors'],
  loras: [],
};

const SAMPLERS = ['euler', 'euler_ancestral', 'heun', 'dpmpp_2m', 'dpmpp_2m_sde', 'uni_pc', 'uni_pc_bh2', 'res_multistep', 'lcm'];
const SCHEDULERS = ['simple', 'normal', 'karras', 'exponential', 'sgm_uniform', 'beta'];
const INT = (o: Record<string, unknown>): Spec => ['INT', o];
const FLOAT = (o: Record<string, unknown>): Spec => ['FLOAT', o];
const STRING = (o: Record<string, unknown> = {}): Spec => ['STRING', o];
const V3_COMBO = (options: unknown[], o: Record<string, unknown> = {}): Spec => ['COMBO', { options, ...o }];
const MAX_RES = 16384;

export function catalogue(models: Record<ModelFolder, string[]>, inputs: string[]): Record<string, FakeNode> {
  return {
    UNETLoader: { required: { unet_name: [models.diffusion_models], weight_dtype: [['default', 'fp8_e4m3fn', 'fp8_e4m3fn_fast', 'fp8_e5m2']] }, output: ['MODEL'], category: 'advanced/loaders' },
    CLIPLoader: {
      required: { clip_name: [models.text_encoders], type: [['stable_diffusion', 'stable_cascade', 'sd3', 'stable_audio', 'mochi', 'ltxv', 'pixart', 'cosmos', 'lumina2', 'wan', 'hidream', 'chroma', 'ace', 'omnigen2', 'qwen_image', 'hunyuan_image']] },
      optional: { device: [['default', 'cpu'], { advanced: true }] }, output: ['CLIP'], category: 'advanced/loaders',
    },
    VAELoader: { required: { vae_name: [models.vae] }, output: ['VAE'], category: 'loaders' },
    CheckpointLoaderSimple: { required: { ckpt_name: [models.checkpoints, { tooltip: 'The name of the checkpoint (model) to load.' }] }, output: ['MODEL', 'CLIP', 'VAE'], category: 'loaders' },
    ModelSamplingSD3: { required: { model: ['MODEL'], shift: FLOAT({ default: 3, min: 0, max: 100, step: 0.01 }) }, output: ['MODEL'], category: 'advanced/model' },
    CLIPTextEncode: { required: { text: STRING({ multiline: true, dynamicPrompts: true }), clip: ['CLIP'] }, output: ['CONDITIONING'], category: 'conditioning' },
    Wan22ImageToVideoLatent: {
      required: {
        vae: ['VAE', {}], width: INT({ default: 1280, min: 32, max: MAX_RES, step: 32 }), height: INT({ default: 704, min: 32, max: MAX_RES, step: 32 }),
        length: INT({ default: 49, min: 1, max: MAX_RES, step: 4 }), batch_size: INT({ default: 1, min: 1, max: 4096 }),
      },
      optional: { start_image: ['IMAGE', {}] }, output: ['LATENT'], category: 'conditioning/inpaint',
    },
    EmptyHunyuanLatentVideo: {
      required: { width: INT({ default: 848, min: 16, max: MAX_RES, step: 16 }), height: INT({ default: 480, min: 16, max: MAX_RES, step: 16 }), length: INT({ default: 25, min: 1, max: MAX_RES, step: 4 }), batch_size: INT({ default: 1, min: 1, max: 4096 }) },
      output: ['LATENT'], category: 'latent/video',
    },
    EmptyLTXVLatentVideo: {
      required: { width: INT({ default: 768, min: 64, max: MAX_RES, step: 32 }), height: INT({ default: 512, min: 64, max: MAX_RES, step: 32 }), length: INT({ default: 97, min: 1, max: MAX_RES, step: 8 }), batch_size: INT({ default: 1, min: 1, max: 4096 }) },
      output: ['LATENT'], category: 'latent/video/ltxv',
    },
    LTXVConditioning: { required: { positive: ['CONDITIONING', {}], negative: ['CONDITIONING', {}], frame_rate: FLOAT({ default: 25, min: 0, max: 1000, step: 0.01 }) }, output: ['CONDITIONING', 'CONDITIONING'], category: 'conditioning/video_models' },
    LTXVScheduler: {
      required: { steps: INT({ default: 20, min: 1, max: 10000 }), max_shift: FLOAT({ default: 2.05, min: 0, max: 100, step: 0.01 }), base_shift: FLOAT({ default: 0.95, min: 0, max: 100, step: 0.01 }), stretch: ['BOOLEAN', { default: true }], terminal: FLOAT({ default: 0.1, min: 0, max: 0.99, step: 0.01 }) },
      optional: { latent: ['LATENT', {}] }, output: ['SIGMAS'], category: 'sampling/custom_sampling/schedulers',
    },
    KSamplerSelect: { required: { sampler_name: [SAMPLERS] }, output: ['SAMPLER'], category: 'sampling/custom_sampling/samplers' },
    KSampler: {
      required: {
        model: ['MODEL'], seed: INT({ default: 0, min: 0, max: 0xffffffffffffffff, control_after_generate: true }), steps: INT({ default: 20, min: 1, max: 10000 }),
        cfg: FLOAT({ default: 8, min: 0, max: 100, step: 0.1, round: 0.01 }), sampler_name: [SAMPLERS], scheduler: [SCHEDULERS],
        positive: ['CONDITIONING'], negative: ['CONDITIONING'], latent_image: ['LATENT'], denoise: FLOAT({ default: 1, min: 0, max: 1, step: 0.01 }),
      },
      output: ['LATENT'], category: 'sampling',
    },
    SamplerCustom: {
      required: {
        model: ['MODEL'], add_noise: ['BOOLEAN', { default: true }], noise_seed: INT({ default: 0, min: 0, max: 0xffffffffffffffff, control_after_generate: true }),
        cfg: FLOAT({ default: 8, min: 0, max: 100, step: 0.1, round: 0.01 }), positive: ['CONDITIONING'], negative: ['CONDITIONING'], sampler: ['SAMPLER'], sigmas: ['SIGMAS'], latent_image: ['LATENT'],
      },
      output: ['LATENT', 'LATENT'], category: 'sampling/custom_sampling',
    },
    VAEDecode: { required: { samples: ['LATENT'], vae: ['VAE'] }, output: ['IMAGE'], category: 'latent' },
    LoadImage: { required: { image: [inputs, { image_upload: true }] }, output: ['IMAGE', 'MASK'], category: 'image' },
    CreateVideo: { required: { images: ['IMAGE', { tooltip: 'The images to create a video from.' }], fps: FLOAT({ default: 30, min: 1, max: 120, step: 1 }) }, optional: { audio: ['AUDIO', {}] }, output: ['VIDEO'], category: 'image/video' },
    SaveVideo: {
      required: { video: ['VIDEO', {}], filename_prefix: STRING({ default: 'video/ComfyUI' }), format: V3_COMBO(['auto', 'mp4'], { default: 'auto' }), codec: V3_COMBO(['auto', 'h264'], { default: 'auto' }) },
      output: [], output_node: true, category: 'image/video', saves: 'save_video',
    },
    SaveWEBM: {
      required: { images: ['IMAGE', {}], filename_prefix: STRING({ default: 'ComfyUI' }), codec: V3_COMBO(['vp9', 'av1']), fps: FLOAT({ default: 24, min: 0.01, max: 1000, step: 0.01 }), crf: FLOAT({ default: 32, min: 0, max: 63, step: 1 }) },
      output: [], output_node: true, category: 'image/video', saves: 'webm',
    },
    SaveAnimatedWEBP: {
      required: { images: ['IMAGE'], filename_prefix: STRING({ default: 'ComfyUI' }), fps: FLOAT({ default: 6, min: 0.01, max: 1000, step: 0.01 }), lossless: ['BOOLEAN', { default: true }], quality: INT({ default: 80, min: 0, max: 100 }), method: [['default', 'fastest', 'slowest']] },
      output: [], output_node: true, category: 'image/animation', saves: 'animated_webp',
    },
    SaveImage: { required: { images: ['IMAGE'], filename_prefix: STRING({ default: 'ComfyUI' }) }, output: [], output_node: true, category: 'image', saves: 'image' },
    // A custom node pack (Kosinkadink/ComfyUI-VideoHelperSuite): present unless the test removes it.
    VHS_VideoCombine: {
      required: { images: ['IMAGE'], frame_rate: FLOAT({ default: 8, min: 1, step: 1 }), loop_count: INT({ default: 0, min: 0, max: 100, step: 1 }), filename_prefix: STRING({ default: 'AnimateDiff' }), format: [['image/gif', 'image/webp', 'video/h264-mp4', 'video/webm']], pingpong: ['BOOLEAN', { default: false }], save_output: ['BOOLEAN', { default: true }] },
      output: ['VHS_FILENAMES'], output_node: true, category: 'Video Helper Suite 🎥🅥🅗🅢', saves: 'vhs',
    },
  };
}

/** One node as GET /object_info shows it. */
export function nodeInfo(name: string, n: FakeNode): Record<string, unknown> {
  return {
    input: { required: n.required, ...(n.optional ? { optional: n.optional } : {}) },
    input_order: { required: Object.keys(n.required), ...(n.optional ? { optional: Object.keys(n.optional) } : {}) },
    output: n.output, output_is_list: n.output.map(() => false), output_name: n.output, name, display_name: name,
    description: '', python_module: name === 'VHS_VideoCombine' ? 'custom_nodes.ComfyUI-VideoHelperSuite' : 'nodes', category: n.category, output_node: Boolean(n.output_node),
  };
}
