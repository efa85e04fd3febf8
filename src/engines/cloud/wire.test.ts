// The answers every adapter gives alike: a failed job (refusal or failure), a create answer without
// an id, an unknown status, and the usual classify with a provider's special case in front.
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../domain/errors.js';
import { classifyStatus, failed, requireJobId, unknownStatus } from './wire.js';

const answer = (status: number, body: unknown) => ({ status, headers: new Headers(), body, text: JSON.stringify(body) });

describe('wire helpers', () => {
  it('a failed job is a content-policy refusal by code or by its words, else generation_failed with the note', () => {
    expect(failed('P', 'Output blocked', { policy: true }).error.code).toBe('content_policy_violation');
    expect(failed('P', 'The prompt was flagged by moderation.').error.code).toBe('content_policy_violation');
    const plain = failed('P', 'GPU ran out of memory.', { note: 'P refunds failed jobs.' }).error;
    expect(plain).toMatchObject({ code: 'generation_failed', retryable: false, message: 'P could not make this video (the provider reported a failure). Try again or pick another model. P refunds failed jobs.', detail: 'P reported: GPU ran out of memory' });
  });

  it('a create answer without an id is uncertain, never failed; an unknown status is retryable', () => {
    expect(requireJobId({ data: { task_id: 't1' } }, 'data.task_id', 'P', 'task id')).toBe('t1');
    expect(() => requireJobId({ ok: true }, 'id', 'P', 'task id')).toThrow(expect.objectContaining({ code: 'provider_submit_uncertain', message: expect.stringContaining('no task id') }));
    const e = unknownStatus('P', 'task status', 'WEIRD');
    expect(e).toBeInstanceOf(EngineError);
    expect(e).toMatchObject({ code: 'provider_error', retryable: true, detail: expect.stringContaining('"WEIRD"') });
  });

  it('classifies 2xx as success, a special case first, then the common mapping', () => {
    expect(classifyStatus(answer(200, {}))).toBeNull();
    expect(classifyStatus(answer(400, { error: 'no credits left' }), () => 'billing')).toEqual({ kind: 'billing', message: 'no credits left' });
    expect(classifyStatus(answer(400, { error: 'no credits left' }), () => null)?.kind).toBe('billing');
    expect(classifyStatus(answer(404, { error: 'task gone' }))?.kind).toBe('not_found');
    expect(classifyStatus(answer(503, { error: 'down' }))?.kind).toBe('server');
  });
});
