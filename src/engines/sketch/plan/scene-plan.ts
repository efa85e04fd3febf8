// The scene plan: what the sketch engine understood from a prompt, as plain data. The parser
// (parse-prompt.ts) makes it, the renderer draws it, and it is stored with the video and printed by
// `melies plan`, so a user sees exactly what was understood. Vocabulary below is closed: every
// word the parser recognises maps to one of these values; anything else is ignored, never an error.

export const SETTINGS = ['sea', 'beach', 'city', 'forest', 'mountains', 'desert', 'snowfield', 'lake', 'meadow', 'space', 'underwater', 'interior', 'savanna'] as const;
export type Setting = (typeof SETTINGS)[number];

export const TIMES_OF_DAY = ['dawn', 'morning', 'noon', 'afternoon', 'dusk', 'night'] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

export const WEATHER_KINDS = ['clear', 'clouds', 'rain', 'snow', 'fog', 'storm'] as const;
export type WeatherKind = (typeof WEATHER_KINDS)[number];

export const INTENSITIES = ['light', 'moderate', 'heavy'] as const;
export type Intensity = (typeof INTENSITIES)[number];

export const MOTIONS = ['flying', 'walking', 'running', 'swimming', 'sailing', 'driving', 'falling', 'rising', 'drifting', 'spinning', 'still'] as const;
export type Motion = (typeof MOTIONS)[number];

/** Screen directions; `toward`/`away` mean toward or away from the camera. */
export const DIRECTIONS = ['left', 'right', 'up', 'down', 'toward', 'away'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const CAMERA_MOVES = ['static', 'pan', 'tilt', 'push-in', 'pull-out', 'aerial', 'tracking'] as const;
export type CameraMove = (typeof CAMERA_MOVES)[number];

export const FRAMINGS = ['wide', 'medium', 'close-up'] as const;
export type Framing = (typeof FRAMINGS)[number];

export const STYLES = ['watercolor', 'neon', 'noir', 'pastel', 'vintage'] as const;
export type Style = (typeof STYLES)[number];

/** Extra particle/light effects named in a prompt (weather brings its own: rain, snow, lightning). */
export const EFFECTS = ['fireflies', 'sparks', 'bubbles', 'stars', 'rainbow', 'aurora', 'fireworks'] as const;
export type Effect = (typeof EFFECTS)[number];

/**
 * Places drawn on top of a setting's terrain, composable ("a burning village on a hill" = village +
 * fire + hill on a meadow). A setting is the ground and sky; a feature is something standing in it.
 * harbour: quays and moored boats at the water's edge (setting sea); village: several houses;
 * rooftops: the view over roofs (setting city); market: stalls with awnings; hill: a rise in the
 * ground; ice: floes and an iceberg (setting sea or snowfield); wheat/tulips/sunflowers: a field of
 * that crop (setting meadow); neon-signs: saturated glowing signs on buildings; fire: flames and
 * smoke on what stands there.
 */
export const FEATURES = ['harbour', 'village', 'rooftops', 'market', 'hill', 'ice', 'wheat', 'tulips', 'sunflowers', 'neon-signs', 'fire'] as const;
export type Feature = (typeof FEATURES)[number];

/** How the moon shows when the prompt names its phase ("full moon", "pleine lune"); a crescent otherwise. */
export const MOON_PHASES = ['full', 'half', 'crescent', 'new'] as const;
export type MoonPhase = (typeof MOON_PHASES)[number];

/** A body's pose when the prompt gives one; absent: the pose its motion implies (standing, walking…). */
export const POSES = ['standing', 'sitting', 'sleeping', 'jumping', 'dancing'] as const;
export type Pose = (typeof POSES)[number];

export const COLORS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'white', 'black', 'gray', 'brown', 'gold', 'silver'] as const;
export type ColorName = (typeof COLORS)[number];

export const SUBJECT_KINDS = [
  // people and animals
  'person', 'child', 'cat', 'dog', 'horse', 'cow', 'sheep', 'rabbit', 'fox', 'deer', 'bear', 'elephant',
  'bird', 'owl', 'duck', 'swan', 'penguin', 'butterfly', 'bee', 'fish', 'whale', 'dolphin', 'jellyfish', 'octopus', 'crab', 'turtle', 'dragon',
  // vehicles and flying things
  'car', 'bus', 'bicycle', 'train', 'boat', 'sailboat', 'ship', 'plane', 'helicopter', 'rocket', 'ufo', 'balloon', 'hot-air-balloon', 'kite',
  // places and things
  'lighthouse', 'house', 'castle', 'tower', 'bridge', 'windmill', 'tent', 'cliff', 'campfire', 'snowman', 'robot', 'umbrella',
  // plants and sky
  'tree', 'pine-tree', 'palm-tree', 'flower', 'mushroom', 'sun', 'moon', 'star', 'planet',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Where a subject lives in the frame: on the ground line, in the sky, on the water, under it, in space. */
export type Habitat = 'ground' | 'sky' | 'water' | 'underwater' | 'space';

export interface SubjectInfo {
  habitat: Habitat;
  /** The setting a prompt implies when it names this subject and no setting ("a lighthouse" → sea). */
  setting?: Setting;
  /** The motion it has when the prompt gives none (birds fly, boats sail). */
  motion: Motion;
}

export const SUBJECT_INFO: Record<SubjectKind, SubjectInfo> = {
  person: { habitat: 'ground', motion: 'walking' },
  child: { habitat: 'ground', motion: 'walking' },
  cat: { habitat: 'ground', motion: 'walking' },
  dog: { habitat: 'ground', motion: 'running' },
  horse: { habitat: 'ground', setting: 'meadow', motion: 'running' },
  cow: { habitat: 'ground', setting: 'meadow', motion: 'walking' },
  sheep: { habitat: 'ground', setting: 'meadow', motion: 'walking' },
  rabbit: { habitat: 'ground', setting: 'meadow', motion: 'running' },
  fox: { habitat: 'ground', setting: 'forest', motion: 'walking' },
  deer: { habitat: 'ground', setting: 'forest', motion: 'walking' },
  bear: { habitat: 'ground', setting: 'forest', motion: 'walking' },
  elephant: { habitat: 'ground', setting: 'desert', motion: 'walking' },
  bird: { habitat: 'sky', motion: 'flying' },
  owl: { habitat: 'sky', setting: 'forest', motion: 'flying' },
  duck: { habitat: 'water', setting: 'lake', motion: 'swimming' },
  swan: { habitat: 'water', setting: 'lake', motion: 'swimming' },
  penguin: { habitat: 'ground', setting: 'snowfield', motion: 'walking' },
  butterfly: { habitat: 'sky', setting: 'meadow', motion: 'flying' },
  bee: { habitat: 'sky', setting: 'meadow', motion: 'flying' },
  fish: { habitat: 'underwater', setting: 'underwater', motion: 'swimming' },
  whale: { habitat: 'underwater', setting: 'underwater', motion: 'swimming' },
  dolphin: { habitat: 'underwater', setting: 'underwater', motion: 'swimming' },
  jellyfish: { habitat: 'underwater', setting: 'underwater', motion: 'drifting' },
  octopus: { habitat: 'underwater', setting: 'underwater', motion: 'drifting' },
  crab: { habitat: 'ground', setting: 'beach', motion: 'walking' },
  turtle: { habitat: 'underwater', setting: 'underwater', motion: 'swimming' },
  dragon: { habitat: 'sky', setting: 'mountains', motion: 'flying' },
  car: { habitat: 'ground', setting: 'city', motion: 'driving' },
  bus: { habitat: 'ground', setting: 'city', motion: 'driving' },
  bicycle: { habitat: 'ground', setting: 'city', motion: 'driving' },
  train: { habitat: 'ground', setting: 'meadow', motion: 'driving' },
  boat: { habitat: 'water', setting: 'sea', motion: 'sailing' },
  sailboat: { habitat: 'water', setting: 'sea', motion: 'sailing' },
  ship: { habitat: 'water', setting: 'sea', motion: 'sailing' },
  plane: { habitat: 'sky', motion: 'flying' },
  helicopter: { habitat: 'sky', setting: 'city', motion: 'flying' },
  rocket: { habitat: 'sky', setting: 'space', motion: 'rising' },
  ufo: { habitat: 'sky', motion: 'drifting' },
  balloon: { habitat: 'sky', motion: 'rising' },
  'hot-air-balloon': { habitat: 'sky', motion: 'drifting' },
  kite: { habitat: 'sky', setting: 'beach', motion: 'drifting' },
  lighthouse: { habitat: 'ground', setting: 'sea', motion: 'still' },
  house: { habitat: 'ground', motion: 'still' },
  castle: { habitat: 'ground', motion: 'still' },
  tower: { habitat: 'ground', setting: 'city', motion: 'still' },
  bridge: { habitat: 'ground', motion: 'still' },
  windmill: { habitat: 'ground', setting: 'meadow', motion: 'spinning' },
  tent: { habitat: 'ground', setting: 'forest', motion: 'still' },
  cliff: { habitat: 'ground', setting: 'sea', motion: 'still' },
  campfire: { habitat: 'ground', setting: 'forest', motion: 'still' },
  snowman: { habitat: 'ground', setting: 'snowfield', motion: 'still' },
  robot: { habitat: 'ground', setting: 'city', motion: 'walking' },
  umbrella: { habitat: 'ground', motion: 'still' },
  tree: { habitat: 'ground', motion: 'still' },
  'pine-tree': { habitat: 'ground', setting: 'forest', motion: 'still' },
  'palm-tree': { habitat: 'ground', setting: 'beach', motion: 'still' },
  flower: { habitat: 'ground', setting: 'meadow', motion: 'still' },
  mushroom: { habitat: 'ground', setting: 'forest', motion: 'still' },
  sun: { habitat: 'sky', motion: 'still' },
  moon: { habitat: 'sky', motion: 'still' },
  star: { habitat: 'sky', motion: 'still' },
  planet: { habitat: 'space', setting: 'space', motion: 'spinning' },
};

export interface PlannedSubject {
  kind: SubjectKind;
  /**
   * How many were asked for ("three red balloons" → 3; a bare plural → a small seeded group of
   * 3–5; "many", "dozens", "a flock of", "une foule de" → more); 1 when singular; at most MAX_COUNT.
   */
  count: number;
  color: ColorName | null;
  /** null: the subject's usual motion (SUBJECT_INFO) applies. */
  motion: Motion | null;
  direction: Direction | null;
  size: 'small' | 'large' | null;
  /** Absent or null: the pose its motion implies. Only kinds with bodies (people, animals) take one. */
  pose?: Pose | null;
}

/** The most subjects of one kind a shot draws ("dozens of balloons" stays legible). */
export const MAX_COUNT = 24;

export interface Weather {
  kind: WeatherKind;
  intensity: Intensity;
}

export interface Camera {
  move: CameraMove;
  /** For pan (left/right), tilt (up/down), tracking (the subject's direction); else null. */
  direction: Direction | null;
  framing: Framing;
  /** Set when the prompt named no camera at all (the static default): a reference image then gets a slow move of its own. */
  byDefault?: true;
}

export interface ShotPlan {
  index: number;
  /** The part of the prompt this shot came from. */
  text: string;
  /** When the shot starts and how long it lasts, in seconds of the final video. */
  start: number;
  seconds: number;
  /** How this shot begins: a hard cut, or a crossfade from the previous shot. */
  transition: 'cut' | 'crossfade';
  setting: Setting;
  timeOfDay: TimeOfDay;
  weather: Weather;
  subjects: PlannedSubject[];
  camera: Camera;
  style: Style[];
  effects: Effect[];
  /** Places standing in the setting, in prompt order. Absent in plans stored before they existed: none. */
  features?: Feature[];
  /** Absent or null: a crescent, when a moon shows at all. */
  moonPhase?: MoonPhase | null;
}

export interface ScenePlan {
  version: 1;
  shots: ShotPlan[];
  /** Prompt words and phrases the parser used, in prompt order (for transparency). */
  understood: string[];
  /** Prompt words it did not use. */
  ignored: string[];
}
