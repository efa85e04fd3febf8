import { describe, expect, it } from 'vitest';
import { loadTemplates } from './workflow-template.js';
import { comboOptions, validateTemplate, type ObjectInfo } from './template-validation.js';

const wan = loadTemplates({ bundled: true, dir: null, files: [] }).find((t) => t.id === 'wan2.2-ti2v-5b-i2v')!;

/** Just enough object_info for the Wan graph, in both combo shapes ComfyUI uses. */
function info(over: { unets?: string[]; drop?: string[]; samplers?: string[] } = {}): ObjectInfo {
  const o: ObjectInfo = {
    UNETLoader: { input: { required: { unet_name: [over.unets ?? ['wan2.2_ti2v_5B_fp16.safetensors']], weight_dtype: [['default', 'fp8_e4m3fn']] } } },
    CLIPLoader: { input: { required: { clip_name: [['umt5_xxl_fp8_e4m3fn_scaled.safetensors']], type: [['wan', 'ltxv']] }, optional: { device: [['default', 'cpu']] } } },
    VAELoader: { input: { required: { vae_name: [['wan2.2_vae.safetensors']] } } },
    ModelSamplingSD3: { input: { required: { model: ['MODEL'], shift: ['FLOAT', {}] } } },
    CLIPTextEncode: { input: { required: { text: ['STRING', {}], clip: ['CLIP'] } } },
    Wan22ImageToVideoLatent: { input: { required: { vae: ['VAE', {}], width: ['INT', {}], height: ['INT', {}], length: ['INT', {}], batch_size: ['INT', {}] }, optional: { start_image: ['IMAGE', {}] } } },
    KSampler: { input: { required: { model: ['MODEL'], seed: ['INT', {}], steps: ['INT', {}], cfg: ['FLOAT', {}], sampler_name: [over.samplers ?? ['euler', 'uni_pc']], scheduler: [['simple']], positive: ['CONDITIONING'], negative: ['CONDITIONING'], latent_image: ['LATENT'], denoise: ['FLOAT', {}] } } },
    VAEDecode: { input: { required: { samples: ['LATENT'], vae: ['VAE'] } } },
    LoadImage: { input: { required: { image: [['someone-else.png'], { image_upload: true }] } } },
    CreateVideo: { input: { required: { images: ['IMAGE', {}], fps: ['FLOAT', {}] } } },
    SaveVideo: { input: { required: { video: ['VIDEO', {}], filename_prefix: ['STRING', {}], format: ['COMBO', { options: ['auto', 'mp4'] }], codec: ['COMBO', { options: ['auto', 'h264'] }] } }, output_node: true },
  };
  for (const d of over.drop ?? []) delete o[d];
  return o;
}

describe('template validation against /object_info', () => {
  it('passes a server that has every node and model (the LoadImage placeholder is ours to fill)', () => {
    expect(validateTemplate(wan, info(), 'gpu-1')).toEqual([]);
  });

  it('names a missing model file, where it goes and where to get it', () => {
    const p = validateTemplate(wan, info({ unets: ['other.safetensors'] }), 'gpu-1');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ kind: 'model_file' });
    expect(p[0]!.message).toBe("the model file 'wan2.2_ti2v_5B_fp16.safetensors' is missing on gpu-1 (node 37 (UNETLoader \"Load Diffusion Model\"), input 'unet_name'): put it in ComfyUI/models/diffusion_models/ (download: https://huggingface.co/Comfy-Org/Wan_2.2_ComfyUI_Repackaged/resolve/main/split_files/diffusion_models/wan2.2_ti2v_5B_fp16.safetensors).");
  });

  it('names a node type that is not installed', () => {
    const p = validateTemplate(wan, info({ drop: ['Wan22ImageToVideoLatent'] }), 'gpu-2');
    expect(p.map((x) => x.kind)).toEqual(['node_type']);
    expect(p[0]!.message).toMatch(/^node 55 \(Wan22ImageToVideoLatent\): the node type 'Wan22ImageToVideoLatent' is not installed on gpu-2/);
  });

  it('reports a setting the server does not offer, and a workflow with no output node', () => {
    expect(validateTemplate(wan, info({ samplers: ['euler'] }), 'gpu-1').map((x) => x.message)).toEqual([
      "node 3 (KSampler), input 'sampler_name': 'uni_pc' is not available on gpu-1 (it offers 'euler').",
    ]);
    const noSave = info();
    noSave.SaveVideo!.output_node = false;
    expect(validateTemplate(wan, noSave, 'gpu-1').map((x) => x.kind)).toEqual(['outputs']);
  });

  it('reads combo choices in the legacy and the V3 shape', () => {
    expect(comboOptions([['a', 'b'], {}])).toEqual(['a', 'b']);
    expect(comboOptions(['COMBO', { options: ['auto', 'mp4'] }])).toEqual(['auto', 'mp4']);
    expect(comboOptions(['INT', { min: 0 }])).toBeNull();
  });
});
