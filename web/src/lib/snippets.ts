// API snippets that reproduce a video: the same model, prompt and parameters via curl or the
// official openai SDK, against the server the studio is talking to.
import type { Video } from './types';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function body(v: Video) {
  return {
    model: v.model,
    prompt: v.prompt,
    seconds: v.seconds,
    size: v.size,
    fps: v.fps,
    seed: v.seed,
    ...(v.negative_prompt ? { negative_prompt: v.negative_prompt } : {}),
  };
}

export function curlSnippet(v: Video, origin: string): string {
  return [
    `curl -s ${origin}/v1/videos \\`,
    `  -H 'content-type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(body(v)))}`,
  ].join('\n');
}

export function sdkSnippet(v: Video, origin: string): string {
  const b = body(v);
  // fps, seed and negative_prompt are Méliès extensions: the SDK passes them through unchanged.
  return `// save as make-video.mjs, then: npm i openai && node make-video.mjs
import { writeFile } from 'node:fs/promises';
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: '${origin}/v1', apiKey: process.env.MELIES_API_KEY ?? 'local' });
let video = await client.videos.create(${JSON.stringify(b, null, 2)});
while (video.status === 'queued' || video.status === 'in_progress') {
  await new Promise((r) => setTimeout(r, 1000));
  video = await client.videos.retrieve(video.id);
}
if (video.status === 'failed') throw new Error(video.error.message);
const content = await client.videos.downloadContent(video.id);
await writeFile('video.mp4', Buffer.from(await content.arrayBuffer()));`;
}
