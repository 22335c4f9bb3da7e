// The browser: Emscripten's main loop drives app::frame, the page's JS (web/kpix_page.js) hands
// dropped, pasted and picked files to kpix_open_bytes, the canvas follows the window's size, and
// what a screen reader should hear (app/announce.h) goes to the page's live region.
//
// The bridge with the page, each name in one place on this side (web/kpix_page.js opens with the
// same table for its side):
//   the page's functions we call, window.kpix*: all in namespace `page` below (EM_ASM);
//   our functions the page calls, kpix_*: all in the extern "C" block below (EMSCRIPTEN_KEEPALIVE
//   exports them; the page calls them only through its `wasm` object).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <malloc.h>
#include <string>
#include <utility>
#include <vector>

#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include "app/announce.h"
#include "app/app.h"
#include "app/exports.h"
#include "app/gl.h"
#include "app/platform_api.h"
#include "core/image.h"
#include "core/samples.h"

namespace {

app::AppState* g_state = nullptr;

/// The bridge, our side of the calls into the page: every window.kpix* function, in the order of
/// the page's table. Each is looked up at the call, so a page without it is not an error.
// NOTE: memory may grow to 4 GB, and a pointer at or over 2 GB reaches JS as a negative int32
// (Emscripten 3.1.6, seen as "offset is out of bounds" once the heap passed 2 GB): every pointer
// handed to JS is read as unsigned (>>> 0).
namespace page {

/// main() has made the app's state: the page applies the link and opens what waits.
void ready()
{
    EM_ASM({ if (window.kpixReady) window.kpixReady(); });
}

/// The app cannot start: the page shows the text in its status line.
void fatal(const char* text)
{
    EM_ASM({ if (window.kpixFatal) window.kpixFatal(UTF8ToString($0 >>> 0)); }, text);
}

/// The page fetches samples/<file> and hands the bytes to kpix_open_sample.
void load_sample(const char* file, const char* name)
{
    EM_ASM({ if (window.kpixLoadSample) window.kpixLoadSample(UTF8ToString($0 >>> 0), UTF8ToString($1 >>> 0)); },
           file, name);
}

void set_link(const char* fragment)
{
    EM_ASM({ if (window.kpixSetLink) window.kpixSetLink(UTF8ToString($0 >>> 0)); }, fragment);
}

bool copy_text(const char* text)
{
    return EM_ASM_INT({ return window.kpixCopyText ? window.kpixCopyText(UTF8ToString($0 >>> 0)) : 0; }, text) != 0;
}

/// False when the page cannot download.
bool download(const char* name, const uint8_t* bytes, size_t size)
{
    // NOTE: the heap is a SharedArrayBuffer (pthreads) and Blob refuses views of one: slice()
    // copies the bytes into an ordinary buffer first.
    return EM_ASM_INT({
        if (!window.kpixDownload) return 0;
        window.kpixDownload(UTF8ToString($0 >>> 0), HEAPU8.slice($1 >>> 0, ($1 >>> 0) + $2));
        return 1;
    }, name, bytes, static_cast<int>(size)) != 0;
}

void pick_file()
{
    EM_ASM({ if (window.kpixPickFile) window.kpixPickFile(); });
}

/// What a screen reader should hear: a new line for the live region (empty: none; error: said at
/// once) and the description of the result shown.
void announce(const char* live, bool error, const char* description)
{
    EM_ASM({ if (window.kpixAnnounce) window.kpixAnnounce(UTF8ToString($0 >>> 0), $1 !== 0, UTF8ToString($2 >>> 0)); },
           live, error ? 1 : 0, description);
}

} // namespace page

/// Keeps the canvas's drawing buffer at the window's CSS size times the device pixel ratio.
void sync_canvas_size(SDL_Window* window)
{
    const int css_w = EM_ASM_INT({ return window.innerWidth; });
    const int css_h = EM_ASM_INT({ return window.innerHeight; });
    int w = 0;
    int h = 0;
    SDL_GetWindowSize(window, &w, &h);
    if (css_w > 0 && css_h > 0 && (css_w != w || css_h != h)) {
        SDL_SetWindowSize(window, css_w, css_h);
    }
}

/// Tells the page what a screen reader should hear, when that changes (not every frame).
void announce(const app::AppState& state)
{
    static app::Announcer announcer;
    app::ReplayShown replay;
    replay.position = app::current_position(state.view, state.doc);
    replay.last_position = app::last_position(state.doc);
    replay.playing = state.view.timeline.playing;
    if (announcer.update(state.doc, replay)) {
        const app::Spoken& spoken = announcer.spoken();
        page::announce(spoken.live.c_str(), spoken.error, spoken.description.c_str());
    }
}

void main_loop(void* arg)
{
    auto* state = static_cast<app::AppState*>(arg);
    sync_canvas_size(state->gpu.window);
    app::frame(*state);
    announce(*state);
}

} // namespace

namespace platform {

void pick_file()
{
    page::pick_file();
}

bool can_pick_file()
{
    return true;
}

void request_sample(app::AppState&, const core::Sample& sample)
{
    page::load_sample(sample.file, sample.name);
}

void set_link(const std::string& fragment)
{
    page::set_link(fragment.c_str());
}

bool copy_text(const std::string& text)
{
    return page::copy_text(text.c_str());
}

std::string save_file(const std::string& suggested_name, const std::vector<uint8_t>& bytes)
{
    return page::download(suggested_name.c_str(), bytes.data(), bytes.size())
        ? "Downloaded " + suggested_name
        : "This page cannot download files.";
}

std::string link_for(const std::string& fragment)
{
    char* full = reinterpret_cast<char*>(EM_ASM_INT({
        var s = location.origin + location.pathname + '#' + UTF8ToString($0 >>> 0);
        var n = lengthBytesUTF8(s) + 1;
        var p = _malloc(n) >>> 0;
        stringToUTF8(s, p, n);
        return p;
    }, fragment.c_str()));
    std::string out = full ? full : fragment;
    std::free(full);
    return out;
}

} // namespace platform

// The bridge, the page's calls into us: every export, in the order of the page's table.
extern "C" {

/// Called by the page with a file's bytes (copied here; the caller frees its buffer).
EMSCRIPTEN_KEEPALIVE void kpix_open_bytes(const uint8_t* data, int size, const char* name)
{
    if (!g_state) {
        return;
    }
    std::vector<uint8_t> bytes(data, data + (size > 0 ? size : 0));
    app::open_bytes(g_state->doc, std::move(bytes), name ? name : "");
}

/// Called by the page with pixels decoded outside this wasm (HEIC and HEIF by the page's decoder
/// module, AVIF and JPEG XL by the browser): width * height * 4 bytes of RGBA8 in sRGB, upright,
/// not premultiplied (copied here).
EMSCRIPTEN_KEEPALIVE void kpix_open_rgba(const uint8_t* rgba, int width, int height, const char* name)
{
    if (!g_state || !rgba || width <= 0 || height <= 0) {
        return;
    }
    core::Image image;
    image.width = width;
    image.height = height;
    image.rgba.assign(rgba, rgba + image.pixels() * 4);
    app::open_pixels(g_state->doc, std::move(image), name ? name : "");
}

/// Called by the page with a built-in sample's bytes.
EMSCRIPTEN_KEEPALIVE void kpix_open_sample(const uint8_t* data, int size, const char* name)
{
    if (!g_state || !name) {
        return;
    }
    const core::Sample* sample = core::find_sample(name);
    if (!sample) {
        return;
    }
    std::vector<uint8_t> bytes(data, data + (size > 0 ? size : 0));
    app::open_bytes(g_state->doc, std::move(bytes), sample->file, sample->name);
}

/// Called by the page with location.hash at start and on every hashchange.
EMSCRIPTEN_KEEPALIVE void kpix_apply_link(const char* fragment, int load_sample)
{
    if (g_state) {
        app::apply_link(*g_state, fragment ? fragment : "", load_sample != 0);
    }
}

/// Test and demo hooks for the replay: a position (clamped), and playing on or off.
EMSCRIPTEN_KEEPALIVE void kpix_set_position(int position)
{
    if (g_state) {
        g_state->view.timeline.playing = false;
        app::set_position(g_state->view, g_state->doc, position);
    }
}

EMSCRIPTEN_KEEPALIVE void kpix_play(int on)
{
    if (g_state) {
        g_state->view.timeline.playing = on != 0;
    }
}

/// The test hook for exports: starts one ("png", "gif", "gpl", "json", "css", "txt") as the
/// Export buttons do (the download follows within a few frames); returns 0 when there is nothing
/// to export, the kind is unknown, or another export is under way.
EMSCRIPTEN_KEEPALIVE int kpix_export(const char* kind)
{
    const std::string k = kind ? kind : "";
    if (!g_state || !g_state->doc.result || app::export_kind_of("." + k) != k) {
        return 0;
    }
    return app::start_export(*g_state, k) ? 1 : 0;
}

/// Test hooks for memory. kpix_heap_bytes: bytes malloc has handed out and not had back (the
/// soak test watches it for leaks). kpix_test_hold_memory(leave_mb): holds on to all the memory
/// wasm can get but about leave_mb MB, so the next photo meets an out-of-memory; a negative value
/// lets it all go again. Returns the MB held.
EMSCRIPTEN_KEEPALIVE double kpix_heap_bytes()
{
    return static_cast<double>(mallinfo().uordblks);
}

EMSCRIPTEN_KEEPALIVE int kpix_test_hold_memory(int leave_mb)
{
    static std::vector<std::pair<void*, size_t>> held; // largest blocks first
    for (const auto& block : held) {
        std::free(block.first);
    }
    held.clear();
    if (leave_mb < 0) {
        return 0;
    }
    // Blocks from large to small, until not even 1 MB more can be had; then give back the
    // smallest ones until about leave_mb MB are free.
    for (size_t size = size_t{256} << 20; size >= (size_t{1} << 20);) {
        if (void* p = std::malloc(size)) {
            held.emplace_back(p, size);
        } else {
            size /= 2;
        }
    }
    size_t freed = 0;
    while (freed < (static_cast<size_t>(leave_mb) << 20) && !held.empty()) {
        freed += held.back().second;
        std::free(held.back().first);
        held.pop_back();
    }
    size_t total = 0;
    for (const auto& block : held) {
        total += block.second;
    }
    return static_cast<int>(total >> 20);
}

/// The test hook for the "Choose k" window: its results and where its buttons are, as JSON.
/// The pointer stays valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* kpix_choose_k_json()
{
    static std::string json;
    json = g_state ? app::choose_k_json(*g_state) : "{\"open\":false}";
    return json.c_str();
}

/// The test hook: status and stats as JSON. The pointer stays valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* kpix_stats_json()
{
    static std::string json;
    json = g_state ? app::stats_json(*g_state) : "{\"status\":\"empty\",\"message\":\"\"}";
    return json.c_str();
}

} // extern "C"

int main()
{
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::printf("kpix: SDL_Init failed: %s\n", SDL_GetError());
        page::fatal("kpix could not start: SDL_Init failed. Reload the page to try again.");
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    const int w = EM_ASM_INT({ return window.innerWidth; });
    const int h = EM_ASM_INT({ return window.innerHeight; });
    SDL_Window* window = SDL_CreateWindow("kpix", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                          w > 0 ? w : 1280, h > 0 ? h : 800,
                                          SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE |
                                              SDL_WINDOW_ALLOW_HIGHDPI);
    if (!window) {
        std::printf("kpix: cannot create the window: %s\n", SDL_GetError());
        page::fatal("kpix could not create its canvas window. Reload the page to try again.");
        return 1;
    }
    SDL_GLContext context = SDL_GL_CreateContext(window);
    if (!context) {
        std::printf("kpix: WebGL2 is not available: %s\n", SDL_GetError());
        page::fatal("WebGL2 is not available in this browser: kpix cannot draw.");
        return 1;
    }
    SDL_GL_MakeCurrent(window, context);
    static app::AppState state;
    app::init(state, window, context);
    g_state = &state;
    page::ready();
    emscripten_set_main_loop_arg(main_loop, &state, 0, 1);
    return 0;
}
