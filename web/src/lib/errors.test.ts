import { describe, expect, it } from 'vitest';
import { humanMessage } from './errors';

describe("the server's messages about the image, as the studio shows them", () => {
  it("says 'the image' where the API names 'input_reference'", () => {
    expect(humanMessage("'input_reference' is not a PNG, JPEG or WebP image.")).toBe('The image is not a PNG, JPEG or WebP image.');
    expect(humanMessage("'input_reference' is 8200x16; images must be between 16 and 8192 pixels on each side."))
      .toBe('The image is 8200x16; images must be between 16 and 8192 pixels on each side.');
    expect(humanMessage("The model runway/x does not accept an input image; leave 'input_reference' out.")).toBe('The model runway/x does not accept an input image; leave the image out.');
    expect(humanMessage("Too big. 'input_reference[image_url]' is longer than 20971520 characters.")).toBe('Too big. The image is longer than 20971520 characters.');
    expect(humanMessage('The model m needs an input image (input_reference); none was given.')).toBe('The model m needs an input image (the image); none was given.');
  });

  it("says 'the last frame' where the API names 'last_frame'", () => {
    expect(humanMessage("'last_frame' is not a PNG, JPEG or WebP image.")).toBe('The last frame is not a PNG, JPEG or WebP image.');
    expect(humanMessage("The model luma/ray-2 does not take a last frame; leave 'last_frame' out or pick another model."))
      .toBe('The model luma/ray-2 does not take a last frame; leave the last frame out or pick another model.');
    expect(humanMessage("Invalid value for 'last_frame[file_id]': expected a file id.")).toBe('Invalid value for the last frame: expected a file id.');
    expect(humanMessage("Kling takes a last frame ('image_tail') only with a first frame: send 'input_reference' too.")).toBe("Kling takes a last frame ('image_tail') only with a first frame: send the image too.");
  });

  it('leaves other messages as the server wrote them', () => {
    const m = "Invalid value for 'size': 333x333 is not supported by sketch.";
    expect(humanMessage(m)).toBe(m);
  });
});
