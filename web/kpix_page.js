// The page side of kpix: styles the page, sets up the Emscripten `Module`, loads kpix.js (or, when
// the page is not cross-origin isolated, the single-threaded st/kpix.js), and brings images in
// (drop, paste, file picker), all through one function, openBytes(), that hands the bytes to the
// wasm export kpix_open_bytes (HEIC and HEIF go to kpix's own decoder module in a Worker, loaded on
// the first one; AVIF and JPEG XL, which the wasm build cannot read, to the browser's decoder; both
// hand the app pixels). Also what a screen reader hears (the app's
// status, messages and result, mirrored into live regions and a hidden description) and the test
// hook `window.kpix`.
//
// The bridge between this page and the wasm app, every name in one table (src/platform/web.cpp
// keeps the same table on its side; each name below is used in one place only on each side):
//
// Called by the app (web.cpp's EM_ASM), defined in "The bridge: the page's side" below:
//   kpixReady()                 main() has made the app's state: apply the link, open what waits
//   kpixFatal(text)             the app cannot start (no WebGL2 context): say so in the status line
//   kpixLoadSample(file, name)  fetch samples/<file> from our origin and hand it to kpix_open_sample
//   kpixSetLink(fragment)       the address bar's fragment follows the parameters and the sample
//   kpixCopyText(text) -> 1/0   put text (the link, a colour's hex) on the clipboard; 0 when there is no clipboard
//   kpixDownload(name, bytes)   save an export: a Blob and a click on an <a download>
//   kpixPickFile()              open the file picker (the app's "Open image..." button; a test hook)
//   kpixAnnounce(live, error, description)  what a screen reader hears: a new line (empty: none;
//                               error: assertive) and the description of the result shown
//
// Exported by the app (EMSCRIPTEN_KEEPALIVE in web.cpp's extern "C" block), called only through
// `wasm` below. Strings
// are NUL-terminated UTF-8 in wasm memory; pointers are read as unsigned (>>> 0):
//   kpix_open_bytes(data, size, name)          a file's bytes to decode and cluster
//   kpix_open_rgba(rgba, width, height, name)  pixels decoded outside the app's wasm (HEIC and HEIF by
//                                              the decoder module, AVIF and JPEG XL by the browser)
//   kpix_open_sample(data, size, name)         a built-in sample's bytes, by the sample's name
//   kpix_apply_link(fragment, load_sample)     location.hash at start and on every hashchange
//   kpix_set_position(position), kpix_play(on) the replay (test and demo hooks)
//   kpix_export(kind) -> 1/0                   start an export as the Export buttons do
//   kpix_heap_bytes(), kpix_test_hold_memory(leave_mb)  memory test hooks
//   kpix_choose_k_json(), kpix_stats_json()    the test hook's JSON (valid until the next call)
//
// The test hook window.kpix (ready, build, opens, open, stats, chooseK, setPosition, play, export,
// memoryBytes, heapBytes, holdMemory) is made of the above; tests/e2e read it.
'use strict';

(function () {
  // Threads need SharedArrayBuffer, which needs a cross-origin isolated page (COOP + COEP headers).
  const THREADED = self.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
  const APP_SCRIPT = THREADED ? 'kpix.js' : 'st/kpix.js';
  // Our own service worker (kpix_sw.js) keeps the site's files for offline use and adds the two
  // headers on hosts that cannot send them.
  const SERVICE_WORKER = 'kpix_sw.js';
  // What the browser is asked to decode: the formats the wasm build has no decoder for (AV1, see
  // src/core/decode_missing.cpp; JPEG XL in no build). WebP and TIFF go to the wasm, as in the
  // desktop app, so a file gives the same pixels everywhere.
  const BROWSER_FORMATS = { avif: 'image/avif', 'jpeg xl': 'image/jxl' };
  // HEIC and HEIF: kpix's own decoder (core::decode_image with libheif, the desktop app's pixels) in
  // a module of its own, st/kpix_heif.js, run by this Worker script (cmake/KpixHeifModule.cmake).
  const HEIF_FORMATS = ['heic', 'heif'];
  const HEIF_WORKER = 'web/kpix_heif_worker.js';
  const NOT_AN_IMAGE = 'That is not an image. Drop, paste or choose a photo file (JPEG, PNG, BMP, GIF...).';
  const MESSAGE_SECONDS = 8;
  // Browsers with WebAssembly SIMD (both builds use it): Chrome and Edge 91, Firefox 89, Safari 16.4.
  const SIMD_BROWSERS = 'Chrome or Edge 91, Firefox 89, Safari 16.4 or newer';
  // The smallest module that needs SIMD: one function returning v128.const 0. Types: () -> v128;
  // its code: no locals, v128.const (0xfd 0x0c) and 16 zero bytes, end.
  const SIMD_PROBE = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // "\0asm", version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b,        // type section: one func type, () -> v128
    0x03, 0x02, 0x01, 0x00,                          // function section: one function of type 0
    0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c,        // code section: one body of 20 bytes
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  //   v128.const's 16 bytes
    0x0b,                                            //   end
  ]);
  // wasm32 memory tops out at a few GB; refuse early instead of failing inside malloc.
  const MAX_FILE_BYTES = 512 * 1024 * 1024;
  // The engine's pixel limit (core::kMaxPixels), checked here before pixels decoded by the browser
  // are copied into wasm memory.
  const MAX_PIXELS = 40_000_000;

  const canvas = document.getElementById('canvas');
  const statusBox = document.getElementById('kpix-status');
  const noteBox = document.getElementById('kpix-note');
  const dropBox = document.getElementById('kpix-drop');
  const fileInput = document.getElementById('kpix-file');
  const liveBox = document.getElementById('kpix-live');
  const alertBox = document.getElementById('kpix-alert');
  const resultBox = document.getElementById('kpix-result');

  // ---- Look -------------------------------------------------------------------------------------
  // NOTE: the CSP has no 'unsafe-inline' for styles, so <style> and style="" are blocked; setting
  // properties through the CSSOM (element.style) is allowed.
  function css(element, properties) {
    for (const [name, value] of Object.entries(properties)) element.style.setProperty(name, value);
  }

  css(document.documentElement, { margin: '0', height: '100%', overflow: 'hidden', background: '#1b1c1f' });
  css(document.body, {
    margin: '0', height: '100%', overflow: 'hidden', background: '#1b1c1f', color: '#e8eaed',
    font: '14px/1.4 system-ui, sans-serif',
  });
  css(canvas, {
    display: 'block', width: '100vw', height: '100vh', outline: 'none',
    'touch-action': 'none', 'user-select': 'none',
  });
  const panel = {
    position: 'fixed', 'z-index': '10', 'box-sizing': 'border-box', 'max-width': 'min(36em, 90vw)',
    padding: '0.6em 1em', 'border-radius': '6px', background: 'rgba(32, 33, 36, 0.94)',
    'box-shadow': '0 2px 12px rgba(0, 0, 0, 0.5)', 'pointer-events': 'none',
  };
  css(statusBox, { ...panel, left: '50%', top: '50%', transform: 'translate(-50%, -50%)' });
  // The quiet note (single-threaded build): small and dim at the bottom of the app's left panel
  // (about 300 px wide), so it wraps there rather than run over the timeline.
  css(noteBox, {
    position: 'fixed', left: '16px', bottom: '8px', 'max-width': '280px', 'z-index': '5',
    'font-size': '12px', 'line-height': '1.3', color: '#9aa0a6', 'pointer-events': 'none',
  });
  // Read by screen readers, not drawn: the usual visually hidden box (display: none or
  // visibility: hidden would hide it from them too).
  for (const box of [liveBox, alertBox, resultBox]) {
    css(box, {
      position: 'absolute', width: '1px', height: '1px', margin: '-1px', padding: '0', border: '0',
      overflow: 'hidden', clip: 'rect(0 0 0 0)', 'clip-path': 'inset(50%)', 'white-space': 'nowrap',
    });
  }
  css(dropBox, {
    position: 'fixed', inset: '8px', 'z-index': '20', display: 'none', 'align-items': 'center',
    'justify-content': 'center', 'font-size': '20px', 'border-radius': '10px',
    border: '3px dashed #8ab4f8', background: 'rgba(138, 180, 248, 0.15)', 'pointer-events': 'none',
  });

  // ---- What a screen reader hears ----------------------------------------------------------------
  // The page's own status and messages and the app's (kpixAnnounce): errors go to the assertive
  // region, everything else to the polite one; each line replaces the last.
  function say(text, { error = false } = {}) {
    const box = error ? alertBox : liveBox;
    // The same line again (a second refused file) is a change too, or it would not be read.
    box.textContent = text === box.textContent ? `${text}\u00a0` : text;
  }

  // Called by the app when what it shows changes (not every frame): a new line to say, if any,
  // and the description of the result shown, which the canvas names as its own.
  function announce(live, error, description) {
    if (live) say(live, { error });
    if (resultBox.textContent !== description) resultBox.textContent = description;
  }

  // ---- Status line --------------------------------------------------------------------------------
  let messageTimer = 0;
  let failed = false;  // start-up failed: the message stays and nothing is opened
  let pending = null;  // an image that arrived before the runtime was ready

  // Loading text and fatal errors sit in the middle and stay; after start-up, messages are a
  // bar at the bottom that fades after a few seconds.
  function showStatus(text, { error = false, transient = false } = {}) {
    clearTimeout(messageTimer);
    if (error || statusBox.hidden || statusBox.textContent !== text) say(text, { error });
    statusBox.textContent = text;
    statusBox.hidden = false;
    css(statusBox, { color: error ? '#f28b82' : '#e8eaed' });
    if (transient) {
      css(statusBox, { top: 'auto', bottom: '24px', transform: 'translateX(-50%)' });
      messageTimer = setTimeout(hideStatus, MESSAGE_SECONDS * 1000);
    } else {
      css(statusBox, { top: '50%', bottom: 'auto', transform: 'translate(-50%, -50%)' });
    }
  }

  function hideStatus() {
    clearTimeout(messageTimer);
    statusBox.hidden = true;
  }

  function showMessage(text) {
    showStatus(text, { error: true, transient: kpix.ready });
  }

  // The first failure is the cause; later ones (an abort rethrown as a page error) are echoes.
  function fail(text) {
    if (failed) return;
    failed = true;
    showStatus(text, { error: true });
  }

  // ---- Hand bytes to wasm -------------------------------------------------------------------------
  // NOTE: with pthreads + ALLOW_MEMORY_GROWTH, a grow done on a worker thread leaves this thread's
  // Module.HEAPU8 too short until the runtime next refreshes it; Module.wasmMemory is current.
  function heapFor(end) {
    let heap = Module.HEAPU8;
    if (heap.length < end && Module.wasmMemory) heap = new Uint8Array(Module.wasmMemory.buffer);
    return heap;
  }

  // Calls fn(pointer) with str as a NUL-terminated UTF-8 string in wasm memory.
  function withCString(str, fn) {
    const size = Module.lengthBytesUTF8(str) + 1;
    const ptr = Module._malloc(size) >>> 0;
    if (!ptr) return;
    try {
      Module.stringToUTF8(str, ptr, size);
      fn(ptr);
    } finally {
      Module._free(ptr);
    }
  }

  // ---- The bridge: the app's side ----------------------------------------------------------------
  // Every wasm export the page calls, and nowhere else (the table at the top says what each does).
  const wasm = {
    openBytes: (data, size, name) => Module._kpix_open_bytes(data, size, name),
    openRgba: (rgba, width, height, name) => Module._kpix_open_rgba(rgba, width, height, name),
    openSample: (data, size, name) => Module._kpix_open_sample(data, size, name),
    applyLink: (fragment, loadSample) => Module._kpix_apply_link(fragment, loadSample),
    setPosition: (position) => Module._kpix_set_position(position),
    play: (on) => Module._kpix_play(on),
    exportFile: (kind) => Module._kpix_export(kind),
    heapBytes: () => Module._kpix_heap_bytes(),
    holdMemory: (leaveMb) => Module._kpix_test_hold_memory(leaveMb),
    chooseKJson: () => Module.UTF8ToString(Module._kpix_choose_k_json() >>> 0),
    statsJson: () => Module.UTF8ToString(Module._kpix_stats_json() >>> 0),
  };

  // The format of bytes the app's wasm cannot read (a BROWSER_FORMATS key or one of HEIF_FORMATS),
  // or null. HEIF files are told apart by their ftyp brands as src/core/image.cpp does (AVIF files
  // carry mif1 too).
  function outsideFormat(bytes) {
    const ascii = (from, to) => String.fromCharCode(...bytes.subarray(from, to));
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0x0a) return 'jpeg xl';
    if (bytes.length >= 12 && ascii(0, 12) === '\0\0\0\x0cJXL \r\n\x87\n') return 'jpeg xl';
    if (bytes.length < 16 || ascii(4, 8) !== 'ftyp') return null;
    const av1 = /^avi[fs]$/;
    const hevc = /^he(i[cxms]|v[cxms])$/;
    const major = ascii(8, 12);
    if (av1.test(major)) return 'avif';
    if (hevc.test(major)) return 'heic';
    if (!/^(mif1|msf1|miaf)$/.test(major)) return null;
    const end = Math.min(bytes.length, new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0));
    let found = 'heif';
    for (let at = 16; at + 4 <= end; at += 4) {
      if (av1.test(ascii(at, at + 4))) return 'avif';
      if (hevc.test(ascii(at, at + 4))) found = 'heic';
    }
    return found;
  }

  // Hands pixels decoded outside the app's wasm (RGBA8, sRGB, upright) to kpix_open_rgba.
  function openPixels(rgba, width, height, name) {
    if (width * height > MAX_PIXELS) {
      showMessage(`${name}: the image is ${width} x ${height} pixels; kpix opens images up to ${MAX_PIXELS / 1e6} megapixels.`);
      return false;
    }
    const dataPtr = Module._malloc(rgba.length) >>> 0;
    if (!dataPtr) {
      showMessage(`Not enough memory to open ${name} (${width} x ${height} pixels).`);
      return false;
    }
    try {
      heapFor(dataPtr + rgba.length).set(rgba, dataPtr);
      withCString(name, (namePtr) => wasm.openRgba(dataPtr, width, height, namePtr));
      userOpens += 1;
      kpix.opens += 1;
    } finally {
      Module._free(dataPtr);
    }
    return true;
  }

  // HEIC and HEIF: decoded off this thread by the decoder module (loaded with the first one), so
  // the app keeps drawing; the status line says what happens meanwhile. Only the latest file the
  // user brought is opened: one dropped during the decode wins.
  let heifWorker = null;
  let heifLoaded = false;
  let heifRequests = 0;
  const heifWaiting = new Map();
  function heifDecoder() {
    if (heifWorker) return heifWorker;
    heifWorker = new Worker(HEIF_WORKER);
    heifWorker.onmessage = (event) => {
      const { id, ...result } = event.data;
      heifLoaded = heifLoaded || !result.error;
      const done = heifWaiting.get(id);
      heifWaiting.delete(id);
      if (done) done(result);
    };
    heifWorker.onerror = (event) => {
      event.preventDefault();
      heifWorker.terminate();
      heifWorker = null;
      for (const done of heifWaiting.values()) done({ error: `The HEIC decoder did not start (${event.message || 'see the console'})` });
      heifWaiting.clear();
    };
    return heifWorker;
  }

  async function openDecodedByModule(bytes, name, format) {
    const id = (heifRequests += 1);
    const userOpensAtRequest = userOpens;
    const kind = format.toUpperCase();
    showStatus(heifLoaded ? `Decoding ${name} (${kind})\u2026` : `Loading the ${kind} decoder and decoding ${name}\u2026`);
    const result = await new Promise((resolve) => {
      heifWaiting.set(id, resolve);
      heifDecoder().postMessage({ id, bytes });
    });
    if (id !== heifRequests || userOpens !== userOpensAtRequest) return;
    if (result.error) {
      showMessage(`${name}: could not decode this ${kind} image. ${result.error}`);
      return;
    }
    if (openPixels(result.rgba, result.width, result.height, name) && !statusBox.hidden && !failed) {
      if (result.notes) showStatus(`${name} (${kind}): ${result.notes}`, { transient: true });
      else hideStatus();
    }
  }

  // Decodes AVIF or JPEG XL with the browser's own decoder into sRGB RGBA8, not premultiplied (EXIF
  // orientation applied, as kpix does for the formats it decodes itself), and hands the pixels to
  // kpix_open_rgba.
  // NOTE: a 2D canvas stores premultiplied colour, so pixels with partial alpha may come back
  // off by a level or two; opaque pixels are exact.
  async function openDecodedByBrowser(bytes, name, format) {
    let bitmap = null;
    try {
      bitmap = await createImageBitmap(new Blob([bytes], { type: BROWSER_FORMATS[format] }), {
        premultiplyAlpha: 'none', colorSpaceConversion: 'default', imageOrientation: 'from-image',
      });
    } catch (error) {
      const desktop = format === 'jpeg xl' ? '' : '; the desktop app and kpix-cli read it';
      showMessage(`${name}: kpix's page cannot decode ${format.toUpperCase()} images and this browser could not either (${error.message})${desktop}.`);
      return;
    }
    const { width, height } = bitmap;
    if (width * height > MAX_PIXELS) {
      bitmap.close();
      openPixels(null, width, height, name);
      return;
    }
    const surface = new OffscreenCanvas(width, height);
    const context = surface.getContext('2d', { colorSpace: 'srgb', willReadFrequently: true });
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    const rgba = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' }).data;
    if (openPixels(rgba, width, height, name) && !statusBox.hidden && !failed) hideStatus();
  }

  // Hands bytes to wasm: a user's file (kpix_open_bytes) or a built-in sample (kpix_open_sample,
  // which takes the sample's name).
  function openBytes(bytes, name, { sample = false } = {}) {
    if (failed) return;
    if (!kpix.ready) {
      pending = { bytes, name, sample };
      showStatus(`Loading kpix\u2026 ${name} opens when it is ready.`);
      return;
    }
    const format = sample ? null : outsideFormat(bytes);
    if (HEIF_FORMATS.includes(format)) {
      openDecodedByModule(bytes, name, format);
      return;
    }
    if (format) {
      openDecodedByBrowser(bytes, name, format);
      return;
    }
    // NOTE: wasm memory may grow to 4 GB; pointers at or over 2 GB come back from wasm as negative
    // int32s, so every pointer is read as unsigned (>>> 0).
    const dataPtr = Module._malloc(Math.max(bytes.length, 1)) >>> 0;
    try {
      if (!dataPtr) {
        showMessage(`Not enough memory to open ${name} (${bytes.length} bytes).`);
        return;
      }
      // Re-read the heap after malloc: it may have grown the memory.
      heapFor(dataPtr + bytes.length).set(bytes, dataPtr);
      withCString(name, (namePtr) => {
        if (sample) wasm.openSample(dataPtr, bytes.length, namePtr);
        else wasm.openBytes(dataPtr, bytes.length, namePtr);
      });
      if (!sample) userOpens += 1;
      kpix.opens += 1;
    } finally {
      if (dataPtr) Module._free(dataPtr);
    }
    if (!statusBox.hidden && !failed) hideStatus();
  }

  // ---- Samples and links --------------------------------------------------------------------------
  // Called by the app: fetch a built-in sample from our own origin and open it.
  // A photo the user brings while a sample downloads wins: the sample is dropped on arrival.
  let userOpens = 0;
  async function loadSample(file, name) {
    const userOpensAtRequest = userOpens;
    try {
      const response = await fetch(`samples/${encodeURIComponent(file)}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (userOpens !== userOpensAtRequest) return;
      openBytes(bytes, name, { sample: true });
    } catch (error) {
      showMessage(`Could not load the sample ${name} (${error.message}).`);
    }
  }

  // Called by the app whenever the parameters or the sample change: the address bar follows,
  // without a reload and without a history entry per change.
  function setLink(fragment) {
    if (location.hash.slice(1) === fragment) return;
    history.replaceState(history.state, '', `#${fragment}`);
  }

  function copyText(text) {
    if (!navigator.clipboard || !navigator.clipboard.writeText) return 0;
    const what = text.startsWith('#') && text.length === 7 ? `the colour ${text}` : 'the link; it is in the address bar';
    navigator.clipboard.writeText(text).catch(() => showMessage(`Could not copy ${what}.`));
    return 1;
  }

  // Called by the app's exports with a copy of the file's bytes: a Blob and a click on an
  // <a download>, the object URL released once the click has been handled.
  function download(name, bytes) {
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.style.display = 'none';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  function applyLink(loadSample) {
    withCString(location.hash, (ptr) => wasm.applyLink(ptr, loadSample ? 1 : 0));
  }
  window.addEventListener('hashchange', () => {
    if (kpix.ready) applyLink(true);
  });

  // A file with a non-image MIME type is refused here; an empty type (unknown extension) goes to
  // the decoder, which reads the bytes, not the name.
  function looksLikeImage(file) {
    return file.type === '' || file.type.startsWith('image/');
  }

  async function openFile(file) {
    if (!looksLikeImage(file)) {
      showMessage(NOT_AN_IMAGE);
      return;
    }
    if (file.size > MAX_FILE_BYTES) {
      showMessage(`${file.name} is too large (${Math.round(file.size / 1048576)} MB); kpix opens files up to ${MAX_FILE_BYTES / 1048576} MB.`);
      return;
    }
    let buffer = null;
    try {
      buffer = await file.arrayBuffer();
    } catch (error) {
      showMessage(`Could not read ${file.name}: ${error.message}`);
      return;
    }
    openBytes(new Uint8Array(buffer), file.name || 'image');
  }

  // The first image among the transfer's files, else its first file, else null (text, links...).
  function fileFrom(transfer) {
    if (!transfer) return null;
    const files = Array.from(transfer.files || []);
    for (const item of Array.from(transfer.items || [])) {
      if (item.kind !== 'file') continue;
      const file = item.getAsFile();
      if (file && !files.includes(file)) files.push(file);
    }
    return files.find((f) => f.type.startsWith('image/')) || files[0] || null;
  }

  function openTransfer(transfer) {
    const file = fileFrom(transfer);
    if (file) openFile(file);
    else showMessage(NOT_AN_IMAGE);
  }

  // ---- Drop ---------------------------------------------------------------------------------------
  // dragenter/dragleave fire for every child crossed; count them to know when the drag left.
  let dragDepth = 0;

  // NOTE: `hidden` loses to an inline `display`, so the highlight is switched by display alone.
  function setDropHighlight(on) {
    dropBox.hidden = false;
    css(dropBox, { display: on ? 'flex' : 'none' });
  }

  window.addEventListener('dragenter', (event) => {
    event.preventDefault();
    dragDepth += 1;
    setDropHighlight(true);
  });
  window.addEventListener('dragover', (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    setDropHighlight(true);
  });
  window.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) setDropHighlight(false);
  });
  window.addEventListener('dragend', () => {
    dragDepth = 0;
    setDropHighlight(false);
  });
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    dragDepth = 0;
    setDropHighlight(false);
    openTransfer(event.dataTransfer);
  });

  // ---- Paste --------------------------------------------------------------------------------------
  window.addEventListener('paste', (event) => {
    event.preventDefault();
    openTransfer(event.clipboardData);
  });

  // ---- File picker --------------------------------------------------------------------------------
  // Called by the app (EM_ASM on the main thread) when the user asks to open a file. Chromium keeps
  // the click's user activation for a few seconds, so a call from the next frame may open a dialog.
  function pickFile() {
    fileInput.value = '';
    fileInput.click();
  }
  fileInput.addEventListener('change', () => {
    const file = fileInput.files && fileInput.files[0];
    if (file) openFile(file);
  });

  // ---- Canvas focus and menu ----------------------------------------------------------------------
  canvas.addEventListener('contextmenu', (event) => event.preventDefault());
  canvas.addEventListener('pointerdown', () => canvas.focus());

  // ---- Test hook ----------------------------------------------------------------------------------
  const kpix = {
    ready: false,
    /** Which build runs: 'threads' (kpix.js) or 'single' (st/kpix.js, no SharedArrayBuffer). */
    build: THREADED ? 'threads' : 'single',
    /** Bytes of wasm memory now (it only grows). */
    memoryBytes() {
      const memory = Module.wasmMemory ? Module.wasmMemory.buffer : Module.HEAP8.buffer;
      return memory.byteLength;
    },
    /** Bytes malloc has handed out and not had back. */
    heapBytes() {
      return wasm.heapBytes();
    },
    /** Test only: holds all the memory wasm can get but about leaveMb MB (negative: lets go). */
    holdMemory(leaveMb) {
      return wasm.holdMemory(leaveMb | 0);
    },
    /** How many images have been handed to kpix_open_bytes (tests wait on it after a drop). */
    opens: 0,
    open(bytes, name) {
      openBytes(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), String(name));
    },
    /** Replay controls for tests and demos: a position (0 .. last_position) and play on/off. */
    setPosition(position) {
      wasm.setPosition(position | 0);
    },
    play(on) {
      wasm.play(on ? 1 : 0);
    },
    /** Builds and downloads an export ('png', 'gif', 'gpl', 'json', 'css', 'txt'); false if none yet. */
    export(kind) {
      let ok = 0;
      withCString(String(kind), (ptr) => { ok = wasm.exportFile(ptr); });
      return ok !== 0;
    },
    /** The "Choose k" window: sweep, suggested k, grid and init comparison, and where its buttons are. */
    chooseK() {
      if (!kpix.ready) return { open: false };
      return JSON.parse(wasm.chooseKJson());
    },
    stats() {
      if (!kpix.ready) return { status: failed ? 'error' : 'loading', message: failed ? statusBox.textContent : '' };
      return JSON.parse(wasm.statsJson());
    },
  };

  // ---- Start-up -----------------------------------------------------------------------------------
  function missingFeature() {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
      return 'kpix needs WebAssembly, which this browser does not offer (or has turned off).';
    }
    if (!WebAssembly.validate(SIMD_PROBE)) {
      return `kpix needs WebAssembly SIMD, which this browser does not offer: use ${SIMD_BROWSERS}.`;
    }
    const probe = document.createElement('canvas').getContext('webgl2');
    if (!probe) {
      return 'kpix needs WebGL2, which this browser does not offer (or hardware acceleration is off).';
    }
    const lose = probe.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();
    return null;
  }

  // ---- The service worker and the single-threaded fallback ----------------------------------------
  // Registered on every host: once it is active the page works offline. Resolves to whether it is
  // active (false where service workers are unavailable: plain HTTP other than localhost).
  async function registerServiceWorker() {
    if (!('serviceWorker' in navigator) || !self.isSecureContext) return false;
    try {
      await navigator.serviceWorker.register(SERVICE_WORKER);
      await navigator.serviceWorker.ready;
      return true;
    } catch (error) {
      console.warn(`kpix: service worker not registered (${error.message})`);
      return false;
    }
  }

  // Without COOP/COEP the single-threaded build runs, and a quiet note says so. Our service worker
  // then adds the headers to this origin's responses, so the next load is isolated and threaded.
  function setNote(text) {
    noteBox.textContent = text;
    noteBox.hidden = !text;
  }

  async function offerThreads(serviceWorker) {
    const note = 'single-threaded: this host does not send COOP/COEP';
    setNote(note);
    // Already served through the worker and still not isolated: a reload would not help.
    if (navigator.serviceWorker && navigator.serviceWorker.controller) return;
    if (await serviceWorker) setNote(`${note} (reload to use threads)`);
  }

  // NOTE: a CSP-blocked worker (worker-src) fails silently for the loader: only the browser console
  // says so, and the page would stay at "Loading" forever. The violation event says why.
  document.addEventListener('securitypolicyviolation', (event) => {
    const text = `kpix was blocked by the page's Content-Security-Policy (${event.effectiveDirective}: ${event.blockedURI || 'inline'}).`;
    if (kpix.ready) showMessage(text);
    else fail(text);
  });
  const slowTimer = setTimeout(() => {
    if (!kpix.ready && !failed) showStatus('Still loading kpix\u2026 if this stays, the browser console says why.');
  }, 20_000);

  window.addEventListener('error', (event) => {
    if (!kpix.ready) fail(`kpix failed to start: ${event.message || 'script error'}`);
  });
  window.addEventListener('unhandledrejection', (event) => {
    if (!kpix.ready) fail(`kpix failed to start: ${event.reason && event.reason.message || event.reason}`);
  });

  window.Module = {
    canvas,
    print: (text) => console.log(text),
    // stderr carries diagnostics, not only failures; real failures arrive through onAbort.
    printErr: (text) => console.warn(text),
    setStatus: (text) => {
      if (text && !kpix.ready && !failed) showStatus(text);
    },
    onAbort: (what) => fail(`kpix stopped: ${what}. Reload the page to start again.`),
    onRuntimeInitialized: () => clearTimeout(slowTimer),
  };

  // Called by the app's main() once its state exists (onRuntimeInitialized comes just before
  // main, too early for kpix_open_bytes). Opens the link's sample, unless a photo is waiting.
  function ready() {
    kpix.ready = true;
    hideStatus();
    canvas.focus();
    applyLink(!pending);
    if (pending) {
      const { bytes, name, sample } = pending;
      pending = null;
      openBytes(bytes, name, { sample });
    }
  }

  // Called by the app's main() when it cannot start after all (the probe above found WebGL2 but
  // the app's own context failed): the status line says why and stays (and the assertive live
  // region says it); the page stays as it is, and the test hook reports the error.
  function fatal(text) {
    fail(String(text));
  }

  // ---- The bridge: the page's side ---------------------------------------------------------------
  // Every function the app calls, and the test hook, put on window here and nowhere else (the table
  // at the top says what each does).
  Object.assign(window, {
    kpixReady: ready,
    kpixFatal: fatal,
    kpixLoadSample: loadSample,
    kpixSetLink: setLink,
    kpixCopyText: copyText,
    kpixDownload: download,
    kpixPickFile: pickFile,
    kpixAnnounce: announce,
    kpix,
  });

  const missing = missingFeature();
  if (missing) {
    fail(missing);
    return;
  }
  const serviceWorker = registerServiceWorker();
  if (!THREADED) offerThreads(serviceWorker);
  const script = document.createElement('script');
  script.src = APP_SCRIPT;
  script.onerror = () => fail(`Could not load ${APP_SCRIPT}. Check that the web build is complete and reload.`);
  document.body.appendChild(script);
})();
