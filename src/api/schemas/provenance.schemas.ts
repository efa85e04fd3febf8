// Signed provenance on the wire: a video's sidecar (a JWS) and what verifying a file finds.
import { bool, error, int, json, nullable, object, pathParams, ref, str, type RouteDoc, type Schema } from './common.js';

const author = nullable(object({ handle: nullable(str('Their handle.')), display_name: nullable(str('The name they chose.')) }, { description: 'Who made it, as its manifest names them.' }));

export const provenanceComponents: Record<string, Schema> = {
  ProvenanceSidecar: object({
    protected: str('base64url of the JWS header: `{"alg":"ES256","typ":"application/vnd.melies.provenance+json","x5c":[signer, CA…]}`.'),
    payload: str('base64url of the claims JSON (what the signature covers, with `protected`).'),
    signature: str('base64url of the ES256 signature (r‖s) over `protected + "." + payload`.'),
    claims: { type: 'object', description: 'The decoded payload, for reading: video id, the signed MP4\'s sha256 and size, software agent, digital source type, engine, model, seed, prompt sha256, author, training licence, ingredients.' },
  }, { description: 'A JWS in the flattened JSON serialization (RFC 7515 §7.2.2) with the same claims as the C2PA manifest embedded in the MP4.' }),
  VerifyResult: object({
    state: str('`trusted`: intact, signed by a certificate this instance trusts; `valid`: intact, signer not trusted here; `invalid`: altered or broken; `no_manifest`: none embedded.', { enum: ['trusted', 'valid', 'invalid', 'no_manifest'] }),
    valid: bool('`trusted` or `valid`.'),
    reason: str('Why, in a sentence.'),
    signer: nullable(str("The signing certificate's name.")),
    engine: nullable(str('The engine that made it.')),
    model: nullable(str('The model that made it.')),
    author,
    created_at: nullable(int('When it was made (Unix seconds).')),
    digital_source_type: nullable(str('The IPTC digital source type of its creation.')),
    training: nullable(str('The AI training and data mining licence it carries.', { enum: ['allowed', 'not-allowed'] })),
    ingredients: { type: 'array', description: 'Its lineage: the videos it remixes.', items: object({ title: str('The ingredient\'s title.'), video_id: nullable(str('Its video id, when its manifest names one.')), author }) },
    made_here: bool('These exact bytes are a video of this instance, or an intact manifest this instance trusts names one of its videos.'),
    video_id: nullable(str('That video, when made here.')),
    altered: bool('The bytes changed after signing.'),
    sha256: str('The sha256 of the file sent.'),
    bytes: int('Its size.'),
  }),
};

export const provenanceSchemas = {
  sidecar: {
    summary: "A video's signed provenance",
    description: 'The claims of the C2PA manifest embedded in the MP4, as a JWS signed with the instance\'s key (verify it with the `x5c` certificate).',
    tags: ['Videos'], operationId: 'getVideoProvenance',
    params: pathParams({ id: str('The video id (`video_…`).') }),
    response: {
      200: json('The signed sidecar.', ref('ProvenanceSidecar')),
      400: error('`video_not_ready`: not completed yet.'),
      404: error('`not_found`: no such video (or not yours); `provenance_not_found`: made before this server signed videos.'),
    },
  },
  verify: {
    summary: 'Verify a video file',
    description: "Reads the file's C2PA manifest with the C2PA library against this instance's trust anchors: valid or not and why, signer, engine and model, author, date, lineage, whether it was made here (by sha256) and whether it was altered. Send a multipart field `file` or a raw `video/mp4` body.",
    tags: ['Provenance'], operationId: 'verifyVideo',
    body: {
      required: true,
      content: {
        'video/mp4': { schema: { type: 'string', format: 'binary' } },
        'multipart/form-data': { schema: object({ file: { type: 'string', format: 'binary', description: 'The MP4.' } }) },
      },
    },
    response: {
      200: json('What the file says and whether it holds.', ref('VerifyResult')),
      400: error('`invalid_value`: no file, or an empty one.'),
      413: error('`file_too_large`: above MELIES_VERIFY_MAX_BYTES.'),
      415: error('Not multipart or video/mp4.'),
      429: error('`verify_busy`: other files are being verified; retry after `Retry-After` seconds.'),
    },
  },
} satisfies Record<string, RouteDoc>;
