// The image area's shared view: zoom and pan that the original and the segmented images follow
// together, and the before/after split (one rect, the original left of a draggable divider).
#pragma once

#include <imgui.h>

namespace app {

/// How the images are shown. The visible part of an image is the UV square centred on (cx, cy)
/// with side 1 / zoom, so every pane showing the same view shows the same pixels.
struct ImageView {
    /// Before/after in one rect instead of side by side.
    bool split = false;
    /// Where the divider sits across the shown image, 0..1.
    float divider = 0.5f;
    /// 1 shows the whole image; larger magnifies.
    float zoom = 1.0f;
    float cx = 0.5f;
    float cy = 0.5f;
};

/// What one drawn image area reports back.
struct ImageArea {
    /// Screen rect of the shown image (the part visible under zoom fills it).
    ImVec2 lo;
    ImVec2 hi;
    /// Visible UV range.
    ImVec2 uv0;
    ImVec2 uv1;
    /// A click (press and release without a drag) on the image, in image UV; clicked false otherwise.
    bool clicked = false;
    ImVec2 click_uv;

    /// Screen position of a point given in image UV (0..1).
    ImVec2 to_screen(float u, float v) const;
};

/// Back to the whole image.
void fit(ImageView& view);

/// An image area fitted into box (aspect of a w x h image, centred) at the cursor, interactive:
/// the wheel zooms around the cursor, a drag pans, a double-click fits. `left` is shown alone, or,
/// with `right` non-zero, left of the view's divider with `right` beyond it (the divider drags).
ImageArea image_area(const char* id, ImageView& view, ImVec2 box, int w, int h, unsigned left,
                     unsigned right = 0);

} // namespace app
