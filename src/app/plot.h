// Small charts on ImGui's draw list. The k plot: values against an integer (k, or a round), points
// joined by a line, axes with tick values (linear or log), optional error bars, the suggested x
// ringed, the current x (or half-step) marked; hovering shows the value, a click picks the nearest x.
// The round bars: one bar per round under the timeline's scrubber, aligned with its positions.
#pragma once

#include <vector>

#include <imgui.h>

namespace app {

struct KPlot {
    const char* id = "##plot";
    /// Drawn at the top left, e.g. "inertia (elbow)".
    const char* title = "";
    /// Ascending ks and one value per k.
    const std::vector<int>* ks = nullptr;
    const std::vector<double>* values = nullptr;
    /// Half-lengths of error bars, one per k, or nullptr.
    const std::vector<double>* errors = nullptr;
    /// The k to ring (0: none) and the k in use (0: none).
    int suggested = 0;
    int current = 0;
    /// The marker stands this far past `current` (0.5: a round's update half-step), with this label
    /// at its top ("assign", "update"; nullptr: none).
    float current_offset = 0.0f;
    const char* current_label = nullptr;
    /// A log y axis (values must be positive; others are drawn at the axis' foot).
    bool log_y = false;
    /// Width and height in pixels.
    ImVec2 size = ImVec2(300, 120);
    /// What x is, in the tooltip ("k = 5"), and what a click does there (a format taking x).
    const char* x_name = "k";
    const char* click_hint = "click: cluster at k = %d";
};

struct KPlotResult {
    /// The k clicked this frame, 0 if none.
    int clicked = 0;
    /// Where the suggested point was drawn (screen pixels), when there is one.
    ImVec2 suggested_at = ImVec2(0, 0);
};

KPlotResult k_plot(const KPlot& plot);

/// The accent for marks (current round, suggested k): amber that reads on the dark and light themes.
ImU32 accent_colour();

/// Bars of one value per round (pixels that changed cluster), under a scrubber whose positions are
/// 0 .. 2 * rounds: round r's bar spans positions 2r .. 2r+1, with a tick at each round's start.
struct RoundBars {
    const char* id = "##rounds";
    /// One value per round, >= 0; drawn on a log scale (the first round changes every pixel).
    const std::vector<double>* values = nullptr;
    /// The scrubber's screen rect (its grab geometry is ImGui's, see plot.cpp) and its last position.
    ImVec2 scrub_min = ImVec2(0, 0);
    ImVec2 scrub_max = ImVec2(0, 0);
    int last_position = 0;
    /// The round shown, 1-based (0: none).
    int current = 0;
    float height = 24.0f;
};

/// Draws the ticks on the scrubber and the bars under it; returns the round clicked (1-based), or 0.
int round_bars(const RoundBars& bars);

} // namespace app
