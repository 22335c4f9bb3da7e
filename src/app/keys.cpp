// The keyboard: SDL scancodes from the frame's queue, mapped to the document's and the view's
// actions, and the overlay that lists them.
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
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) {
        return;
    }
    for (const auto& [scancode, mod] : keys) {
        if (mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI)) {
            continue;
        }
        switch (scancode) {
        case SDL_SCANCODE_SPACE: toggle_play(s); break;
        case SDL_SCANCODE_RIGHT: step(s, 1); break;
        case SDL_SCANCODE_LEFT: step(s, -1); break;
        case SDL_SCANCODE_HOME: step(s, -1000000); break;
        case SDL_SCANCODE_END: step(s, 1000000); break;
        case SDL_SCANCODE_R:
            s.doc.params.kmeans.seed += 1;
            run(s.doc);
            break;
        case SDL_SCANCODE_KP_PLUS:
        case SDL_SCANCODE_EQUALS: set_k(s.doc, s.doc.params.kmeans.k + 1); break;
        case SDL_SCANCODE_KP_MINUS:
        case SDL_SCANCODE_MINUS: set_k(s.doc, s.doc.params.kmeans.k - 1); break;
        case SDL_SCANCODE_X: toggle_xy(s.doc); break;
        case SDL_SCANCODE_B: s.view.boundaries = !s.view.boundaries; break;
        case SDL_SCANCODE_K: toggle_choose_k(s); break;
        case SDL_SCANCODE_S: s.view.image.split = !s.view.image.split; break;
        case SDL_SCANCODE_C: toggle_compare(s.doc); break;
        case SDL_SCANCODE_H: {
            // Collapses both, or shows both when either is collapsed.
            const bool show = !(s.view.side_panel && s.view.cloud);
            s.view.side_panel = show;
            s.view.cloud = show;
            break;
        }
        case SDL_SCANCODE_0:
        case SDL_SCANCODE_KP_0: fit(s.view.image); break;
        case SDL_SCANCODE_P: s.view.presenter = !s.view.presenter; break;
        case SDL_SCANCODE_SLASH:
            if (mod & KMOD_SHIFT) {
                s.view.show_help = !s.view.show_help;
            }
            break;
        case SDL_SCANCODE_F: {
            const bool full = (SDL_GetWindowFlags(s.gpu.window) & SDL_WINDOW_FULLSCREEN_DESKTOP) != 0;
            SDL_SetWindowFullscreen(s.gpu.window, full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
            break;
        }
        case SDL_SCANCODE_ESCAPE: s.view.show_help = false; break;
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
