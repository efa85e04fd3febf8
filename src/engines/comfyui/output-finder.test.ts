import { describe, expect, it } from 'vitest';
import { fileExtension, findVideoOutput } from './output-finder.js';

describe('finding the video in a prompt\'s outputs', () => {
  it('takes core SaveVideo/SaveWEBM output from `images` with `animated`', () => {
    const r = findVideoOutput({ '58': { images: [{ filename: 'melies_00001_.mp4', subfolder: 'video', type: 'output' }], animated: [true] } });
    expect(r).toEqual({ kind: 'video', file: { filename: 'melies_00001_.mp4', subfolder: 'video', type: 'output', node: '58', key: 'images' } });
  });

  it('takes VideoHelperSuite output from `gifs`, and any other list too', () => {
    expect(findVideoOutput({ '9': { gifs: [{ filename: 'AnimateDiff_00001.mp4', subfolder: '', type: 'output', format: 'video/h264-mp4' }] } })).toMatchObject({ kind: 'video', file: { key: 'gifs', filename: 'AnimateDiff_00001.mp4' } });
    expect(findVideoOutput({ '4': { videos: [{ filename: 'clip.webm', subfolder: '', type: 'output' }] } })).toMatchObject({ kind: 'video', file: { key: 'videos' } });
  });

  it('prefers a saved output over a temp preview, and MP4 over WebM or GIF', () => {
    const r = findVideoOutput({
      '1': { images: [{ filename: 'preview.mp4', subfolder: '', type: 'temp' }], animated: [true] },
      '2': { gifs: [{ filename: 'a.gif', subfolder: '', type: 'output' }] },
      '3': { images: [{ filename: 'b.webm', subfolder: '', type: 'output' }], animated: [true] },
      '4': { images: [{ filename: 'c.mp4', subfolder: '', type: 'output' }], animated: [true] },
      '5': { images: [{ filename: 'still.png', subfolder: '', type: 'output' }] },
    });
    expect(r).toMatchObject({ kind: 'video', file: { filename: 'c.mp4', node: '4' } });
  });

  it('reports animated WebP as unreadable and still images as no video', () => {
    expect(findVideoOutput({ '28': { images: [{ filename: 'x.webp', subfolder: '', type: 'output' }], animated: [true] } }).kind).toBe('unreadable');
    expect(findVideoOutput({ '9': { images: [{ filename: 'x.png', subfolder: '', type: 'output' }] } })).toMatchObject({ kind: 'none', files: [{ filename: 'x.png' }] });
    expect(findVideoOutput({})).toEqual({ kind: 'none', files: [] });
    expect(findVideoOutput(null)).toEqual({ kind: 'none', files: [] });
  });

  it('reads extensions case-blind, and none from a name without one', () => {
    expect(fileExtension('Clip_00001_.MP4')).toBe('mp4');
    expect(fileExtension('video/a.b.webm')).toBe('webm');
    expect(fileExtension('noext')).toBe('');
  });
});
