// How the document is looked at: the replay's position, zoom/pan/split, the cloud's angles,
// presenter mode, hover and toggles. Plain values the panels edit; nothing here owns GL objects.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "image_view.h"

namespace app {

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

/// The frame's layout as drawn, in window pixels (the test hook reports it): x0, y0, x1, y1 rects.
struct LayoutReport {
    float window[2] = {0, 0};
    /// Every image drawn this frame (original, result, split, compare panes).
    std::vector<std::array<float, 4>> images;
    /// The cloud's square (where a drag turns it) and the timeline's box; zero when not drawn.
    std::array<float, 4> cloud = {0, 0, 0, 0};
    std::array<float, 4> timeline = {0, 0, 0, 0};
    /// The changed-pixels bars under the scrubber (a click there shows that round).
    std::array<float, 4> bars = {0, 0, 0, 0};
    /// The palette's swatches, in palette order (a click copies the colour's hex).
    std::vector<std::array<float, 4>> swatches;
    /// Every ImGui window drawn this frame (top-level and child), by its ImGui name.
    std::vector<std::pair<std::string, std::array<float, 4>>> widgets;
};

/// From this many clusters a position run opens in the regions view: its markers would hide it.
constexpr int kRegionsFromK = 100;

struct ViewState {
    Timeline timeline;
    /// Zoom, pan and split shared by the image panes; the original's rect last frame (test hook).
    ImageView image;
    ImageArea original_area;
    /// The colour-space cloud: how it is turned, its points' colours, its side in pixels.
    float cloud_yaw = 0.7f;
    float cloud_pitch = 0.45f;
    bool cloud_by_cluster = false;
    int cloud_size = 0;
    /// Palette swatch under the mouse (its pixels are highlighted), or -1.
    int hover_label = -1;
    bool boundaries = false;
    /// The inertia chart on a log scale.
    bool inertia_log = false;
    /// The regions view of a position run: every region in its mean colour with its boundary
    /// drawn, as superpixel tools show a segmentation; the centroid markers only with
    /// region_markers. Switched on when a position run of kRegionsFromK or more clusters
    /// arrives after one that was not (the user's choice then stands for the next runs).
    bool regions = false;
    bool region_markers = false;
    /// The last result taken was a position run of kRegionsFromK or more clusters.
    bool large_position_run = false;
    bool presenter = false;
    /// The left panel (controls, palette) and the colour cloud; collapsed, the images take their room.
    bool side_panel = true;
    bool cloud = true;
    /// What was drawn where last frame.
    LayoutReport layout;
    /// The light theme (for projectors; the link carries it as theme=light).
    bool light = false;
    /// The font size the atlas was built at (presenter mode doubles it), and the theme styled.
    float font_size = 0.0f;
    bool styled_light = false;
    bool show_help = false;
    bool show_about = false;
    double last_frame_time = 0.0;
    /// Key presses of this frame, from SDL's queue (never lost, however slow a frame is): the
    /// key's SDL_Keycode (what its label says on the user's layout, not where it sits) and modifiers.
    std::vector<std::pair<int, int>> pending_keys;
    /// Text typed this frame (SDL_TEXTINPUT): the symbol shortcuts (+ - = ?) sit on different,
    /// often shifted, keys on every layout, so they are read from the character typed.
    std::string pending_text;
};

} // namespace app
