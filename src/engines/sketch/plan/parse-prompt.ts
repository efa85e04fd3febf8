// PROMPT → SCENE PLAN for the sketch engine, in English and French. Deterministic and pure: the
// same prompt always gives the same plan, unknown words are ignored, and no string makes it throw.
//
// How it reads a shot: lexicon.ts cuts the text into items, longest phrase first, settles words
// whose meaning depends on their neighbours and drops negated ones. Then, in order: counts and
// colours/sizes attach to their noun (read-subjects.ts; English adjectives before it, French colours
// after it), weather intensities to the nearest weather word, motions, poses and directions to the
// nearest subject (or to the camera right after a camera move). Shot-wide values (setting, time, weather, camera,
// style, effects) never depend on word order across languages — that is what makes French and
// English twins give the same plan (features keep prompt order, as the contract asks). Across shots, setting, time, weather, style and subjects carry
// over when a shot does not say its own (storyboard.ts cuts the prompt and times the shots).
// `understood` lists, in prompt order and normalised ("hot air balloon", "crepuscule"), what
// changed the plan; `ignored` the rest, including known words that lost or had nothing to attach
// to (a second setting, a colour with no noun). Stopwords ("the", "de") are in neither.
// How many: a number said is kept; a bare plural is a small group and "many", "a flock of", "des
// dizaines de" more (quantity.ts), seeded from what the shot means so twins stay twins.
// Places: features (harbour, village, fire…) stand in the setting and imply one when the prompt
// names none; they beat a subject's hint ("penguins on an iceberg" are at sea). Night sights
// (moon, stars, fireworks, fireflies, neon) make it night unless a time of day is named.
import { has, scan, termOf, type Item, type TermOf } from './lexicon.js';
import { attachAdjectives, attachCounts, makeSubjects, type Subject } from './read-subjects.js';
import {
  EFFECTS, STYLES, SUBJECT_KINDS,
  type Camera, type CameraMove, type Direction, type Effect, type Feature, type Framing, type MoonPhase, type PlannedSubject, type ScenePlan,
  type Setting, type ShotPlan, type Style, type SubjectKind, type TimeOfDay, type Weather, type WeatherKind,
} from './scene-plan.js';
import { assignDurations, splitStoryboard } from './storyboard.js';

const DEFAULT_WEATHER: Weather = { kind: 'clear', intensity: 'moderate' };
/** With several weathers named, the most dramatic is drawn ("rain and then a storm" → storm). */
const WEATHER_PRIORITY: readonly WeatherKind[] = ['storm', 'snow', 'rain', 'fog', 'clouds', 'clear'];
/**
 * Kinds with a body that can sit, sleep, jump or dance: people and animals, the first group of
 * SUBJECT_KINDS (everything before the vehicles). "a boat sitting in the harbour" takes no pose.
 */
const BODIES: ReadonlySet<SubjectKind> = new Set(SUBJECT_KINDS.slice(0, SUBJECT_KINDS.indexOf('car')));

/** What a shot hands the next one. `…Said` is false when the value was only the default. */
type Carry = Pick<ShotPlan, 'setting' | 'timeOfDay' | 'weather' | 'style' | 'subjects'> & {
  settingSaid: boolean;
  timeSaid: boolean;
  features: Feature[];
  moonPhase: MoonPhase | null;
};

/** One place a subject is named; "the cat" after "a cat" is a second mention of the same cat. */
interface Mention {
  item: Item;
  subject: Subject;
}

/** One shot on its own: null where it says nothing, for parsePrompt to fill by continuity. */
interface ShotReading extends Pick<ShotPlan, 'subjects' | 'camera' | 'style' | 'effects'> {
  setting: Setting | null;
  /** The setting the first feature implies (harbour → sea): a place named, so it beats continuity. */
  featureSetting: Setting | null;
  impliedSetting: Setting | null;
  features: Feature[];
  moonPhase: MoonPhase | null;
  time: TimeOfDay | null;
  impliedTime: TimeOfDay | null;
  weather: Weather | null;
  crossfade: boolean;
  items: Item[];
}

/**
 * `after`: the shot this prompt continues (an extension, issue 15): its world carries into the
 * first shot as if the prompt were the storyboard's next line.
 */
export function parsePrompt(prompt: string, totalSeconds: number, after?: ShotPlan): ScenePlan {
  const text = typeof prompt === 'string' ? prompt : '';
  const split = splitStoryboard(text);
  const parts = split.length > 0 ? split : [{ text: text.trim(), seconds: null }];
  const timings = assignDurations(parts.map((p) => p.seconds), totalSeconds);
  const shots: ShotPlan[] = [];
  const understood: string[] = [];
  const ignored: string[] = [];
  // A later shot's own hint (a lighthouse → sea) beats an inherited value only when that value
  // was a mere default: continuity keeps what was said, not what nobody said.
  let carry = (after
    ? {
      setting: after.setting, timeOfDay: after.timeOfDay, weather: after.weather, style: after.style, subjects: after.subjects, settingSaid: true,
      timeSaid: true, features: after.features ?? [], moonPhase: after.moonPhase ?? null,
    }
    : null) as Carry | null;
  for (const [index, part] of parts.entries()) {
    const prev: Carry | null = carry;
    const r = readShot(part.text, index === 0 && !after, prev?.subjects ?? []);
    const setting: Setting = r.setting ?? r.featureSetting ?? (prev?.settingSaid ? prev.setting : r.impliedSetting) ?? prev?.setting ?? 'meadow';
    // A shot that names no place of its own stays in the previous one, with what stands there.
    const samePlace = r.setting === null && r.features.length === 0;
    const features: Feature[] = samePlace ? [...(prev?.features ?? [])] : r.features;
    // The moon keeps its phase while it is in the picture.
    const moonPhase = r.moonPhase ?? (r.subjects.some((s) => s.kind === 'moon') ? prev?.moonPhase ?? null : null);
    const time: TimeOfDay = r.time ?? (prev?.timeSaid ? prev.timeOfDay : r.impliedTime) ?? prev?.timeOfDay ?? 'afternoon';
    const weather: Weather = { ...(r.weather ?? prev?.weather ?? DEFAULT_WEATHER) };
    const style: Style[] = r.style.length > 0 ? r.style : [...(prev?.style ?? [])];
    const timing = timings[index]!;
    shots.push({
      index, text: part.text, start: timing.start, seconds: timing.seconds,
      transition: r.crossfade ? 'crossfade' : 'cut', // never on the first shot: readShot ignores it there
      setting, timeOfDay: time, weather, subjects: r.subjects, camera: r.camera, style, effects: r.effects, features, moonPhase,
    });
    carry = {
      setting, timeOfDay: time, weather, style, subjects: r.subjects, features, moonPhase,
      settingSaid: r.setting !== null || r.featureSetting !== null || r.impliedSetting !== null || (prev?.settingSaid ?? false),
      timeSaid: r.time !== null || r.impliedTime !== null || (prev?.timeSaid ?? false),
    };
    for (const item of r.items) {
      if (item.kind === 'stop') continue;
      (item.used ? understood : ignored).push(item.text);
    }
  }
  return { version: 1, shots, understood, ignored };
}

/** What a sentence says and nothing more (null or empty where it is silent): an edit's change (edit-plan.ts). */
export interface PlanChange extends Pick<ShotPlan, 'subjects' | 'style' | 'effects'> {
  features: Feature[];
  moonPhase: MoonPhase | null;
  setting: Setting | null;
  timeOfDay: TimeOfDay | null;
  weather: Weather | null;
  understood: string[];
  ignored: string[];
}

export function readChange(text: string): PlanChange {
  const r = readShot(typeof text === 'string' ? text : '', true, []);
  const understood: string[] = [];
  const ignored: string[] = [];
  for (const item of r.items) {
    if (item.kind === 'stop') continue;
    (item.used ? understood : ignored).push(item.text);
  }
  return {
    // A feature added by an edit stands in the source's setting; only a setting named moves the scene.
    setting: r.setting, timeOfDay: r.time, weather: r.weather, style: r.style, effects: r.effects, subjects: r.subjects,
    features: r.features, moonPhase: r.moonPhase, understood, ignored,
  };
}

function readShot(text: string, isFirst: boolean, inherited: readonly PlannedSubject[]): ShotReading {
  const items = scan(text);
  const counts = attachCounts(items);
  for (const item of items) {
    const countable = termOf(item, 'countable');
    if (countable) item.terms = [...countable.otherwise];
  }
  const { subjects, byItem } = makeSubjects(items, counts, inherited);
  attachAdjectives(items, byItem);
  const weather = readWeather(items);
  const cameraDirections = attachMotionsAndDirections(items, subjects, byItem);

  const setting = firstSaid(items, 'setting');
  const time = firstSaid(items, 'time');
  const style = collect(items, 'style', STYLES);
  const effects = collect(items, 'effect', EFFECTS);
  const features = readFeatures(items);
  const moon = items.flatMap((i) => i.terms).find((t): t is TermOf<'moon'> => t.t === 'moon');
  const impliedTime = items.flatMap((i) => i.terms).find((t): t is TermOf<'time'> => t.t === 'time' && t.implied === true)?.v ?? null;
  const transitions = isFirst ? [] : items.filter((i) => has(i, 'transition'));
  for (const item of transitions) item.used = true;
  const planned = subjects.map((s) => s.plan);
  return {
    setting, time, weather, style, effects, items, impliedTime, crossfade: transitions.length > 0,
    features: features.list, featureSetting: features.setting, moonPhase: moon?.v ?? null,
    impliedSetting: subjects.find((s) => s.setting !== null)?.setting ?? null,
    subjects: planned,
    camera: readCamera(items, cameraDirections, planned),
  };
}

/** The weather of the shot, with its intensity from an adjacent word ("light rain", "pluie fine"). */
function readWeather(items: Item[]): Weather | null {
  const named = items.filter((i) => has(i, 'weather'));
  const kind = WEATHER_PRIORITY.find((k) => named.some((i) => termOf(i, 'weather')!.v === k));
  if (!kind) return null;
  const ofKind = named.filter((i) => termOf(i, 'weather')!.v === kind);
  for (const item of ofKind) item.used = true;
  // Each intensity word belongs to the nearest weather word of its clause, the following one on a
  // tie: "heavy snow, light rain" gives snow heavy and rain light.
  const intensityOf = new Map<Item, Item>();
  items.forEach((item, i) => {
    if (!has(item, 'intensity')) return;
    let owner: Item | null = null;
    // Items within 3 words are within 3 items: every item covers at least one word.
    for (const w of items.slice(Math.max(0, i - 3), i + 4)) {
      const d = Math.abs(w.pos - item.pos);
      if (!has(w, 'weather') || w.clause !== item.clause || d > 3) continue;
      const best = owner ? Math.abs(owner.pos - item.pos) : Infinity;
      if (d < best || (d === best && w.pos > item.pos)) owner = w;
    }
    if (owner && !intensityOf.has(owner)) intensityOf.set(owner, item);
  });
  const said = ofKind.map((w) => intensityOf.get(w)).find((x) => x !== undefined);
  if (said) said.used = true;
  const implied = ofKind.map((i) => termOf(i, 'weather')!.intensity).find((x) => x !== undefined);
  return { kind, intensity: (said && termOf(said, 'intensity')!.v) ?? implied ?? 'moderate' };
}

/**
 * The subject nearest to `from`, preferring its own clause; the first one on a tie. `mentions` are
 * in prompt order, so a clause's mentions are contiguous and only the two neighbours of `from`
 * matter (a binary search keeps long prompts linear).
 */
function nearestSubject(from: Item, subjects: readonly Subject[], mentions: readonly Mention[]): Subject | null {
  if (mentions.length === 0) return subjects[0] ?? null; // inherited cast: the first is the lead
  let lo = 0;
  let hi = mentions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (mentions[mid]!.item.pos < from.pos) lo = mid + 1;
    else hi = mid;
  }
  const candidates = [mentions[lo - 1], mentions[lo]].filter((m): m is Mention => m !== undefined);
  const same = candidates.filter((m) => m.item.clause === from.clause);
  let best: Mention | null = null;
  for (const m of same.length > 0 ? same : candidates) {
    if (!best || Math.abs(m.item.pos - from.pos) < Math.abs(best.item.pos - from.pos)) best = m;
  }
  return best ? best.subject : null;
}

/** Looks back from item i (same clause, a few items) for an item matching `want`, stopping at `stop`. */
function lookBack(items: readonly Item[], i: number, want: (it: Item) => boolean, stop: (it: Item) => boolean): Item | null {
  for (let j = i - 1; j >= 0 && j >= i - 4 && items[j]!.clause === items[i]!.clause; j--) {
    const it = items[j]!;
    if (want(it)) return it;
    if (stop(it)) return null;
  }
  return null;
}

/**
 * "smoke rising", "snow falling", "leaves falling": a motion right after a thing that is not a
 * subject is that thing's, not the nearest subject's (the house does not rise, the tree does not
 * fall). An adverb ("happily running") or a French adjective after its noun ("un renard roux
 * court") does not count as such a thing.
 */
function movesSomethingElse(items: readonly Item[], i: number): boolean {
  const before = items[i - 1];
  if (!before || before.clause !== items[i]!.clause) return false;
  if (has(before, 'weather', 'effect')) return true;
  if (before.kind !== 'unknown' || /(?:ly|ment)$/.test(before.text)) return false;
  const described = items[i - 2];
  return !(described && described.clause === before.clause && has(described, 'subject'));
}

/** Returns the direction items that belong to the camera ("pan left", "panoramique vers la gauche"). */
function attachMotionsAndDirections(items: Item[], subjects: readonly Subject[], byItem: ReadonlyMap<Item, Subject>): Item[] {
  const mentions: Mention[] = [...byItem].map(([item, subject]) => ({ item, subject }));
  const motionOwner = new Map<Item, Subject>();
  const cameraDirections: Item[] = [];
  items.forEach((item, i) => {
    const pose = termOf(item, 'pose');
    if (pose) {
      const subject = nearestSubject(item, subjects, mentions);
      if (subject && BODIES.has(subject.plan.kind) && !subject.plan.pose) {
        subject.plan.pose = pose.v;
        item.used = true;
      }
    }
    const motion = termOf(item, 'motion');
    if (motion) {
      const subject = movesSomethingElse(items, i) ? null : nearestSubject(item, subjects, mentions);
      if (!subject) return;
      motionOwner.set(item, subject);
      if (subject.plan.motion === null || subject.presetMotion) {
        subject.plan.motion = motion.v;
        subject.presetMotion = false;
        item.used = true;
      }
      return;
    }
    const direction = termOf(item, 'direction');
    if (!direction) return;
    const isCamera = lookBack(items, i, (it) => has(it, 'move', 'camera'), (it) => has(it, 'subject', 'motion'));
    if (isCamera) {
      cameraDirections.push(item);
      return;
    }
    // A direction right after a motion goes where the motion went, or nowhere ("smoke rising up").
    const mover = lookBack(items, i, (it) => has(it, 'motion'), (it) => it.kind === 'term');
    const subject = mover ? motionOwner.get(mover) : nearestSubject(item, subjects, mentions);
    if (subject && subject.plan.direction === null) {
      subject.plan.direction = direction.v;
      item.used = true;
    }
  });
  return cameraDirections;
}

function readCamera(items: readonly Item[], directions: readonly Item[], subjects: readonly PlannedSubject[]): Camera {
  const move = firstSaid(items, 'move');
  const framing: Framing = firstSaid(items, 'framing') ?? 'wide';
  const dirItem = directions[0];
  // "la caméra descend": the move says its own direction when no direction word does.
  const moveDir = items.flatMap((i) => i.terms).find((t): t is TermOf<'move'> => t.t === 'move' && t.v === move)?.dir ?? null;
  const dir: Direction | null = dirItem ? termOf(dirItem, 'direction')!.v : moveDir;
  if (move || dirItem) for (const item of items) if (has(item, 'camera')) item.used = true;
  if (dirItem) dirItem.used = true;
  const camera = (m: CameraMove, direction: Direction | null): Camera => ({ move: m, direction, framing });
  const leftRight = dir === 'left' || dir === 'right';
  const upDown = dir === 'up' || dir === 'down';
  switch (move) {
    case null:
      // "camera moving left" names a direction but no move: the direction says which move.
      if (leftRight) return camera('pan', dir);
      if (upDown) return camera('tilt', dir);
      if (dir === 'toward') return camera('push-in', null);
      if (dir === 'away') return camera('pull-out', null);
      // Unasked, the camera holds still, as in most animatic shots: subjects, clouds and water
      // still move, and a still frame is what x264 encodes fastest.
      return { ...camera('static', null), byDefault: true };
    case 'pan':
      // People say "pan up" for a tilt, and "tilt left" for a pan; draw what they mean.
      return upDown ? camera('tilt', dir) : camera('pan', leftRight ? dir : 'right');
    case 'tilt':
      return leftRight ? camera('pan', dir) : camera('tilt', upDown ? dir : 'up');
    case 'tracking':
      return camera('tracking', dir ?? subjects.find((s) => s.direction !== null)?.direction ?? null);
    default:
      return camera(move, null);
  }
}

type Said = { setting: Setting; time: TimeOfDay; move: CameraMove; framing: Framing };

/** The first value of a kind named in the shot (not merely implied); every item naming it is used. */
function firstSaid<K extends keyof Said>(items: readonly Item[], t: K): Said[K] | null {
  const said = (item: Item): Said[K] | undefined => {
    for (const x of item.terms) if (x.t === t && !('implied' in x && x.implied)) return (x as unknown as { v: Said[K] }).v;
    return undefined;
  };
  const first = items.map(said).find((x) => x !== undefined);
  if (first === undefined) return null;
  for (const item of items) if (said(item) === first) item.used = true;
  return first;
}

/** Features in prompt order, each once, and the setting the first one that implies a setting implies. */
function readFeatures(items: readonly Item[]): { list: Feature[]; setting: Setting | null } {
  const list: Feature[] = [];
  let setting: Setting | null = null;
  for (const item of items) {
    for (const term of item.terms) {
      if (term.t !== 'feature') continue;
      item.used = true;
      if (!list.includes(term.v)) list.push(term.v);
      setting ??= term.setting ?? null;
    }
  }
  return { list, setting };
}

/** Styles and effects are sets: listed in vocabulary order, so word order never changes the plan. */
function collect<V extends Style | Effect>(items: readonly Item[], t: 'style' | 'effect', order: readonly V[]): V[] {
  const found = new Set<string>();
  for (const item of items) {
    for (const term of item.terms) {
      if (term.t !== t) continue;
      found.add(term.v);
      item.used = true;
    }
  }
  return order.filter((v) => found.has(v));
}
