// Video ids: `video_` + 32 hex chars (128 bits from a CSPRNG), so ids cannot be guessed.
import { randomBytes } from 'node:crypto';

const VIDEO_ID = /^video_[0-9a-f]{32}$/;

export function newVideoId(): string {
  return `video_${randomBytes(16).toString('hex')}`;
}

export function isVideoId(value: string): boolean {
  return VIDEO_ID.test(value);
}
