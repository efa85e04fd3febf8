// What a failed video tells its owner and what it keeps for operators. Engines already put the
// provider's or the tool's words in EngineError.detail; this is the last check before the row is
// written: a message that still names a place on this server (the data or work folder, a system
// path, the ffmpeg binary) or carries a media tool's output is moved to the detail, and the owner
// reads a neutral sentence for its code instead. Both are redacted.
import type { EngineError } from '../domain/errors.js';
import type { VideoError } from '../domain/video.js';

export interface ServerPlaces {
  /** Paths on this server (work root, data dir, binaries), relative or absolute, as they may appear. */
  roots: string[];
}

// Absolute paths under the usual roots of a Unix or macOS system, a home folder, a Windows drive.
// API paths a provider uses (/v1/tasks/…) are not among them.
const SYSTEM_PATH = /(?:^|[\s'"(=:,[])(?:~\/|\/(?:home|root|tmp|var|usr|opt|srv|mnt|media|data|Users|private|etc|proc|run|nix|snap|Volumes|workspace|app)\/|[A-Za-z]:\\)/;
// What ffmpeg and ffprobe print: their names, "[libx264 @ 0x55…]" prefixes, their usual complaints.
const TOOL_TALK = /\b(?:ffmpeg|ffprobe)\b|\[[\w -]+ @ 0x[0-9a-f]+\]|Invalid data found when processing input|moov atom not found|Error (?:opening|while decoding|splitting)|Conversion failed!/i;

const NEUTRAL: Record<string, string> = {
  provider_bad_output: "The engine's result is not a usable video. Try again or pick another model; the operator can see why.",
  engine_bad_output: "The engine's result is not a usable video. Try again or pick another model; the operator can see why.",
  invalid_input_reference: 'The reference image could not be used. Try another image (PNG, JPEG or WebP).',
};
const FALLBACK = 'The video could not be made. Try again or pick another model; the operator can see why.';

export function revealsServer(text: string, places: ServerPlaces): boolean {
  return SYSTEM_PATH.test(text) || TOOL_TALK.test(text) || places.roots.some((r) => r.length >= 4 && text.includes(r));
}

/** The row's error for an engine's refusal: `message` safe for the owner, `detail` for operators. */
export function errorShownToOwner(err: Pick<EngineError, 'code' | 'message' | 'detail'>, clean: (text: string) => string, places: ServerPlaces): VideoError {
  const message = clean(err.message);
  const detail = err.detail ? clean(err.detail) : null;
  if (!revealsServer(message, places)) return { code: err.code, message, detail };
  return { code: err.code, message: NEUTRAL[err.code] ?? FALLBACK, detail: detail ? clean(`${message}\n${detail}`) : message };
}
