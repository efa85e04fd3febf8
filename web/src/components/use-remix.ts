// The state of a form that makes a new video from this one (remix, extend, edit), shared by the
// owner's video page and a published video's page: the prompt, the request, and on success the
// new video tracked and opened.
import { useState, type FormEvent } from 'react';
import { api, errorText } from '../lib/api';
import type { JobStore } from '../lib/job-store';
import type { Video } from '../lib/types';
import { navigate } from '../lib/router';

export function useRemix(videoId: string, initialPrompt: string, store: JobStore) {
  return useNewVideo(initialPrompt, (prompt) => api.remix(videoId, prompt), store);
}

export function useNewVideo(initialPrompt: string, make: (prompt: string) => Promise<Video>, store: JobStore) {
  const [prompt, setPrompt] = useState(initialPrompt);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const made = await make(prompt);
      store.track(made);
      navigate(`/videos/${made.id}`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      // The owner's page may stay mounted for the new video (same component, new id).
      setBusy(false);
    }
  };
  return { prompt, setPrompt, busy, error, submit };
}
