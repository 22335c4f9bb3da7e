// The page's HEIC/HEIF decoder, off the page's main thread: loads the decoder module st/kpix_heif.js
// (core::decode_image with libheif, cmake/KpixHeifModule.cmake) on the first file, then decodes
// each file posted to it, one at a time. In: { id, bytes: Uint8Array }.
// Out: { id, width, height, rgba: Uint8Array (upright sRGB RGBA8, transferred), notes } or { id, error }.
'use strict';

let decoder = null;

// The module, loaded once; its .wasm is fetched from its own folder, not this script's.
function loadDecoder() {
  if (!decoder) {
    decoder = new Promise((resolve, reject) => {
      try {
        importScripts('../st/kpix_heif.js');
      } catch (error) {
        reject(new Error(`The HEIC decoder did not load (${error.message})`));
        return;
      }
      self.KpixHeif({ locateFile: (file) => `../st/${file}` }).then(resolve, reject);
    });
  }
  return decoder;
}

self.onmessage = async (event) => {
  const { id, bytes } = event.data;
  let m = null;
  try {
    m = await loadDecoder();
  } catch (error) {
    decoder = null;
    self.postMessage({ id, error: error.message || String(error) });
    return;
  }
  const data = m._malloc(Math.max(bytes.length, 1)) >>> 0;
  if (!data) {
    self.postMessage({ id, error: `Not enough memory for the file (${bytes.length} bytes)` });
    return;
  }
  try {
    m.HEAPU8.set(bytes, data);
    if (!m._kpix_heif_decode(data, bytes.length)) {
      self.postMessage({ id, error: m.UTF8ToString(m._kpix_heif_error() >>> 0) });
      return;
    }
    const width = m._kpix_heif_width();
    const height = m._kpix_heif_height();
    const pixels = m._kpix_heif_pixels() >>> 0;
    const rgba = m.HEAPU8.slice(pixels, pixels + width * height * 4);
    const notes = m.UTF8ToString(m._kpix_heif_notes() >>> 0);
    self.postMessage({ id, width, height, rgba, notes }, [rgba.buffer]);
  } catch (error) {
    // An abort inside the module (out of memory): it cannot be trusted again.
    decoder = null;
    self.postMessage({ id, error: error.message || String(error) });
  } finally {
    if (decoder) {
      m._kpix_heif_release();
      m._free(data);
    }
  }
};
