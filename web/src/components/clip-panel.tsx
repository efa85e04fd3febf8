// "From a clip of yours": extend or edit an MP4 from the user's disk (issue 15 §1–2). The server
// checks the clip (an MP4 that decodes to its last frame) and answers with the new video, which
// opens like any other. Only models that can take an uploaded clip are offered: those extending
// any video from its last frame (not Luma, which extends only its own), and video-to-video editors.
import { useState } from 'react';
import { api } from '../lib/api';
import { secondsOptions } from '../lib/card-controls';
import type { JobStore } from '../lib/job-store';
import type { ModelCard } from '../lib/types';
import { useNewVideo } from './use-remix';

export function ClipPanel({ models, store }: { models: ModelCard[]; store: JobStore }) {
  const extenders = models.filter((m) => m.available && m.extend && !m.extend_native && m.inputs.includes('text'));
  const editors = models.filter((m) => m.available && m.edit && m.inputs.includes('video'));
  const [action, setAction] = useState<'extend' | 'edit'>('extend');
  const [clip, setClip] = useState<File | null>(null);
  const choices = action === 'extend' ? extenders : editors;
  const [modelId, setModelId] = useState(extenders[0]?.id ?? '');
  const model = choices.find((m) => m.id === modelId) ?? choices[0];
  const seconds = model && action === 'extend' ? secondsOptions(model) : [];
  const [chosenSeconds, setSeconds] = useState<number | null>(null);
  const addSeconds = chosenSeconds !== null && seconds.includes(chosenSeconds) ? chosenSeconds : seconds.includes(4) ? 4 : seconds[0];
  const { prompt, setPrompt, busy, error, submit } = useNewVideo('', (p) => api.fromClip(clip!, { prompt: p, model: model!.id, ...(action === 'extend' ? { seconds: addSeconds } : {}) }), store);
  if (extenders.length === 0 && editors.length === 0) return null;
  return (
    <section className="panel clip-panel" aria-labelledby="clip-h">
      {/* Closed until wanted: most visits make videos from prompts, and the library comes next. */}
      <details>
        <summary><h2 id="clip-h">From a clip of yours</h2></summary>
        <p className="hint">Extend an MP4 of yours with what happens next, or have it re-made with a change. Its sound is kept; the clip stays yours and private.</p>
        <form onSubmit={submit}>
          <fieldset className="choice">
            <legend>What to do</legend>
            <label><input type="radio" name="clip-action" checked={action === 'extend'} disabled={extenders.length === 0} onChange={() => { setAction('extend'); setModelId(extenders[0]?.id ?? ''); }} /> Extend it</label>
            <label><input type="radio" name="clip-action" checked={action === 'edit'} disabled={editors.length === 0} onChange={() => { setAction('edit'); setModelId(editors[0]?.id ?? ''); }} /> Edit it</label>
            {editors.length === 0 && <p className="hint">Editing an uploaded clip needs a video-to-video model (such as Runway Aleph), which this server does not have.</p>}
          </fieldset>
          <label htmlFor="clip-file">MP4 clip</label>
          <input id="clip-file" type="file" accept="video/mp4" required onChange={(e) => setClip(e.target.files?.[0] ?? null)} />
          <label htmlFor="clip-prompt">{action === 'extend' ? 'What happens next' : 'The change'}</label>
          <textarea id="clip-prompt" rows={2} value={prompt} required onChange={(e) => setPrompt(e.target.value)} />
          {choices.length > 1 && (
            <>
              <label htmlFor="clip-model">Made by</label>
              <select id="clip-model" value={model?.id} onChange={(e) => setModelId(e.target.value)}>
                {choices.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
              </select>
            </>
          )}
          {action === 'extend' && (
            <>
              <label htmlFor="clip-seconds">Seconds to add</label>
              <select id="clip-seconds" value={addSeconds} onChange={(e) => setSeconds(Number(e.target.value))}>
                {seconds.map((s) => <option key={s} value={s}>{s} s</option>)}
              </select>
            </>
          )}
          <button type="submit" className="primary" disabled={busy || !clip || !prompt.trim() || !model}>{busy ? 'Uploading…' : action === 'extend' ? 'Extend the clip' : 'Edit the clip'}</button>
          {error && <p className="error-box" role="alert">{error}</p>}
        </form>
      </details>
    </section>
  );
}
