// The GPU part of the app: the window and its context, the ImGui renderer, the textures of the
// original, the clustered and the compare images, and the replay's views (segmented image, colour
// cloud) with the labeler that feeds them. It follows the document: take() uploads what the
// document took, update_replay() brings the views to the timeline's position.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cloud_view.h"
#include "document.h"
#include "imgui_renderer.h"
#include "rounds.h"
#include "segment_view.h"
#include "texture.h"
#include "view_state.h"

struct SDL_Window;

namespace app {

struct Gpu {
    SDL_Window* window = nullptr;
    void* gl_context = nullptr;
    /// Draws the UI (our own GL renderer for ImGui's draw lists).
    ImGuiRenderer imgui;
    Texture original;
    Texture clustered;
    Texture compare_image;
    /// The replay: labels of any round on demand, drawn on the GPU.
    std::unique_ptr<RoundLabeler> labeler;
    SegmentView segment;
    bool segment_ok = false;
    /// The colour-space view.
    CloudView cloud;
    bool cloud_ok = false;
    /// The size of the display copies (the replay's labels are this size).
    int view_width = 0;
    int view_height = 0;
    /// Centroid sets whose labels and palette the views show, or -1.
    int shown_labels = -1;
    int shown_palette = -1;
    /// The original at view size (the cloud's points take their colours from it).
    std::vector<uint8_t> original_view;
};

/// Creates the GL objects and the labeler; error says what failed (the app goes on without the
/// replay when the GPU views cannot be made).
bool init_gpu(Gpu& gpu, SDL_Window* window, void* gl_context, std::string& error);
void shutdown_gpu(Gpu& gpu);

/// Uploads what the document just took (a decoded photo, a result, a compare result) and resets
/// the view where a new photo or run asks for it.
void take(Gpu& gpu, ViewState& view, std::vector<Taken> taken);

/// The replay position shown (follows the end when the timeline says -1), and the last one.
int last_position(const Document& doc);
/// The regions view is on and the result shown is a position run (where regions mean something).
bool regions_shown(const ViewState& view, const Document& doc);
int current_position(const ViewState& view, const Document& doc);
/// Moves the replay (clamped to 0 .. last).
void set_position(ViewState& view, const Document& doc, int position);

/// Advances playback by dt seconds and brings the GPU views to the current position (labels when
/// they are ready: the replay waits for them rather than skipping rounds).
void update_replay(Gpu& gpu, ViewState& view, const Document& doc, double dt);

/// The round at the current position is the one drawn.
bool replay_shown(const Gpu& gpu, const ViewState& view, const Document& doc);

} // namespace app
