// The keyboard: SDL keycodes (the key's label on the user's layout) and typed text from the
// frame's queue, mapped to the document's and the view's actions, and the overlay that lists them.
#include "keys.h"

#include <SDL.h>
#include <imgui.h>

#include "app.h"

namespace app {

void toggle_play(AppState& s)
{
    if (!s.doc.result) {
        return;
    }
    if (!s.view.timeline.playing && current_position(s.view, s.doc) >= last_position(s.doc)) {
        s.view.timeline.position = 0; // play from the start when at the end
    }
    s.view.timeline.playing = !s.view.timeline.playing;
    s.view.timeline.accumulated = 0.0;
}

void step(AppState& s, int delta)
{
    s.view.timeline.playing = false;
    set_position(s.view, s.doc, current_position(s.view, s.doc) + delta);
}


void keyboard(AppState& s)
{
    std::vector<std::pair<int, int>> keys;
    keys.swap(s.view.pending_keys);
    std::string text;
    text.swap(s.view.pending_text);
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) {
        return;
    }
    // By SDL_Keycode, so a letter is the key labelled with it on the user's layout (QWERTZ swaps
    // y and z, AZERTY moves a, q, w, z and m). SDL keeps the number row's keycodes digits on
    // AZERTY too.
    // NOTE: SDL 2.26's web backend takes the keycode from the DOM event's legacy keyCode (which
    // follows the layout for letters) and the scancode from its code (the US position).
    for (const auto& [key, mod] : keys) {
        if (mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI)) {
            continue;
        }
        switch (key) {
        case SDLK_SPACE: toggle_play(s); break;
        case SDLK_RIGHT: step(s, 1); break;
        case SDLK_LEFT: step(s, -1); break;
        case SDLK_HOME: step(s, -1000000); break;
        case SDLK_END: step(s, 1000000); break;
        case SDLK_r:
            s.doc.params.kmeans.seed += 1;
            run(s.doc);
            break;
        case SDLK_x: toggle_xy(s.doc); break;
        case SDLK_b: s.view.boundaries = !s.view.boundaries; break;
        case SDLK_k: toggle_choose_k(s); break;
        case SDLK_s: s.view.image.split = !s.view.image.split; break;
        case SDLK_c: toggle_compare(s.doc); break;
        case SDLK_h: {
            // Collapses both, or shows both when either is collapsed.
            const bool show = !(s.view.side_panel && s.view.cloud);
            s.view.side_panel = show;
            s.view.cloud = show;
            break;
        }
        case SDLK_0:
        case SDLK_KP_0: fit(s.view.image); break;
        case SDLK_p: s.view.presenter = !s.view.presenter; break;
        case SDLK_l: s.view.light = !s.view.light; break;
        case SDLK_f: {
            const bool full = (SDL_GetWindowFlags(s.gpu.window) & SDL_WINDOW_FULLSCREEN_DESKTOP) != 0;
            SDL_SetWindowFullscreen(s.gpu.window, full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
            break;
        }
        case SDLK_ESCAPE: s.view.show_help = false; break;
        default: break;
        }
    }
    // Symbols by the character typed: "?" is shift+/ on a US keyboard, shift+ß on a German one,
    // shift+, on a French one; "-" is unshifted 6 on AZERTY. "=" is the US "+" key unshifted;
    // the keypad's + and - type their characters too.
    for (const char c : text) {
        switch (c) {
        case '+':
        case '=': set_k(s.doc, s.doc.params.kmeans.k + 1); break;
        case '-': set_k(s.doc, s.doc.params.kmeans.k - 1); break;
        case '?': s.view.show_help = !s.view.show_help; break;
        default: break;
        }
    }
}

void help_overlay(AppState& s)
{
    if (!s.view.show_help) {
        return;
    }
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("Keyboard", &s.view.show_help,
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse)) {
        const char* keys[][2] = {
            {"space", "play / pause the rounds"},
            {"right / left", "step one half-round (assign, update)"},
            {"home / end", "first / last round"},
            {"r", "re-run with a new seed"},
            {"+ / -", "one cluster more / fewer"},
            {"x", "toggle colour only (RGB) / colour + position (RGB+XY)"},
            {"b", "region boundaries"},
            {"k", "choose k: elbow, silhouette, gap, the k-grid, init comparison"},
            {"s", "before | after over one full-size image / side by side"},
            {"h", "hide / show the side panel and the colour cloud"},
            {"c", "compare RGB and RGB+XY, same k and seed"},
            {"wheel / drag", "zoom / pan the images"},
            {"0 / double-click", "fit the whole image"},
            {"shift+click", "place a seed on the original (init: click seeds)"},
            {"f", "fullscreen"},
            {"p", "presenter mode (large type)"},
            {"l", "light / dark theme (light for projectors)"},
            {"?", "this help"},
        };
        if (ImGui::BeginTable("keys", 2)) {
            for (const auto& k : keys) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(k[0]);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(k[1]);
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

} // namespace app
