// Server messages name request fields as the API spells them ('input_reference'); in the studio
// that field is "the image" the user chose, so the message is reworded to say so.

const FIELD = /'input_reference(?:\[[a-z_]+\]|\.[a-z_]+)?'|\(input_reference\)/g;
// `last_frame` is the studio's "Last frame" drop zone.
const LAST = /'last_frame(?:\[[a-z_]+\]|\.[a-z_]+)?'|\(last_frame\)/g;

export function humanMessage(message: string): string {
  return message.replace(LAST, (m, offset: number) => {
    if (m.startsWith('(')) return '(the last frame)';
    const start = offset === 0 || /[.!?]\s*$/.test(message.slice(0, offset));
    return start ? 'The last frame' : 'the last frame';
  }).replace(FIELD, (m, offset: number) => {
    if (m.startsWith('(')) return '(the image)';
    const start = offset === 0 || /[.!?]\s*$/.test(message.slice(0, offset));
    return start ? 'The image' : 'the image';
  });
}
