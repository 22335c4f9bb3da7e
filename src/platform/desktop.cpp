// The desktop program: an SDL2 window with an OpenGL 3.3 core context, `kpix [IMAGE]`, files
// dropped on the window or opened from the built-in browser, a plain while loop around app::frame,
// and `--script` commands (wait, step, screenshot, export ...) run between frames.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <SDL.h>

#include "app/app.h"
#include "app/exports.h"
#include "app/files_panel.h"
#include "app/gl.h"
#include "app/platform_api.h"
#include "core/image.h"
#include "core/png.h"
#include "core/samples.h"
#include "core/version.h"
#include "paths.h"

namespace platform {

void pick_file()
{
    app::show_files_panel();
}

std::string save_file(const std::string& suggested_name, const std::vector<uint8_t>& bytes)
{
    const std::string folder = app::files_folder();
    const std::string path = folder.empty() ? suggested_name : folder + "/" + suggested_name;
    std::string error;
    if (!core::write_file(path, bytes, error)) {
        return "Not saved: " + error;
    }
    return "Saved " + path;
}

void request_sample(app::AppState& state, const core::Sample& sample)
{
    const std::string dir = samples_dir();
    if (dir.empty()) {
        state.doc.status = app::Status::error;
        state.doc.message = "The sample photos were not found next to kpix (samples/) or in share/kpix/samples.";
        return;
    }
    app::open_path(state.doc, dir + "/" + sample.file, sample.name);
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
    return true;
}

} // namespace platform

namespace {

constexpr const char* kUsage = R"(usage: kpix [IMAGE] [--screenshot FILE.png] [--script CMDS] [--size WxH]

The kpix desktop app. Drop an image on the window, or name one here.
  --screenshot FILE  once the image is clustered (or has failed), save the window as PNG and quit
                     (the same as --script "wait; screenshot FILE; quit")
  --script CMDS      commands separated by ';', each run once the app is idle (nothing decoding or
                     clustering, the replay's round drawn):
                       wait             until the current run is done or has failed
                       run              cluster again with the current settings
                       step N           move the replay N half-steps (negative goes back)
                       position N       go to replay position N (0 .. 2 * rounds)
                       key NAME         press a key, by SDL's name ("Space", "Right", "B", "?")
                       screenshot FILE  save the window as PNG
                       export FILE      save an export, by extension: .png .gif .gpl .json .css .txt
                       quit             leave (the exit status is 1 if any command failed)
  --size WxH         window size [1280x800]
  --link FRAGMENT    settings as in a page link, e.g. "sample=chelsea&k=6&xy=1"
  --version          kpix's version
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

/// Runs --script commands between frames, one at a time, each once the app is idle.
class Script {
public:
    explicit Script(const std::string& text)
    {
        size_t start = 0;
        while (start <= text.size()) {
            size_t end = text.find(';', start);
            if (end == std::string::npos) {
                end = text.size();
            }
            const std::string command = trim(text.substr(start, end - start));
            if (!command.empty()) {
                m_commands.push_back(command);
            }
            start = end + 1;
        }
    }

    /// Called after each frame is drawn (screenshots read the back buffer then).
    void after_render(app::AppState& s)
    {
        m_idle_frames = idle(s) ? m_idle_frames + 1 : 0;
        // A few idle frames, so the UI has laid itself out around a new result or round.
        while (m_idle_frames >= 3 && m_next < m_commands.size() && !s.quit) {
            const std::string command = m_commands[m_next++];
            if (!execute(s, command)) {
                m_failed = true;
            }
            if (command == "run" || command.rfind("step", 0) == 0 ||
                command.rfind("position", 0) == 0 || command.rfind("key", 0) == 0) {
                m_idle_frames = 0; // let the change show before the next command
                break;
            }
        }
    }

    int exit_status() const { return m_failed ? 1 : 0; }

private:
    static std::string trim(const std::string& s)
    {
        const size_t b = s.find_first_not_of(" \t\n");
        const size_t e = s.find_last_not_of(" \t\n");
        return b == std::string::npos ? "" : s.substr(b, e - b + 1);
    }

    /// Nothing decoding or clustering, and the replay's round is the one drawn.
    static bool idle(const app::AppState& s)
    {
        if (s.doc.status == app::Status::decoding || s.doc.status == app::Status::running) {
            return false;
        }
        if (s.doc.status != app::Status::done || !s.doc.result || !s.gpu.segment_ok) {
            return true;
        }
        return app::replay_shown(s.gpu, s.view, s.doc);
    }

    bool execute(app::AppState& s, const std::string& command)
    {
        const size_t space = command.find(' ');
        const std::string verb = command.substr(0, space);
        const std::string arg = space == std::string::npos ? "" : trim(command.substr(space + 1));
        if (verb == "wait") {
            return s.doc.status != app::Status::error;
        } else if (verb == "run") {
            app::run(s.doc);
            return true;
        } else if (verb == "step" || verb == "position") {
            char* end = nullptr;
            const long n = std::strtol(arg.c_str(), &end, 10);
            if (arg.empty() || *end != '\0') {
                return complain(verb + " takes a number");
            }
            s.view.timeline.playing = false;
            app::set_position(s.view, s.doc,
                              static_cast<int>(verb == "step" ? app::current_position(s.view, s.doc) + n : n));
            return true;
        } else if (verb == "key") {
            const SDL_Keycode code = SDL_GetKeyFromName(arg.c_str());
            if (code == SDLK_UNKNOWN) {
                return complain("no key called '" + arg + "'");
            }
            // The symbol shortcuts are read from typed text (app/keys.cpp), as a keyboard types them.
            if (code < 128 && std::ispunct(code)) {
                s.view.pending_text += static_cast<char>(code);
            } else {
                s.view.pending_keys.emplace_back(code, 0);
            }
            return true;
        } else if (verb == "screenshot" && !arg.empty()) {
            return save_screenshot(s.gpu.window, arg);
        } else if (verb == "export" && !arg.empty()) {
            const std::string kind = app::export_kind_of(arg);
            if (kind.empty()) {
                return complain("export " + arg + ": name a .png, .gif, .gpl, .json, .css or .txt file");
            }
            app::ExportFile file;
            std::string error;
            if (!app::make_export(s, kind, file, error) ||
                !core::write_file(arg, file.bytes, error)) {
                return complain(error);
            }
            return true;
        } else if (verb == "quit") {
            m_next = m_commands.size();
            s.quit = true;
            return true;
        }
        return complain("unknown script command '" + command + "'");
    }

    static bool complain(const std::string& message)
    {
        std::fprintf(stderr, "kpix: %s\n", message.c_str());
        return false;
    }

    std::vector<std::string> m_commands;
    size_t m_next = 0;
    int m_idle_frames = 0;
    bool m_failed = false;
};

} // namespace

int main(int argc, char** argv)
{
    std::string image_path;
    std::string script;
    std::string link;
    int width = 1280;
    int height = 800;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (a == "--version") {
            std::printf("kpix %s\n", core::kVersion);
            return 0;
        } else if (a == "--screenshot" && i + 1 < argc) {
            script += std::string(";wait;screenshot ") + argv[++i] + ";quit";
        } else if (a == "--script" && i + 1 < argc) {
            script = argv[++i] + script;
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
    app::init(state, window, context);
    app::apply_link(state, link, image_path.empty());
    for (const std::string& note : state.doc.link_notes) {
        std::fprintf(stderr, "kpix: %s\n", note.c_str());
    }
    if (!image_path.empty()) {
        app::open_path(state.doc, image_path);
    }
    Script commands(script);
    if (!script.empty()) {
        state.after_render = [&] { commands.after_render(state); };
    }
    while (!state.quit) {
        app::frame(state);
    }
    app::shutdown(state);
    SDL_GL_DeleteContext(context);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return commands.exit_status();
}
