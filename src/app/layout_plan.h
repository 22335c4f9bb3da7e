// Where the image area's parts go: the two image panes (across or stacked), the timeline and the
// colour cloud, docked under the images or in a column beside them, whichever shows the images
// larger. Plain arithmetic on sizes in pixels; images_panel.cpp draws what it says.
#pragma once

#include <imgui.h>

namespace app {

/// What the plan needs to know, in pixels.
struct LayoutNeeds {
    /// The room below the view row.
    ImVec2 avail = ImVec2(0, 0);
    /// The image's size in its own pixels.
    int width = 1;
    int height = 1;
    /// Gap between parts; the label line above each pane.
    float gap = 8.0f;
    float label_h = 0.0f;
    /// The timeline's least size (0 height: no timeline).
    float timeline_h = 0.0f;
    float timeline_w = 0.0f;
    /// The cloud's least side (0: no cloud) and the line above its square.
    float cloud_min = 0.0f;
    float cloud_line = 0.0f;
};

/// The plan, in pixels from the area's top left.
struct LayoutPlan {
    /// Two panes side by side (else one above the other), at this scale of the image.
    bool wide = true;
    float scale = 0.0f;
    /// One pane: the image's drawn size; the first pane's top left, its label line included.
    ImVec2 pane = ImVec2(0, 0);
    ImVec2 first = ImVec2(0, 0);
    ImVec2 second = ImVec2(0, 0);
    /// The timeline's box (zero size: none).
    ImVec2 timeline_at = ImVec2(0, 0);
    ImVec2 timeline_size = ImVec2(0, 0);
    /// The cloud's box: its line, then the square of side cloud_side (0: no cloud).
    ImVec2 cloud_at = ImVec2(0, 0);
    float cloud_side = 0.0f;
    /// The timeline and the cloud in a column right of the images (else a strip under them).
    bool beside = false;
};

/// The arrangement that shows two panes largest with the timeline and the cloud at least their
/// least sizes. When the cloud does not fit, or would cost the images a third of their size, the
/// plan leaves it out (cloud_side 0).
LayoutPlan plan_layout(const LayoutNeeds& needs);

} // namespace app
