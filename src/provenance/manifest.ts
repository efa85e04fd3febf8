// The C2PA manifest definitions Méliès signs. One `c2pa.created` action with the honest IPTC
// digital source type, our generation facts in `io.melies.generation`, the CAWG training-and-data-
// mining assertion from the owner's licence, and a remix's parent as an `inputTo` ingredient (a
// `created` action may not have a `parentOf` one). A re-sign is an edit: `c2pa.opened` on the
// previous signed file, which becomes the `parentOf` ingredient so its manifest travels along.
import type { GenerationFacts, Training } from './provenance.js';

const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

/**
 * Neural engines (local models, cloud APIs) make `trainedAlgorithmicMedia`. The built-in sketch
 * engine draws shapes from a scene plan with a formula and learned nothing: that is IPTC's
 * `algorithmicMedia`, "created purely by an algorithm not based on any sampled training data".
 */
export function digitalSourceType(kind: GenerationFacts['kind']): string {
  return `${IPTC}${kind === 'procedural' ? 'algorithmicMedia' : 'trainedAlgorithmicMedia'}`;
}

export const GENERATION_LABEL = 'io.melies.generation';
export const TRAINING_LABEL = 'cawg.training-mining';
const PARENT_ID = 'remixed-from';
const PREVIOUS_ID = 'previous-signature';
const UPLOAD_ID = 'source-upload';

export function trainingAssertion(training: Training) {
  const use = training === 'allowed' ? 'allowed' : 'notAllowed';
  return {
    label: TRAINING_LABEL,
    data: { entries: Object.fromEntries(['cawg.ai_inference', 'cawg.ai_generative_training', 'cawg.ai_training', 'cawg.data_mining'].map((k) => [k, { use }])) },
  };
}

export function generationAssertion(f: GenerationFacts) {
  return {
    label: GENERATION_LABEL,
    data: {
      video_id: f.videoId,
      created_at: new Date(f.createdAt).toISOString(),
      engine: f.engine,
      model: f.model,
      model_label: f.modelLabel,
      kind: f.kind,
      seed: f.seed,
      prompt_sha256: f.promptSha256,
      author: { id: f.author.id, handle: f.author.handle, display_name: f.author.displayName },
      remixed_from_video_id: f.parent && !f.parent.relation ? f.parent.videoId : null,
      // Extensions and edits name their source under their own word (only then: older manifests read as they did).
      ...(f.parent?.relation ? { [`${f.parent.relation === 'extension' ? 'extended' : 'edited'}_from_video_id`]: f.parent.videoId } : {}),
      // An uploaded source is named by its bytes' hash (and its file id, when it was one).
      ...(f.sourceUpload ? { [`${f.sourceUpload.relation === 'extension' ? 'extended' : 'edited'}_from_upload`]: { sha256: f.sourceUpload.sha256, filename: f.sourceUpload.filename, file_id: f.sourceUpload.fileId } } : {}),
      training: f.training,
      watermark_plan: f.watermarkPlan,
    },
  };
}

function base(f: GenerationFacts) {
  return {
    claim_generator_info: [{ name: f.software.name, version: f.software.version }],
    title: `${f.videoId}.mp4`,
    format: 'video/mp4',
  };
}

export function createdManifest(f: GenerationFacts) {
  const ingredientIds = [...(f.parent?.file ? [PARENT_ID] : []), ...(f.sourceUpload?.file ? [UPLOAD_ID] : [])];
  return {
    ...base(f),
    assertions: [
      {
        label: 'c2pa.actions.v2',
        data: {
          actions: [{
            action: 'c2pa.created',
            digitalSourceType: digitalSourceType(f.kind),
            softwareAgent: { name: f.software.name, version: f.software.version },
            ...(ingredientIds.length ? { parameters: { ingredientIds } } : {}),
          }],
        },
      },
      generationAssertion(f),
      trainingAssertion(f.training),
    ],
  };
}

export const parentIngredient = (f: GenerationFacts) =>
  JSON.stringify({ title: `${f.parent!.videoId}.mp4`, format: 'video/mp4', relationship: 'inputTo', label: PARENT_ID });

/** The uploaded clip an extension or edit was made from: in its frames, so an `inputTo` ingredient like a parent. */
export const uploadIngredient = (f: GenerationFacts) =>
  JSON.stringify({ title: f.sourceUpload!.filename, format: 'video/mp4', relationship: 'inputTo', label: UPLOAD_ID });

export function resignManifest(f: GenerationFacts) {
  return {
    ...base(f),
    assertions: [
      {
        label: 'c2pa.actions.v2',
        data: {
          actions: [
            { action: 'c2pa.opened', softwareAgent: { name: f.software.name, version: f.software.version }, parameters: { ingredientIds: [PREVIOUS_ID] } },
            { action: 'c2pa.edited.metadata', softwareAgent: { name: f.software.name, version: f.software.version }, description: `AI training licence set to ${f.training}` },
          ],
        },
      },
      generationAssertion(f),
      trainingAssertion(f.training),
    ],
  };
}

export const previousIngredient = (f: GenerationFacts) =>
  JSON.stringify({ title: `${f.videoId}.mp4`, format: 'video/mp4', relationship: 'parentOf', label: PREVIOUS_ID });
