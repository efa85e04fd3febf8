// An author's public page: the name they chose (never their email), how much they published and
// how often others remixed it, and their published videos.
import { useEffect, useState } from 'react';
import { api, ApiFailure, errorText } from '../lib/api';
import { atHandle } from '../lib/sharing';
import type { PublicProfile } from '../lib/types';
import { FeedList } from './public-parts';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function ProfilePage({ handle }: { handle: string }) {
  const [profile, setProfile] = useState<PublicProfile | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  useEffect(() => {
    api.profile(handle).then(setProfile, (err: unknown) => setError({ status: err instanceof ApiFailure ? err.status : 0, message: errorText(err) }));
  }, [handle]);
  useEffect(() => { document.title = `${profile?.display_name || `@${handle}`} · Méliès`; }, [profile, handle]);

  if (error) {
    return (
      <div className="state error" role="alert">
        <h1>{error.status === 404 ? 'No such author' : 'The profile could not load'}</h1>
        <p>{error.message}</p>
      </div>
    );
  }
  if (!profile) return <p className="state" role="status">Loading the profile…</p>;
  return (
    <section className="panel profile" aria-labelledby="profile-h">
      <h1 id="profile-h">{profile.display_name || atHandle(profile)} {profile.display_name && <span className="handle">{atHandle(profile)}</span>}</h1>
      <p className="counts">
        {count(profile.published_count, 'published video', 'published videos')} · remixed {count(profile.remixed_count, 'time', 'times')} by others
      </p>
      <h2>Published videos</h2>
      <FeedList sort="newest" author={profile.handle} label={`Videos by ${atHandle(profile)}`} empty="Nothing published yet." />
    </section>
  );
}
