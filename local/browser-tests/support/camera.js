// A fake camera for Chromium: a Y4M video (what --use-file-for-fake-video-capture plays, in a loop) showing a PNG, such
// as a ticket's QR code, in the middle of a white frame, the way a phone held at a door would see it.
import { writeFileSync } from 'node:fs';
import pngjs from 'pngjs';

const { PNG } = pngjs;

/** Writes `path`: `frames` identical 4:2:0 frames of `width` × `height` showing the PNG scaled up to `scale` of the height. */
export function writeY4mOfPng(path, pngBytes, { width = 640, height = 480, frames = 10, scale = 0.8 } = {}) {
  const image = PNG.sync.read(pngBytes);
  const factor = Math.max(1, Math.floor((height * scale) / Math.max(image.width, image.height)));
  const shownWidth = image.width * factor;
  const shownHeight = image.height * factor;
  const left = Math.floor((width - shownWidth) / 2);
  const top = Math.floor((height - shownHeight) / 2);
  const luma = Buffer.alloc(width * height, 255);
  for (let y = 0; y < shownHeight; y += 1) {
    for (let x = 0; x < shownWidth; x += 1) {
      const source = (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * 4;
      const alpha = image.data[source + 3] / 255;
      const grey = 0.299 * image.data[source] + 0.587 * image.data[source + 1] + 0.114 * image.data[source + 2];
      luma[(top + y) * width + left + x] = Math.round(grey * alpha + 255 * (1 - alpha));
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, 'ascii');
  writeFileSync(path, Buffer.concat([header, ...Array(frames).fill(frame)]));
}
