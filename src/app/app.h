// The interactive app, shared by the web page and the desktop program: a document (document.h),
// the way it is looked at (view_state.h), its GPU part (gpu.h), and the one frame function.
// src/platform/ supplies the main loop and answers the contract in platform_api.h.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "choose_k_panel.h"
#include "document.h"
#include "exports.h"
#include "gpu.h"
#include "view_state.h"

struct SDL_Window;

namespace app {

struct AppState {
    Document doc;
    ViewState view;
    Gpu gpu;
    /// The "Choose k" window and its worker (on the runner's pool).
    std::unique_ptr<ChooseK> choose_k;
    /// The export under way and its worker (made by the first export).
    std::unique_ptr<Exporter> exporter;
    bool quit = false;
    /// Called after the frame is drawn, before the swap (screenshots read the back buffer here).
    std::function<void()> after_render;
};

/// Creates the UI, the GL-side state and the Choose k worker; call once the window and context exist.
void init(AppState& state, SDL_Window* window, void* gl_context);
void shutdown(AppState& state);

/// One frame: events, finished work, UI, render, swap. Never waits for the engine.
void frame(AppState& state);

/// Asks the platform for a built-in sample's bytes (they arrive through open_bytes).
void open_sample(AppState& state, const std::string& name);
/// Applies a URL fragment to the document and fetches the sample it asks for.
void apply_link(AppState& state, const std::string& fragment, bool load_sample);

/// The test hook's JSON: the document's status and stats with the view's numbers.
std::string stats_json(const AppState& state);

} // namespace app
