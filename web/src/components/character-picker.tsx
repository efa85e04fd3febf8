// The composer's characters (issue 15 §3): up to two of those you may use (yours and those shared
// with you, consent confirmed, not revoked), for models whose card takes characters. Hidden when
// there are none; the server checks each again when the video is made.
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import type { Character } from '../lib/types';

export const MAX_CHARACTERS = 2;

export function CharacterPicker({ chosen, onChange }: { chosen: string[]; onChange(ids: string[]): void }) {
  const [usable, setUsable] = useState<Character[]>([]);
  useEffect(() => {
    let live = true;
    api.characters.list().then((all) => { if (live) setUsable(all.filter((c) => c.status === 'ready')); }, () => { /* no characters here */ });
    return () => { live = false; };
  }, []);
  if (usable.length === 0) return null;
  const toggle = (id: string, on: boolean) => onChange(on ? [...chosen, id].slice(-MAX_CHARACTERS) : chosen.filter((c) => c !== id));
  return (
    <fieldset className="characters">
      <legend>Characters <span className="optional">(up to {MAX_CHARACTERS})</span></legend>
      {usable.map((c) => (
        <label key={c.id}>
          <input type="checkbox" checked={chosen.includes(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
          <img src={c.look_url} alt="" width={32} height={32} className="look" /> {c.name}{c.mine ? '' : ' (shared with you)'}
        </label>
      ))}
    </fieldset>
  );
}
