// The desktop program: an SDL2 window with an OpenGL 3.3 core context, `kpix [IMAGE]`, files
// dropped on the window, and a plain while loop around app::frame.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <SDL.h>

#include "app/app.h"
#include "app/gl.h"
#include "core/image.h"
#include "core/samples.h"
#include "paths.h"
#include "platform.h"

namespace platform {

void pick_file() {}

void request_sample(app::AppState& state, const core::Sample& sample)
{
    const std::string dir = samples_dir();
    if (dir.empty()) {
        state.status = app::Status::error;
        state.message = "The sample photos were not found next to kpix (samples/) or in share/kpix/samples.";
        return;
    }
    app::open_path(state, dir + "/" + sample.file, sample.name);
}

void set_link(const std::string&) {}

bool copy_text(const std::string& text)
{
    return SDL_SetClipboardText(text.c_str()) == 0;
}

std::string link_for(const std::string& fragment)
{
    return "#" + fragment;
}

bool can_pick_file()
{
    return false;
}

} // namespace platform

namespace {

constexpr const char* kUsage = R"(usage: kpix [IMAGE] [--screenshot FILE.png] [--size WxH]

The kpix desktop app. Drop an image on the window, or name one here.
  --screenshot FILE  once the image is clustered (or has failed), save the window as PNG and quit
  --size WxH         window size [1280x800]
  --link FRAGMENT    settings as in a page link, e.g. "sample=chelsea&k=6&xy=1"
)";

/// The window's pixels as a PNG, rows top to bottom.
bool save_screenshot(SDL_Window* window, const std::string& path)
{
    int w = 0;
    int h = 0;
    SDL_GL_GetDrawableSize(window, &w, &h);
    std::vector<uint8_t> pixels(static_cast<size_t>(w) * h * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    std::vector<uint8_t> flipped(pixels.size());
    for (int y = 0; y < h; ++y) {
        std::memcpy(flipped.data() + static_cast<size_t>(y) * w * 4,
                    pixels.data() + static_cast<size_t>(h - 1 - y) * w * 4, static_cast<size_t>(w) * 4);
    }
    std::string error;
    if (!core::write_file(path, core::encode_png(flipped.data(), w, h, 4), error)) {
        std::fprintf(stderr, "kpix: %s\n", error.c_str());
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    std::string image_path;
    std::string screenshot;
    std::string link;
    int width = 1280;
    int height = 800;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (a == "--screenshot" && i + 1 < argc) {
            screenshot = argv[++i];
        } else if (a == "--link" && i + 1 < argc) {
            link = argv[++i];
        } else if (a == "--size" && i + 1 < argc) {
            if (std::sscanf(argv[++i], "%dx%d", &width, &height) != 2 || width < 320 || height < 240 ||
                width > 8192 || height > 8192) {
                std::fprintf(stderr, "kpix: --size takes WxH, from 320x240 to 8192x8192\n%s", kUsage);
                return 2;
            }
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "kpix: unknown option %s\n%s", a.c_str(), kUsage);
            return 2;
        } else {
            image_path = a;
        }
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "kpix: SDL_Init failed: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, SDL_GL_CONTEXT_FORWARD_COMPATIBLE_FLAG);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_Window* window = SDL_CreateWindow("kpix", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                          width, height,
                                          SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE |
                                              SDL_WINDOW_ALLOW_HIGHDPI);
    if (!window) {
        std::fprintf(stderr, "kpix: cannot create a window: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GLContext context = SDL_GL_CreateContext(window);
    if (!context) {
        std::fprintf(stderr, "kpix: OpenGL 3.3 is not available: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(window, context);
    SDL_GL_SetSwapInterval(1);
    SDL_EventState(SDL_DROPFILE, SDL_ENABLE);

    app::AppState state;
    app::init(state, window, context, "#version 330 core");
    app::apply_link(state, link, image_path.empty());
    for (const std::string& note : state.link_notes) {
        std::fprintf(stderr, "kpix: %s\n", note.c_str());
    }
    if (!image_path.empty()) {
        app::open_path(state, image_path);
    }
    int settled_frames = 0;
    int status = 0;
    if (!screenshot.empty()) {
        state.after_render = [&] {
            const bool settled = state.status == app::Status::done ||
                state.status == app::Status::error || state.status == app::Status::empty;
            settled_frames = settled ? settled_frames + 1 : 0;
            // A few frames after the result arrived, so the UI has laid itself out around it.
            if (settled_frames == 3) {
                status = save_screenshot(window, screenshot) ? 0 : 1;
                state.quit = true;
            }
        };
    }
    while (!state.quit) {
        app::frame(state);
    }
    app::shutdown(state);
    SDL_GL_DeleteContext(context);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return status;
}
