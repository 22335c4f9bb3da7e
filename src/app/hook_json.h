// The test hook's JSON (window.kpix.stats() in the page): the document's status, message, link and,
// once a result is in, the stats JSON's keys, with the view's numbers beside them. No GL or ImGui:
// the frame fills a ViewReport and tests/app reads the same JSON.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "document.h"

namespace app {

/// What the view contributes: where the replay stands and how the images are shown.
struct ViewReport {
    int position = 0;
    int last_position = 0;
    bool playing = false;
    /// The round at `position` is the one drawn.
    bool shown = false;
    bool presenter = false;
    /// The light theme.
    bool light = false;
    bool boundaries = false;
    /// The regions view is shown (a position run with the view on), with centroid markers or not.
    bool regions = false;
    bool region_markers = false;
    size_t cloud_points = 0;
    float cloud_yaw = 0.0f;
    bool split = false;
    float divider = 0.5f;
    float zoom = 1.0f;
    float cx = 0.5f;
    float cy = 0.5f;
    /// The original's screen rect last frame: x0, y0, x1, y1.
    float rect[4] = {0, 0, 0, 0};
    /// The side panel and the cloud shown (not collapsed).
    bool side_panel = true;
    bool cloud = true;
    /// The window's size, every image rect drawn and every ImGui window's rect (name, rect), last frame.
    float window[2] = {0, 0};
    std::vector<std::array<float, 4>> images;
    /// The cloud's square, the timeline's box and its changed-pixels bars (zero when not drawn).
    std::array<float, 4> cloud_area = {0, 0, 0, 0};
    std::array<float, 4> timeline_area = {0, 0, 0, 0};
    std::array<float, 4> bars_area = {0, 0, 0, 0};
    /// The palette's swatches drawn, in palette order.
    std::vector<std::array<float, 4>> swatches;
    std::vector<std::pair<std::string, std::array<float, 4>>> widgets;
};

/// The round drawn at a replay position: 1 .. iterations, and its half-step, "assign", "update" or
/// "final" (the last position: the result).
struct RoundShown {
    int round = 0;
    const char* phase = "final";
};
RoundShown round_shown(int position, int last_position, int iterations);

/// Status, message, sample, link and notes; when done also the replay, the view, compare mode and
/// core::stats_json's keys for the result.
std::string stats_json(const Document& doc, const ViewReport& view);

} // namespace app
