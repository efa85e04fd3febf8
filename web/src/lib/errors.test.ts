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

  it('leaves other messages as the server wrote them', () => {
    const m = "Invalid value for 'size': 333x333 is not supported by sketch.";
    expect(humanMessage(m)).toBe(m);
  });
});
