// A small plot of values against an integer (k, or a round) on ImGui's draw list: points joined by
// a line, axes with tick values, optional error bars, the suggested x ringed, the current x marked;
// hovering shows the value, a click picks the nearest x.
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

} // namespace app
