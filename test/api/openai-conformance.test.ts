// Conformance with OpenAI's Videos and Files API (issue 15, Proof): the official openai SDK,
// unchanged, drives every call Méliès claims to serve (files, create with input_reference
// {file_id} and with characters, retrieve, list, extend (by id and by upload), edit, remix, createCharacter,
// getCharacter, delete), on SQLite and PostgreSQL, and each answer is
// validated against OpenAI's own response schema for that operation, cut from openai/openai-openapi
// at commit f85dbe2 (2026-08-21) by scripts/extract-openai-schemas.mjs into
// test/fixtures/openai-videos-files.schemas.json. Sizes and seconds stay inside OpenAI's enums
// (1280x720, "4"/"8") so a strict client would accept every answer.
import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBackends, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer, type Caller } from '../helpers/accounts.js';
import { probeBytes, solidPng } from '../helpers/media.js';

interface Fixture { source: string; operations: Record<string, string>; schemas: Record<string, unknown> }
const fixture = JSON.parse(readFileSync(new URL('../fixtures/openai-videos-files.schemas.json', import.meta.url), 'utf8')) as Fixture;

const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default;
// OpenAI's document says `format: unixtime`, which no validator knows: it is an integer, checked by `type`.
const ajv = new Ajv2020({ strict: false, allErrors: true, formats: { unixtime: true, binary: true } });
ajv.addSchema({ $id: 'openai', components: { schemas: fixture.schemas } });

/** The answer of `operation` ("POST /videos/extensions") checked against OpenAI's schema for it. */
function conforms(operation: string, answer: unknown): void {
  const name = fixture.operations[operation];
  expect(name, `${operation} is in ${fixture.source}`).toBeDefined();
  const validate = ajv.getSchema(`openai#/components/schemas/${name}`)!;
  const ok = validate(JSON.parse(JSON.stringify(answer)));
  expect(ok ? [] : validate.errors!.map((e: { instancePath: string; message?: string }) => `${operation} → ${name}${e.instancePath} ${e.message}`)).toEqual([]);
}

const CLIP = { model: 'sketch', seconds: '4', size: '1280x720' } as const;

for (const db of await accountBackends()) {
  describe(`OpenAI Videos and Files API conformance on ${db}`, () => {
    let server: AccountServer;
    let member: Caller;
    let client: OpenAI;
    const finished = (id: string) => waitStatus(member, id, (s) => s === 'completed' || s === 'failed', 180_000);

    beforeAll(async () => {
      server = await startAccountServer(db);
      const admin = await setupAdmin(server);
      member = await keyFor(await newMember(server, admin, 'pro'));
      client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: member.auth.key!, maxRetries: 0 });
    });
    afterAll(async () => server?.stop());

    it('serves files, create from a file_id and with a character, retrieve, list, extend, edit, remix, characters and delete as OpenAI documents them', async () => {
      // files.create → a first frame by file_id.
      const image = await solidPng('#3060c0', 1280, 720);
      const file = await client.files.create({ file: await toFile(image, 'first.png', { type: 'image/png' }), purpose: 'vision' });
      conforms('POST /files', file);
      conforms('GET /files/{file_id}', await client.files.retrieve(file.id));
      // Lists are checked as they come over the wire (the SDK's pager keeps only some fields).
      conforms('GET /files', await (await client.files.list().asResponse()).json());

      const created = await client.videos.create({ ...CLIP, prompt: 'a lighthouse on a cliff at dusk', input_reference: { file_id: file.id } } as never);
      conforms('POST /videos', created);
      expect(created).toMatchObject({ object: 'video', status: 'queued', seconds: '4', size: '1280x720' });
      expect((await finished(created.id)).status).toBe('completed');
      const source = await client.videos.retrieve(created.id);
      conforms('GET /videos/{video_id}', source);
      expect(source).toMatchObject({ status: 'completed', progress: 100 });

      // videos.extend: the stitched total is the extension's `seconds`.
      const extended = await client.videos.extend({ video: { id: source.id }, prompt: 'night falls and the lamp turns', seconds: '4' });
      conforms('POST /videos/extensions', extended);
      expect((await finished(extended.id)).status).toBe('completed');
      const longer = await client.videos.retrieve(extended.id);
      conforms('GET /videos/{video_id}', longer);
      expect(longer.seconds).toBe('8');
      const bytes = await (await client.videos.downloadContent(extended.id)).arrayBuffer();
      const probed = await probeBytes(bytes);
      expect(probed.durationSeconds).toBeCloseTo(8, 0);
      expect(probed.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });

      // videos.createCharacter and getCharacter, from the finished clip; once its creator confirms
      // consent (a Méliès rule, docs/characters.md), create takes it as `characters: [{id}]`.
      const clip = Buffer.from(await (await client.videos.downloadContent(source.id)).arrayBuffer());
      const character = await client.videos.createCharacter({ name: 'The keeper', video: await toFile(clip, 'keeper.mp4', { type: 'video/mp4' }) });
      conforms('POST /videos/characters', character);
      conforms('GET /videos/characters/{character_id}', await client.videos.getCharacter(character.id!));
      expect((await member.post(`/api/characters/${character.id}/consent`, { consent: 'self' })).status).toBe(200);
      const cast = await client.videos.create({ ...CLIP, prompt: 'the keeper walks along the cliff', characters: [{ id: character.id! }] } as never);
      conforms('POST /videos', cast);

      // videos.edit and videos.remix.
      const edited = await client.videos.edit({ video: { id: source.id }, prompt: 'make it night, add rain' });
      conforms('POST /videos/edits', edited);
      const remixed = await client.videos.remix(source.id, { prompt: 'a lighthouse in the snow' });
      conforms('POST /videos/{video_id}/remix', remixed);
      for (const id of [edited.id, remixed.id, cast.id]) expect((await finished(id)).status).toBe('completed');
      // videos.extend with the video itself as an upload (the SDK's Uploadable), not an id.
      const uploaded = await client.videos.extend({ video: await toFile(clip, 'mine.mp4', { type: 'video/mp4' }), prompt: 'the lamp goes out', seconds: '4' });
      conforms('POST /videos/extensions', uploaded);
      expect(uploaded).toMatchObject({ seconds: '8', size: '1280x720' });
      expect((await finished(uploaded.id)).status).toBe('completed');

      // videos.list: the wire page, then the SDK's pager through every page.
      const page = await (await client.videos.list({ limit: 2 }).asResponse()).json();
      conforms('GET /videos', page);
      expect(page).toMatchObject({ has_more: true });
      const all: string[] = [];
      for await (const v of client.videos.list({ limit: 2 })) all.push(v.id);
      expect(all.sort()).toEqual([created.id, extended.id, cast.id, edited.id, remixed.id, uploaded.id].sort());

      // Deletes.
      conforms('DELETE /videos/{video_id}', await client.videos.delete(remixed.id));
      conforms('DELETE /files/{file_id}', await client.files.delete(file.id));
    }, 600_000);
  });
}
