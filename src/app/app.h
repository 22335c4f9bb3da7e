// The interactive app's state and its one frame function, shared by the web page and the desktop
// program; src/platform/ supplies the main loop and the ways files come in.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/cluster.h"
#include "core/image.h"
#include "choose_k_panel.h"
#include "cloud_view.h"
#include "exports.h"
#include "image_view.h"
#include "imgui_renderer.h"
#include "rounds.h"
#include "runner.h"
#include "segment_view.h"
#include "texture.h"

struct SDL_Window;

namespace app {

enum class Status { empty, decoding, running, done, error };

/// Where the replay of a run stands. Positions 0 .. 2 * rounds: 2r is round r+1's assignment
/// (pixels take the colour of their nearest centroid), 2r+1 its update (centroids move to the mean
/// of their pixels), and 2 * rounds the final result.
struct Timeline {
    /// -1 follows the end (a new run shows its final result).
    int position = -1;
    bool playing = false;
    /// Half-steps per second while playing.
    float speed = 2.0f;
    double accumulated = 0.0;
};
const char* status_name(Status status);

struct AppState {
    SDL_Window* window = nullptr;
    void* gl_context = nullptr;
    bool quit = false;

    std::unique_ptr<Runner> runner;
    /// The "Choose k" window and its worker (on the runner's pool).
    std::unique_ptr<ChooseK> choose_k;
    uint64_t job_id = 0;
    Status status = Status::empty;
    /// What went wrong last (shown in red until the next file or run).
    std::string message;

    /// The parameters the controls edit; a run uses a copy.
    core::ClusterParams params;
    /// The image being shown and its name.
    std::shared_ptr<const core::Image> image;
    std::string image_name;
    /// The built-in sample being shown, or empty for the user's own photo (never put in a link).
    std::string sample;
    /// Sample name of the image being decoded (becomes `sample` when it arrives).
    std::string opening_sample;
    /// What the last link could not use (shown until the next link or file).
    std::vector<std::string> link_notes;
    /// The fragment last written to the address bar.
    std::string link;
    bool show_about = false;
    /// Where the last export went, or why it failed.
    std::string export_note;
    /// The export under way and its worker (made by the first export).
    std::unique_ptr<Exporter> exporter;
    double seconds_decode = 0.0;
    /// What decoding did to the photo: EXIF orientation (1 = none), the ICC profile converted.
    core::DecodeNotes decode_notes;
    /// The last finished result and the parameters that made it.
    std::shared_ptr<const core::ClusterResult> result;
    core::ClusterParams result_params;

    /// Draws the UI (our own GL renderer for ImGui's draw lists).
    ImGuiRenderer imgui;
    Texture original;
    Texture clustered;

    /// The replay: labels of any round on demand, drawn on the GPU.
    std::unique_ptr<RoundLabeler> labeler;
    SegmentView segment;
    bool segment_ok = false;
    Timeline timeline;
    int view_width = 0;
    int view_height = 0;
    int shown_labels = -1;
    int shown_palette = -1;
    /// Palette swatch under the mouse (its pixels are highlighted), or -1.
    int hover_label = -1;
    bool boundaries = false;
    /// Position weight restored when RGB+XY is switched back on.
    float last_xy = 1.0f;
    /// Working resolution of every run (0 = full image): see ClusterParams::work_pixels.
    size_t work_pixels = core::kDefaultWorkPixels;
    /// Zoom, pan and split shared by the image panes; the original's rect last frame (test hook).
    ImageView view;
    ImageArea original_area;
    /// Compare mode: the same k and seed run with the other of RGB / RGB+XY once the main run is
    /// done (the runner does one job at a time), and that second result.
    bool compare = false;
    uint64_t compare_job_id = 0;
    std::shared_ptr<const core::ClusterResult> compare_result;
    core::ClusterParams compare_params;
    Texture compare_image;
    /// Init "click seeds": pixels of the image (x, y) clicked as starting centroids.
    std::vector<std::pair<int, int>> seeds;
    /// The colour-space view and how it is turned.
    CloudView cloud;
    bool cloud_ok = false;
    float cloud_yaw = 0.7f;
    float cloud_pitch = 0.45f;
    bool cloud_by_cluster = false;
    int cloud_size = 0;
    /// The original at view size (the cloud's points take their colours from it).
    std::vector<uint8_t> original_view;
    bool presenter = false;
    float font_size = 0.0f;
    bool show_help = false;
    double last_frame_time = 0.0;
    /// Key presses of this frame, from SDL's queue (never lost, however slow a frame is).
    std::vector<std::pair<int, int>> pending_keys;

    /// Called after the frame is drawn, before the swap (screenshots read the back buffer here).
    std::function<void()> after_render;
};

/// Creates the GL-side state and the runner; call once the window and context exist.
void init(AppState& state, SDL_Window* window, void* gl_context);
void shutdown(AppState& state);

/// One frame: events, finished work, UI, render, swap. Never waits for the engine.
void frame(AppState& state);

/// A file's bytes from a drop, a paste or a picker (sample empty), or a built-in sample's bytes:
/// decoded and clustered in the background.
void open_bytes(AppState& state, std::vector<uint8_t> bytes, const std::string& name,
                const std::string& sample = "");
/// A photo the platform decoded itself (the browser, for formats stb cannot read): clustered in
/// the background like a decoded file.
void open_pixels(AppState& state, core::Image image, const std::string& name);
/// Asks the platform for a built-in sample's bytes (they arrive through open_bytes).
void open_sample(AppState& state, const std::string& name);
/// Applies a URL fragment: parameters, and the sample it names (or the default one) when
/// load_sample is true. Bad values keep their defaults and leave a note.
void apply_link(AppState& state, const std::string& fragment, bool load_sample);
/// A file on disk (desktop: command line, drop, samples).
void open_path(AppState& state, const std::string& path, const std::string& sample = "");
/// Re-clusters the current image with state.params.
void run(AppState& state);

/// Test and script hooks: replay position (clamped), play, and the number of positions.
void set_position(AppState& state, int position);
int last_position(const AppState& state);
int current_position(const AppState& state);

/// The test hook's view: status, message and, when done, the stats JSON's keys.
std::string stats_json(const AppState& state);

} // namespace app
