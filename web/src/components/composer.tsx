// The composer: a prompt and the controls the chosen model's card allows, with what the user's plan
// refuses greyed out and the reason named. Ctrl/Cmd+Enter submits; N variations are N videos with
// consecutive seeds; a chosen image is checked before upload; the server's 400 message is shown.
import { useEffect, useId, useMemo, useRef, useState, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import { api, errorText } from '../lib/api';
import {
  acceptsImage, acceptsLastFrame, aspectOf, aspectsFor, conform, defaultDraft, estimateCostUsd, estimateRenderSeconds, randomSeed,
  secondsOptions, sizesFor, variationSeeds, type Aspect, type Draft, type RenderHistory,
} from '../lib/card-controls';
import { checkImageFile } from '../lib/image-check';
import { CharacterPicker } from './character-picker';
import { LastFrameDrop } from './last-frame-drop';
import { fitToPlan, modelRefusal, planSummary, secondsRefusal, sizeRefusal, type PlanLimits } from '../lib/plan-limits';
import { formatDuration } from '../lib/progress';
import type { ModelCard, Video } from '../lib/types';

interface Props {
  models: ModelCard[];
  draft: Draft | null;
  onDraftUsed(): void;
  onCreated(videos: Video[]): void;
}

const CUSTOM = 'custom';

export function Composer({ models, draft: incoming, onDraftUsed, onCreated }: Props) {
  const usable = models.filter((m) => m.available);
  const first = usable[0] ?? models[0];
  const [d, setD] = useState<Draft>(() => (first ? defaultDraft(first) : { model: '', prompt: '', negativePrompt: '', seconds: 4, size: '1280x720', fps: 24, seed: '', variations: 1 }));
  const card = models.find((m) => m.id === d.model) ?? first;
  const [custom, setCustom] = useState(false);
  const [image, setImage] = useState<File | null>(null);
  const [lastFrame, setLastFrame] = useState<File | null>(null);
  const [cast, setCast] = useState<string[]>([]);
  const [preview, setPreview] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [history, setHistory] = useState<RenderHistory[]>([]);
  const [plan, setPlan] = useState<PlanLimits | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = useId();

  // The plan's per-video limits (none in local mode). Read on every visit: an admin may change it.
  useEffect(() => {
    let live = true;
    api.usage().then((u) => { if (live) setPlan(u.plan); }, () => { /* no usage, no greying: the server still refuses */ });
    return () => { live = false; };
  }, []);

  // A draft (the default, a reused one) that the plan refuses moves inside it once the plan is known.
  // It runs again when a reused draft has been taken (`incoming` goes back to null, below).
  useEffect(() => {
    if (!plan) return;
    setD((cur) => {
      const target = models.find((m) => m.id === cur.model);
      return target ? fitToPlan(cur, target, plan) : cur;
    });
  }, [plan, models, incoming]);

  // "Reuse settings" from a video page fills the composer once.
  useEffect(() => {
    if (!incoming) return;
    const target = models.find((m) => m.id === incoming.model);
    const next = target ? conform(incoming, target) : incoming;
    setD(next);
    setCustom(target ? !sizesFor(target, aspectOf(next.size) ?? '16:9').includes(next.size) : false);
    setError(null);
    onDraftUsed();
  }, [incoming, models, onDraftUsed]);

  // The render-time estimate comes from this model's own recent videos on this server.
  useEffect(() => {
    let live = true;
    api.library({ status: 'completed', model: d.model }, undefined, 20).then(
      (page) => live && setHistory(page.data.filter((v) => v.started_at && v.completed_at).map((v) => ({ seconds: Number(v.seconds), fps: v.fps, size: v.size, startedAt: v.started_at!, completedAt: v.completed_at! }))),
      () => live && setHistory([]),
    );
    return () => { live = false; };
  }, [d.model]);

  useEffect(() => {
    if (!image) return setPreview(null);
    const url = URL.createObjectURL(image);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [image]);

  const aspects = useMemo(() => (card ? aspectsFor(card) : []), [card]);
  if (!card) return <section className="composer state" aria-label="New video"><p>No engine is configured on this server, so nothing can be generated yet.</p></section>;

  const aspect = aspectOf(d.size);
  const sizes = aspect ? sizesFor(card, aspect) : [];
  const showCustom = custom || (!sizes.includes(d.size) && !card.sizes.includes(d.size));
  const [w, h] = d.size.split('x');
  const cost = estimateCostUsd(card, d.seconds, d.variations);
  const eta = estimateRenderSeconds(card, history, { seconds: d.seconds, fps: d.fps, size: d.size }, d.variations);
  const set = (patch: Partial<Draft>) => { setD((cur) => ({ ...cur, ...patch })); setError(null); };

  const pickModel = (id: string) => {
    const next = models.find((m) => m.id === id);
    if (!next) return;
    setD((cur) => fitToPlan(conform(cur, next), next, plan));
    if (!acceptsImage(next)) setImage(null);
    if (!acceptsLastFrame(next)) setLastFrame(null);
    setCustom(false);
  };
  const pickAspect = (a: Aspect) => {
    const all = sizesFor(card, a);
    const allowed = all.filter((s) => !sizeRefusal(plan, s));
    const options = allowed.length ? allowed : all;
    const area = Number(w) * Number(h);
    const best = options.reduce((b, s) => {
      const [sw, sh] = s.split('x').map(Number) as [number, number];
      const [bw, bh] = b.split('x').map(Number) as [number, number];
      return Math.abs(sw * sh - area) < Math.abs(bw * bh - area) ? s : b;
    }, options[0]!);
    setCustom(false);
    set({ size: best });
  };

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (busy || !card) return;
    if (!d.prompt.trim()) {
      setError('Write a prompt first: describe the video in a sentence, or one shot per line.');
      document.getElementById('prompt')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const made: Video[] = [];
    try {
      for (const seed of variationSeeds(d.seed, d.variations)) {
        made.push(await api.create({
          model: card.id, prompt: d.prompt, seconds: d.seconds, size: d.size, fps: d.fps,
          seed, negativePrompt: card.negative_prompt ? d.negativePrompt : undefined, image: acceptsImage(card) ? image : null,
          lastFrame: acceptsLastFrame(card) ? lastFrame : null,
          characters: card.characters && !image ? cast : [],
        }));
      }
      setNotice(made.length === 1 ? 'Video queued.' : `${made.length} videos queued.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      if (made.length) onCreated(made);
      setBusy(false);
    }
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    }
  };
  // An image is kept (and previewed) only once it reads as a PNG, JPEG or WebP the browser decodes.
  const chooseImage = async (file: File | null) => {
    setError(null);
    if (!file) return setImage(null);
    const problem = await checkImageFile(file);
    if (problem) {
      setImage(null);
      if (fileInput.current) fileInput.current.value = '';
      setError(problem);
    } else setImage(file);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void chooseImage(file);
  };
  const summary = planSummary(plan);

  return (
    <section className="composer" aria-labelledby={`${ids}-title`} onKeyDown={onKey}>
      <h1 id={`${ids}-title`}>New video</h1>
      <form onSubmit={submit} noValidate>
        <label htmlFor="prompt">Prompt</label>
        <textarea
          id="prompt" rows={4} value={d.prompt} onChange={(e) => set({ prompt: e.target.value })}
          placeholder={'a lighthouse on a cliff at dusk, light rain\nshot 2: [3s] the sea at night, zoom in'}
          aria-describedby={`${ids}-ph`}
        />
        <p id={`${ids}-ph`} className="hint">Several shots: one per line (optional durations like [3s]). Ctrl+Enter creates.</p>

        {card.negative_prompt && (
          <>
            <label htmlFor={`${ids}-neg`}>Negative prompt <span className="optional">(optional)</span></label>
            <input id={`${ids}-neg`} type="text" value={d.negativePrompt} onChange={(e) => set({ negativePrompt: e.target.value })} placeholder="what to keep out, e.g. text, blur" />
          </>
        )}

        <div className="controls">
          <div className="field wide">
            <label htmlFor={`${ids}-model`}>Engine</label>
            <select id={`${ids}-model`} value={card.id} onChange={(e) => pickModel(e.target.value)} aria-describedby={`${ids}-mdesc`}>
              {models.map((m) => {
                const refused = modelRefusal(plan, m.id);
                return <option key={m.id} value={m.id} disabled={!m.available || refused !== null}>{m.label}{!m.available ? ' (unavailable)' : refused ? ` (${refused})` : ''}</option>;
              })}
            </select>
            <p id={`${ids}-mdesc`} className="hint">{card.description}</p>
          </div>

          <fieldset className="field">
            <legend>Aspect</legend>
            <div className="segmented">
              {aspects.map((a) => (
                <label key={a} className={aspect === a ? 'on' : ''}>
                  <input type="radio" name={`${ids}-aspect`} value={a} checked={aspect === a} onChange={() => pickAspect(a)} />
                  {a}
                </label>
              ))}
            </div>
          </fieldset>

          <div className="field">
            <label htmlFor={`${ids}-size`}>Size</label>
            <select id={`${ids}-size`} value={showCustom ? CUSTOM : d.size} onChange={(e) => (e.target.value === CUSTOM ? setCustom(true) : (setCustom(false), set({ size: e.target.value })))}>
              {sizes.map((s) => {
                const refused = sizeRefusal(plan, s);
                return <option key={s} value={s} disabled={refused !== null}>{s}{refused ? ` (${refused})` : ''}</option>;
              })}
              {card.size_range && <option value={CUSTOM}>Custom…</option>}
            </select>
          </div>
          {showCustom && (
            <div className="field custom-size" aria-describedby={sizeRefusal(plan, d.size) ? `${ids}-custom-why` : undefined}>
              <label htmlFor={`${ids}-width`}>Width</label>
              <input id={`${ids}-width`} inputMode="numeric" value={w} onChange={(e) => set({ size: `${e.target.value.replace(/\D/g, '')}x${h}` })} />
              <label htmlFor={`${ids}-height`}>Height</label>
              <input id={`${ids}-height`} inputMode="numeric" value={h} onChange={(e) => set({ size: `${w}x${e.target.value.replace(/\D/g, '')}` })} />
            </div>
          )}

          <div className="field">
            <label htmlFor={`${ids}-sec`}>Duration</label>
            <select id={`${ids}-sec`} value={d.seconds} onChange={(e) => set({ seconds: Number(e.target.value) })}>
              {secondsOptions(card).map((s) => {
                const refused = secondsRefusal(plan, s);
                return <option key={s} value={s} disabled={refused !== null}>{s} s{refused ? ` (${refused})` : ''}</option>;
              })}
            </select>
          </div>

          <div className="field">
            <label htmlFor={`${ids}-fps`}>Frame rate</label>
            <select id={`${ids}-fps`} value={d.fps} onChange={(e) => set({ fps: Number(e.target.value) })}>
              {card.fps.map((f) => <option key={f} value={f}>{f} fps</option>)}
            </select>
          </div>

          {card.seed && (
            <div className="field">
              <label htmlFor={`${ids}-seed`}>Seed</label>
              <div className="with-button">
                <input id={`${ids}-seed`} inputMode="numeric" placeholder="random" value={d.seed} onChange={(e) => set({ seed: e.target.value.replace(/\D/g, '').slice(0, 10) })} />
                <button type="button" className="icon" onClick={() => set({ seed: randomSeed() })} aria-label="Roll a random seed" title="Roll a random seed"><DiceIcon /></button>
              </div>
            </div>
          )}

          <fieldset className="field">
            <legend>Variations</legend>
            <div className="segmented">
              {([1, 2, 4] as const).map((n) => (
                <label key={n} className={d.variations === n ? 'on' : ''}>
                  <input type="radio" name={`${ids}-var`} value={n} checked={d.variations === n} onChange={() => set({ variations: n })} />
                  {n}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
        {showCustom && sizeRefusal(plan, d.size) && <p id={`${ids}-custom-why`} className="hint warn">{d.size} is {sizeRefusal(plan, d.size)}.</p>}
        {summary && <p className="hint">{summary}</p>}

        {acceptsImage(card) && (
          <div
            className={`drop ${dragging ? 'over' : ''}`}
            onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            {preview ? (
              <>
                <img src={preview} alt="First frame you chose" />
                <span>{image?.name}</span>
                <button type="button" onClick={() => { setImage(null); if (fileInput.current) fileInput.current.value = ''; }}>Remove image</button>
              </>
            ) : (
              <label htmlFor={`${ids}-img`}>Drop an image here to start from it, or <span className="linklike">choose a file</span> <span className="optional">(PNG, JPEG or WebP; optional)</span></label>
            )}
            <input id={`${ids}-img`} ref={fileInput} className="sr-only" type="file" accept="image/png,image/jpeg,image/webp" onChange={(e) => void chooseImage(e.target.files?.[0] ?? null)} />
          </div>
        )}

        {acceptsLastFrame(card) && <LastFrameDrop file={lastFrame} onChange={setLastFrame} onError={setError} />}

        {card.characters && !image && <CharacterPicker chosen={cast} onChange={setCast} />}

        <div className="submit-row">
          <p className="estimate" aria-live="polite">
            {cost !== null && <>Estimated cost <strong>${cost.toFixed(2)}</strong>. </>}
            {eta !== null ? <>About <strong>{formatDuration(eta)}</strong> to render, judging by your last {history.length} {card.label} video{history.length === 1 ? '' : 's'}.</> : cost === null ? <>Runs on this server; no cost.</> : null}
          </p>
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Submitting…' : d.variations === 1 ? 'Create video' : `Create ${d.variations} videos`}</button>
        </div>
        <p className="sr-only" role="status">{notice}</p>
        {error && <p className="error-box" role="alert">{error}</p>}
      </form>
    </section>
  );
}

function DiceIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect x="3" y="3" width="18" height="18" rx="4" fill="none" stroke="currentColor" strokeWidth="2" />
      <circle cx="8.5" cy="8.5" r="1.6" fill="currentColor" /><circle cx="15.5" cy="15.5" r="1.6" fill="currentColor" />
      <circle cx="12" cy="12" r="1.6" fill="currentColor" /><circle cx="15.5" cy="8.5" r="1.6" fill="currentColor" /><circle cx="8.5" cy="15.5" r="1.6" fill="currentColor" />
    </svg>
  );
}
