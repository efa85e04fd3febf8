// Characters (issue 15 §3) on SQLite and PostgreSQL: the openai SDK's videos.createCharacter and
// videos.getCharacter unchanged; consent (an SDK upload waits for its creator's confirmation, which
// the audit log records); sharing (only me, approved + grant, everyone) and what others see;
// revocation failing a queued video at once; the creator's list of videos made with it; the limits
// of create (at most 2, not with input_reference, NUL); a sketch video made with a character, and
// one made by MiniMax S2V-01 (its fake) with the character's look as its subject reference.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrameRgb } from '../../src/media/frames.js';
import { accountBackends, keyFor, newMember, setupAdmin, startAccountServer, waitStatus, type AccountServer, type Caller } from '../helpers/accounts.js';
import { bins, colorClip, probeBytes, solidPng, tempFile } from '../helpers/media.js';
import { startMinimaxFake } from '../fakes/minimax/minimax.fake.js';

const ONE_SECOND = { model: 'sketch', prompt: 'waves under a blue sky', seconds: '1', size: '320x180' } as const;

for (const db of await accountBackends()) {
  describe(`characters on ${db}`, () => {
    let server: AccountServer;
    let admin: Caller;
    let alice: Caller;
    let bob: Caller;
    let carol: Caller;
    let aliceSession: Caller;
    let bobEmail: string;
    let red: Buffer;
    let minimax: Awaited<ReturnType<typeof startMinimaxFake>>;

    const sdk = (c: Caller) => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: c.auth.key!, maxRetries: 0 });
    /** A character through raw multipart (Méliès's extra fields: consent, sharing, image). */
    const upload = async (c: Caller, fields: Record<string, string>, file?: { field: string; data: Buffer; name: string }) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      if (file) form.append(file.field, new Blob([new Uint8Array(file.data)]), file.name);
      const res = await fetch(`${server.url}/v1/videos/characters`, { method: 'POST', headers: { authorization: `Bearer ${c.auth.key}` }, body: form });
      return { status: res.status, json: await res.json() as any };
    };

    beforeAll(async () => {
      // A Luma key (its API never reached): a model whose card takes no characters. MiniMax's fake: S2V-01 takes one.
      minimax = await startMinimaxFake({ apiKey: 'mm-key', renderMs: 50 });
      server = await startAccountServer(db, {
        providerKeys: { luma: 'test-key', minimax: 'mm-key' },
        cloud: { pollIntervalMs: 50, luma: { baseUrl: 'http://127.0.0.1:9' }, minimax: { baseUrl: minimax.baseUrl } },
      });
      admin = await setupAdmin(server);
      aliceSession = await newMember(server, admin, 'pro');
      alice = await keyFor(aliceSession);
      bobEmail = `bob-${db}@example.org`;
      bob = await keyFor(await newMember(server, admin, 'pro', bobEmail));
      carol = await keyFor(await newMember(server, admin, 'pro'));
      red = await colorClip('red', 2);
    });
    afterAll(async () => {
      await server?.stop();
      await minimax?.stop();
    });

    it('creates and reads a character with the openai SDK; it waits for consent, then a sketch video is made with it', async () => {
      const a = sdk(alice);
      const made = await a.videos.createCharacter({ name: 'Ada', video: await toFile(red, 'ada.mp4', { type: 'video/mp4' }) });
      expect(made).toMatchObject({ name: 'Ada', status: 'pending_consent' });
      expect(made.id).toMatch(/^char_[0-9a-f]{32}$/);
      expect(made.created_at).toBeGreaterThan(1_700_000_000);
      const got = await a.videos.getCharacter(made.id!);
      expect({ id: got.id, name: got.name, created_at: got.created_at }).toEqual({ id: made.id, name: 'Ada', created_at: made.created_at });

      // Its look is the clip's middle frame, a red PNG.
      const look = await fetch(`${server.url}/api/characters/${made.id}/look`, { headers: { authorization: `Bearer ${alice.auth.key}` } });
      expect(look.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await look.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

      // Nobody may use it until its creator confirms consent; the confirmation is audited.
      const early = await alice.post('/v1/videos', { ...ONE_SECOND, characters: [{ id: made.id }] });
      expect(early.status).toBe(400);
      expect(early.json.error.code).toBe('character_consent_required');
      expect(early.json.error.message).toContain(`/api/characters/${made.id}/consent`);
      expect((await alice.post(`/api/characters/${made.id}/consent`, { consent: 'maybe' })).status).toBe(400);
      const confirmed = await alice.post(`/api/characters/${made.id}/consent`, { consent: 'self' });
      expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(200);
      expect(confirmed.json).toMatchObject({ status: 'ready', consent: { kind: 'self' }, mine: true, sharing: 'only_me', made_from: 'video' });
      expect((await alice.post(`/api/characters/${made.id}/consent`, { consent: 'self' })).json.error.code).toBe('consent_already_confirmed');
      const audit = await admin.get('/api/admin/audit?limit=100');
      const entries = audit.json.data.filter((e: any) => e.target?.id === made.id).map((e: any) => [e.action, e.details]);
      expect(entries).toEqual(expect.arrayContaining([
        ['character.create', expect.objectContaining({ consent: 'not yet confirmed', from: 'video' })],
        ['character.consent', { consent: 'self' }],
      ]));

      // The SDK's create sends characters[][id] in multipart; the look is sketch's backdrop.
      const v = await a.videos.create({ ...ONE_SECOND, characters: [{ id: made.id }] } as never);
      const done = await waitStatus(alice, v.id, (s) => s === 'completed' || s === 'failed', 90_000);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      const mp4 = Buffer.from(await (await a.videos.downloadContent(v.id)).arrayBuffer());
      const facts = await probeBytes(mp4);
      expect(facts.video).toMatchObject({ width: 320, height: 180 });
      const rgb = await decodeFrameRgb(bins.ffmpeg, tempFile(mp4), 0, { width: 320, height: 180 });
      expect(rgb[0]!).toBeGreaterThan(200);
      expect(rgb[2]!).toBeLessThan(60);

      // Its remix, extension and edit are made with it too, and listed among its videos.
      const remix = await a.videos.remix(v.id, { prompt: 'waves under a blue sky at dusk' });
      const extension = await a.videos.extend({ video: { id: v.id }, prompt: 'the waves go on', seconds: '1' } as never);
      const edit = await a.videos.edit({ video: { id: v.id }, prompt: 'make it night' } as never);
      for (const id of [remix.id, extension.id, edit.id]) {
        const d = await waitStatus(alice, id, (s) => s === 'completed' || s === 'failed', 90_000);
        expect(d.status, `${d.kind}: ${JSON.stringify(d.error)}`).toBe('completed');
      }
      // The edit re-renders the plan whole, its first shot on the look again.
      const edited = Buffer.from(await (await a.videos.downloadContent(edit.id)).arrayBuffer());
      const night = await decodeFrameRgb(bins.ffmpeg, tempFile(edited), 0, { width: 320, height: 180 });
      expect(night[0]!).toBeGreaterThan(2 * Math.max(night[1]!, night[2]!, 10)); // darker (night), still red

      const detail = await alice.get(`/api/characters/${made.id}`);
      expect(detail.json.videos.map((x: any) => x.id).sort()).toEqual([v.id, remix.id, extension.id, edit.id].sort());
      expect(detail.json.videos.every((x: any) => x.mine && x.status === 'completed')).toBe(true);
      expect(detail.json.grants).toEqual([]);
    });

    it("reaches MiniMax S2V-01 as its one subject reference; S2V-01 without a character, or with two, is refused before any call", async () => {
      const look = await solidPng('#2255cc', 400, 400);
      const made = await upload(alice, { name: 'Grace', consent: 'self' }, { field: 'image', data: look, name: 'grace.png' });
      expect(made.status, JSON.stringify(made.json)).toBe(200);
      const stored = Buffer.from(await (await fetch(`${server.url}/api/characters/${made.json.id}/look`, { headers: { authorization: `Bearer ${alice.auth.key}` } })).arrayBuffer());
      const before = minimax.bodies.length;
      const v = await alice.post('/v1/videos', { model: 'minimax/S2V-01', prompt: 'she walks along a pier at dawn', seconds: '6', size: '1280x720', characters: [{ id: made.json.id }] });
      expect(v.status, JSON.stringify(v.json)).toBe(200);
      const done = await waitStatus(alice, v.json.id, (s) => s === 'completed' || s === 'failed', 90_000);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      const sent = minimax.bodies.slice(before) as any[];
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ model: 'S2V-01', duration: 6, resolution: '720P', subject_reference: [{ type: 'character', image: [`data:image/png;base64,${stored.toString('base64')}`] }] });
      const p = await probeBytes(await (await fetch(`${server.url}/v1/videos/${v.json.id}/content`, { headers: { authorization: `Bearer ${alice.auth.key}` } })).arrayBuffer());
      expect(p.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
      // Its card says so; without a character it is a clear 400 and MiniMax is never called.
      const card = (await alice.get('/v1/models/minimax/S2V-01')).json;
      expect(card).toMatchObject({ characters: true, inputs: ['text'] });
      const none = await alice.post('/v1/videos', { model: 'minimax/S2V-01', prompt: 'a pier at dawn', seconds: '6', size: '1280x720' });
      expect(none.status).toBe(400);
      expect(none.json.error).toMatchObject({ param: 'characters' });
      expect(none.json.error.message).toContain('exactly one character');
      const two = await alice.post('/v1/videos', { model: 'minimax/S2V-01', prompt: 'a pier at dawn', seconds: '6', size: '1280x720', characters: [{ id: made.json.id }, { id: made.json.id }] });
      expect(two.status).toBe(400);
      expect(minimax.bodies.length).toBe(before + 1);
    });

    it('is used only as its creator shares it: only me, approved with a grant, everyone', async () => {
      const made = await upload(alice, { name: 'Bob the cat', consent: 'consent' }, { field: 'image', data: await solidPng('#00ff00', 64, 64), name: 'bob.png' });
      expect(made.status, JSON.stringify(made.json)).toBe(200);
      const id = made.json.id as string;
      expect(made.json.status).toBe('ready');
      const use = (c: Caller) => c.post('/v1/videos', { ...ONE_SECOND, characters: [{ id }] });

      // Only me: others cannot even see it.
      await expect(sdk(bob).videos.getCharacter(id)).rejects.toMatchObject({ status: 404 });
      expect((await use(bob)).json.error.code).toBe('character_not_found');
      expect((await bob.get('/api/characters')).json.data.map((c: any) => c.id)).not.toContain(id);

      // Approved: a 403 that says whose it is, until granted.
      expect((await alice.call('PATCH', `/api/characters/${id}`, { sharing: 'approved' })).json.sharing).toBe('approved');
      const refused = await use(bob);
      expect(refused.status).toBe(403);
      expect(refused.json.error).toMatchObject({ code: 'character_not_allowed', param: 'characters[0].id' });
      expect(refused.json.error.message).toMatch(/has not allowed you to use the character 'Bob the cat'/);
      expect((await alice.post(`/api/characters/${id}/grants`, { user: 'nobody@example.org' })).status).toBe(404);
      const granted = await alice.post(`/api/characters/${id}/grants`, { user: bobEmail });
      expect(granted.status, JSON.stringify(granted.json)).toBe(200);
      expect(granted.json.grants).toEqual([{ user_id: bob.userId, handle: null, granted_at: expect.any(Number) }]);
      expect(JSON.stringify(granted.json)).not.toContain(bobEmail);
      expect((await sdk(bob).videos.getCharacter(id)).name).toBe('Bob the cat');
      expect((await bob.get('/api/characters')).json.data.map((c: any) => c.id)).toContain(id);
      const grantAudit = (await admin.get('/api/admin/audit?limit=100')).json.data.find((e: any) => e.action === 'character.grant' && e.target?.id === id);
      expect(grantAudit).toMatchObject({ actor: { user_id: aliceSession.userId }, details: { user_id: bob.userId } });
      const bobs = await use(bob);
      expect(bobs.status, JSON.stringify(bobs.json)).toBe(200);
      expect((await use(carol)).status).toBe(403);
      // Others see it, but not its grants, consent or the videos made with it; nor can they change it.
      const seen = await bob.get(`/api/characters/${id}`);
      expect(seen.json).toMatchObject({ mine: false, consent: null });
      expect(seen.json.videos).toBeUndefined();
      expect(seen.json.grants).toBeUndefined();
      expect((await bob.call('PATCH', `/api/characters/${id}`, { sharing: 'everyone' })).json.error.code).toBe('not_character_owner');
      expect((await bob.post(`/api/characters/${id}/revoke`)).status).toBe(403);

      // Everyone here.
      await alice.call('PATCH', `/api/characters/${id}`, { sharing: 'everyone' });
      expect((await carol.get('/api/characters')).json.data.map((c: any) => c.id)).toContain(id);
      const carols = await use(carol);
      expect(carols.status, JSON.stringify(carols.json)).toBe(200);

      // The creator sees every video made with it, whoever made it.
      const uses = (await alice.get(`/api/characters/${id}`)).json.videos.map((v: any) => [v.id, v.mine]);
      expect(uses).toEqual(expect.arrayContaining([[bobs.json.id, false], [carols.json.id, false]]));
      // Grants by handle too (with or without the @), shown by handle, never by email.
      expect((await carol.put('/api/profile', { handle: `carol_${db}`, display_name: 'Carol' })).status).toBe(200);
      const byHandle = await alice.post(`/api/characters/${id}/grants`, { user: `@carol_${db}` });
      expect(byHandle.status, JSON.stringify(byHandle.json)).toBe(200);
      expect(byHandle.json.grants).toEqual(expect.arrayContaining([{ user_id: carol.userId, handle: `carol_${db}`, granted_at: expect.any(Number) }]));
      expect((await alice.call('DELETE', `/api/characters/${id}/grants/${bob.userId}`)).json.grants.map((g: any) => g.user_id)).toEqual([carol.userId]);
      expect((await alice.call('DELETE', `/api/characters/${id}/grants/${bob.userId}`)).status).toBe(404);
      await waitStatus(bob, bobs.json.id, (s) => s === 'completed' || s === 'failed', 90_000);
      await waitStatus(carol, carols.json.id, (s) => s === 'completed' || s === 'failed', 90_000);
    });

    it('revoking fails a queued video made with it at once, with character_revoked', async () => {
      const made = await upload(alice, { name: 'Cleo', consent: 'self', sharing: 'everyone' }, { field: 'video', data: red, name: 'cleo.mp4' });
      const id = made.json.id as string;
      // Bob's queue is paused, so his video waits.
      expect((await bob.post('/api/queue/pause')).status).toBe(200);
      try {
        const v = await bob.post('/v1/videos', { ...ONE_SECOND, characters: [{ id }] });
        expect(v.status, JSON.stringify(v.json)).toBe(200);
        const revoked = await alice.post(`/api/characters/${id}/revoke`);
        expect(revoked.status).toBe(200);
        expect(revoked.json).toMatchObject({ failed_videos: 1, character: { status: 'revoked' } });
        const failed = await waitStatus(bob, v.json.id, (s) => s === 'failed', 10_000);
        expect(failed.error.code).toBe('character_revoked');
        expect(failed.error.message).toMatch(/revoked the character 'Cleo'/);
        // Never usable again, by anyone; others no longer see it; its creator still does.
        await expect(sdk(bob).videos.getCharacter(id)).rejects.toMatchObject({ status: 404 });
        expect((await alice.post('/v1/videos', { ...ONE_SECOND, characters: [{ id }] })).json.error.code).toBe('character_revoked');
        expect(((await sdk(alice).videos.getCharacter(id)) as unknown as { status: string }).status).toBe('revoked');
        const audit = await admin.get('/api/admin/audit?limit=100');
        expect(audit.json.data.find((e: any) => e.action === 'character.revoke' && e.target?.id === id)?.details).toEqual({ failed_videos: 1 });
      } finally {
        await bob.post('/api/queue/resume');
      }
      // Narrowing who may use it fails, at once, the waiting videos of those it no longer allows.
      const eve = await upload(alice, { name: 'Eve', consent: 'self', sharing: 'everyone' }, { field: 'video', data: red, name: 'eve.mp4' });
      expect((await bob.post('/api/queue/pause')).status).toBe(200);
      const hers = await alice.post('/v1/videos', { ...ONE_SECOND, characters: [{ id: eve.json.id }] });
      const his = await bob.post('/v1/videos', { ...ONE_SECOND, characters: [{ id: eve.json.id }] });
      expect((await alice.call('PATCH', `/api/characters/${eve.json.id}`, { sharing: 'only_me' })).status).toBe(200);
      const dropped = await waitStatus(bob, his.json.id, (s) => s === 'failed', 10_000);
      expect(dropped.error).toMatchObject({ code: 'character_not_allowed', message: expect.stringMatching(/no longer allows you to use it/) });
      expect((await waitStatus(alice, hers.json.id, (s) => s === 'completed' || s === 'failed', 90_000)).status).toBe('completed');
      await bob.post('/api/queue/resume');

      // The job checks again when it starts: a character revoked behind the service's back (here,
      // in the database) still fails the video that waited for it.
      const dana = await upload(alice, { name: 'Dana', consent: 'self', sharing: 'everyone' }, { field: 'video', data: red, name: 'dana.mp4' });
      expect((await bob.post('/api/queue/pause')).status).toBe(200);
      const waiting = await bob.post('/v1/videos', { ...ONE_SECOND, characters: [{ id: dana.json.id }] });
      expect(waiting.status).toBe(200);
      const conn = await server.openDb();
      try {
        await conn.updateTable('characters').set({ revoked_at: Date.now() }).where('id', '=', dana.json.id).execute();
      } finally {
        await conn.destroy();
      }
      expect((await bob.get(`/v1/videos/${waiting.json.id}`)).json.status).toBe('queued');
      await bob.post('/api/queue/resume');
      expect((await waitStatus(bob, waiting.json.id, (s) => s === 'failed' || s === 'completed', 30_000)).error?.code).toBe('character_revoked');

      // Deleted: gone for everyone, its creator included.
      expect((await alice.call('DELETE', `/api/characters/${id}`)).json).toEqual({ id, object: 'character', deleted: true });
      expect((await alice.get(`/api/characters/${id}`)).status).toBe(404);
    });

    it('refuses more than 2 characters, a character beside input_reference, and bad uploads', async () => {
      const ids: string[] = [];
      for (const name of ['One', 'Two', 'Three']) ids.push((await upload(alice, { name, consent: 'self' }, { field: 'image', data: await solidPng('#ff00ff', 32, 32), name: 'x.png' })).json.id);
      const three = await alice.post('/v1/videos', { ...ONE_SECOND, characters: ids.map((id) => ({ id })) });
      expect(three.status).toBe(400);
      expect(three.json.error.code).toBe('too_many_characters');
      const withImage = await alice.post('/v1/videos', { ...ONE_SECOND, characters: [{ id: ids[0] }], input_reference: { image_url: `data:image/png;base64,${(await solidPng('#000000', 32, 32)).toString('base64')}` } });
      expect(withImage.json.error.code).toBe('unsupported_combination');
      const luma = await alice.post('/v1/videos', { model: 'luma/ray-2', prompt: 'a fox', characters: [{ id: ids[0] }] });
      expect(luma.status).toBe(400);
      expect(luma.json.error).toMatchObject({ code: 'unsupported_parameter', param: 'characters' });
      expect(luma.json.error.message).toMatch(/luma\/ray-2 cannot make videos with characters\. Models on this server that can: sketch, minimax\/S2V-01\./);
      expect((await alice.get('/v1/models/luma/ray-2')).json.characters).toBe(false);
      expect((await alice.get('/v1/models/sketch')).json.characters).toBe(true);
      const two = await alice.post('/v1/videos', { ...ONE_SECOND, characters: ids.slice(0, 2).map((id) => ({ id })) });
      expect(two.status, JSON.stringify(two.json)).toBe(200);

      expect((await upload(alice, { name: 'a\u0000b' }, { field: 'video', data: red, name: 'x.mp4' })).json.error.code).toBe('invalid_string');
      expect((await upload(alice, { name: 'x'.repeat(81) }, { field: 'video', data: red, name: 'x.mp4' })).json.error.code).toBe('string_above_max_length');
      expect((await upload(alice, { name: 'No file' })).json.error).toMatchObject({ code: 'missing_required_parameter', param: 'video' });
      expect((await upload(alice, { name: 'Text' }, { field: 'video', data: Buffer.from('not a video at all'), name: 'x.mp4' })).json.error.code).toBe('unsupported_file_type');
      expect((await upload(alice, { name: 'Consent?', consent: 'perhaps' }, { field: 'video', data: red, name: 'x.mp4' })).json.error.param).toBe('consent');
      expect((await upload(alice, { name: 'Long' }, { field: 'video', data: await colorClip('blue', 12), name: 'x.mp4' })).json.error.code).toBe('invalid_duration');
      await waitStatus(alice, two.json.id, (s) => s === 'completed' || s === 'failed', 90_000);
    });
  });
}
