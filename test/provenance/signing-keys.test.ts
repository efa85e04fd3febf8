// The key the instance signs with: made at first start with private files 0600 and reused after a
// restart, or the operator's own certificate chain and key; a certificate C2PA validators would
// refuse is refused at start, with the reason. Files signed with either read as Trusted through
// the C2PA library's own reader.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { C2paSigner } from '../../src/provenance/c2pa.signer.js';
import { generationFacts } from '../../src/provenance/facts.js';
import { loadSigningIdentity, SigningSetupError, type SigningIdentity } from '../../src/provenance/instance-keys.js';
import type { Video } from '../../src/domain/video.js';
import { bins } from '../helpers/media.js';
import { sharedSigningIdentity } from '../../src/app/deployment.js';
import { testDatabases } from '../../src/db/test-databases.js';
import { activeManifest, readWithLibrary } from './c2pa-reader.js';

const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'melies-keys-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const settings = (dataDir: string, over: Partial<Parameters<typeof loadSigningIdentity>[0]> = {}) => ({ dataDir, certPath: null, keyPath: null, trustAnchorsPath: null, ...over });

async function signAndRead(identity: SigningIdentity, dir: string, anchors: string): Promise<any> {
  const src = join(dir, 'in.mp4');
  execFileSync(bins.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=d=1:s=160x90:r=12', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', src]);
  const video = { id: 'video_0123456789abcdef0123456789abcdef', prompt: 'p', seed: 1, createdAt: Date.now(), remixedFromVideoId: null } as Video;
  const facts = generationFacts({ video, model: 'sketch', engine: 'sketch', card: null, author: { id: 'usr_x', handle: null, displayName: null }, training: 'not-allowed', watermarkPlan: null, parentFile: null });
  await new C2paSigner(identity).signCreated(facts, src, join(dir, 'out.mp4'));
  return readWithLibrary(readFileSync(join(dir, 'out.mp4')), anchors);
}

/** An operator's PKI made with openssl, as the docs/notes recipe does: a CA and a signer. */
function operatorPki(dir: string, eku: string | null): { chain: string; key: string; ca: string } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
  run('req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '3650', '-subj', '/CN=Studio Root CA/O=Example Studio',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'subjectKeyIdentifier=hash', '-out', 'ca.crt');
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'signer.key');
  run('req', '-new', '-key', 'signer.key', '-subj', '/CN=Example Studio signer/O=Example Studio', '-out', 'signer.csr');
  writeFileSync(join(dir, 'ee.ext'), `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n${eku ? `extendedKeyUsage=${eku}\n` : ''}subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n`);
  run('x509', '-req', '-in', 'signer.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '825', '-sha256', '-extfile', 'ee.ext', '-out', 'signer.crt');
  writeFileSync(join(dir, 'chain.pem'), readFileSync(join(dir, 'signer.crt'), 'utf8') + readFileSync(join(dir, 'ca.crt'), 'utf8'));
  return { chain: join(dir, 'chain.pem'), key: join(dir, 'signer.key'), ca: join(dir, 'ca.crt') };
}

describe('instance signing keys', () => {
  it('are made at first start with 0600 private keys, and reused after a restart', async () => {
    const data = tmp();
    const first = await loadSigningIdentity(settings(data));
    expect(first.source).toBe('instance');
    for (const f of ['ca.key', 'signer.key']) expect(statSync(join(data, 'signing', f)).mode & 0o777).toBe(0o600);
    expect(statSync(join(data, 'signing')).mode & 0o077).toBe(0);
    const again = await loadSigningIdentity(settings(data));
    expect(again.leaf.fingerprint256).toBe(first.leaf.fingerprint256);
    expect(again.keyPem).toBe(first.keyPem);
    const store = await signAndRead(again, data, readFileSync(join(data, 'signing', 'ca.crt'), 'utf8'));
    expect(store.validation_state).toBe('Trusted');
  });

  it("signs with the operator's certificate chain and key when configured", async () => {
    const data = tmp();
    const pki = operatorPki(tmp(), 'emailProtection');
    const id = await loadSigningIdentity(settings(data, { certPath: pki.chain, keyPath: pki.key }));
    expect(id.source).toBe('operator');
    expect(id.chainDer).toHaveLength(2);
    // The operator's CA (from the chain) is a trust anchor: their files read as Trusted.
    const store = await signAndRead(id, data, id.trustAnchorsPem);
    expect(store.validation_state).toBe('Trusted');
    expect(activeManifest(store).signature_info.common_name).toBe('Example Studio signer');
  });

  it('refuses at start a certificate C2PA validators would refuse, or a key that is not its own', async () => {
    const noEku = operatorPki(tmp(), null);
    await expect(loadSigningIdentity(settings(tmp(), { certPath: noEku.chain, keyPath: noEku.key }))).rejects.toThrow(/extended key usage emailProtection or documentSigning/);
    const a = operatorPki(tmp(), 'emailProtection');
    const b = operatorPki(tmp(), 'emailProtection');
    await expect(loadSigningIdentity(settings(tmp(), { certPath: a.chain, keyPath: b.key }))).rejects.toThrow(SigningSetupError);
    await expect(loadSigningIdentity(settings(tmp(), { certPath: a.chain, keyPath: b.key }))).rejects.toThrow(/does not belong/);
  });
});

// Distributed mode (issue 13 + 14): every box would otherwise make its own CA, and the others would
// call its videos untrusted. The deployment records one identity in the database; each process
// signs with it, and still trusts the CA it had made itself before joining.
for (const t of await testDatabases()) {
  describe(`one signing identity for a distributed deployment, on ${t.name}`, () => {
    it('signs with the first recorded identity on every box, and a video from one box is trusted by the other', async () => {
      const { db, close } = await t.open();
      try {
        const [boxA, boxB] = [tmp(), tmp()];
        const a = await loadSigningIdentity(settings(boxA, { shared: sharedSigningIdentity(db, 'worker') }));
        const b = await loadSigningIdentity(settings(boxB, { shared: sharedSigningIdentity(db, 'serve') }));
        expect(b.leaf.fingerprint256).toBe(a.leaf.fingerprint256);
        // Box B made its own CA at first start: still trusted (what it signed before), never used to sign.
        const ownCaB = readFileSync(join(boxB, 'signing', 'ca.crt'), 'utf8');
        expect(b.trustAnchorsPem).toContain(ownCaB.trim());
        const read = await signAndRead(a, tmp(), b.trustAnchorsPem);
        expect(read.validation_state).toBe('Trusted');
        // Without the shared record, box B's own identity would not trust box A's videos.
        const alone = await loadSigningIdentity(settings(boxB));
        expect(alone.leaf.fingerprint256).not.toBe(a.leaf.fingerprint256);
        expect((await signAndRead(a, tmp(), alone.trustAnchorsPem)).validation_state).not.toBe('Trusted');
      } finally {
        await close();
      }
    });
  });
}
