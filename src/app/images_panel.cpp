// The image area: the original and the result side by side, split by a draggable divider, or
// compare mode's two results; the markers over them, the colour cloud beside them and the timeline
// under them. Every pane shares one zoom and pan (image_view.h).
#include "panels.h"

#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "app.h"
#include "core/features.h"

namespace app {
namespace {

const char* space_title(core::Space space)
{
    switch (space) {
    case core::Space::rgb: return "RGB colour space";
    case core::Space::linear: return "linear RGB";
    case core::Space::lab: return "CIE L*a*b* (axes L, a, b)";
    case core::Space::oklab: return "Oklab (axes L, a, b)";
    }
    return "";
}


/// RGB+XY: where each centroid sits in the image at the round shown, as a ring in its colour.
void centroid_markers(const AppState& s, const ImageArea& area)
{
    if (!s.doc.result || s.doc.result->d < 5 || !s.doc.image || s.gpu.shown_palette < 0) {
        return;
    }
    const core::ClusterResult& r = *s.doc.result;
    const float scale = s.doc.result_params.xy * 255.0f /
        static_cast<float>(std::max(s.doc.image->width, s.doc.image->height));
    const size_t kd = static_cast<size_t>(r.k) * r.d;
    const float* set = r.history_centroids.data() + static_cast<size_t>(s.gpu.shown_palette) * kd;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->PushClipRect(area.lo, area.hi, true);
    const float radius = std::max(3.0f, ImGui::GetFontSize() * 0.35f);
    for (int c = 0; c < r.k; ++c) {
        const float* centroid = set + static_cast<size_t>(c) * r.d;
        const float x = centroid[3] / scale / s.doc.image->width;
        const float y = centroid[4] / scale / s.doc.image->height;
        const ImVec2 at = area.to_screen(x, y);
        uint8_t rgb[3];
        core::centroid_srgb(centroid, s.doc.result_params, rgb);
        draw->AddCircleFilled(at, radius + 2, IM_COL32(0, 0, 0, 255));
        draw->AddCircleFilled(at, radius, IM_COL32(rgb[0], rgb[1], rgb[2], 255));
        draw->AddCircle(at, radius + 2, c == s.view.hover_label ? IM_COL32(255, 220, 80, 255) : IM_COL32(255, 255, 255, 200), 0, 1.5f);
    }
    draw->PopClipRect();
}

/// Init "click seeds": the clicked pixels, numbered, on the original.
void seed_markers(const AppState& s, const ImageArea& area)
{
    if (s.doc.params.kmeans.init != core::Init::given || !s.doc.image) {
        return;
    }
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->PushClipRect(area.lo, area.hi, true);
    const float radius = std::max(5.0f, ImGui::GetFontSize() * 0.55f);
    const std::vector<core::Seed>& seeds = s.doc.params.seeds;
    for (size_t i = 0; i < seeds.size(); ++i) {
        const ImVec2 at = area.to_screen((seeds[i].x + 0.5f) / s.doc.image->width,
                                         (seeds[i].y + 0.5f) / s.doc.image->height);
        draw->AddCircle(at, radius + 1.5f, IM_COL32(0, 0, 0, 255), 0, 3.0f);
        draw->AddCircle(at, radius, IM_COL32(255, 230, 60, 255), 0, 2.0f);
        char number[24];
        std::snprintf(number, sizeof number, "%zu", i + 1);
        draw->AddText(ImVec2(at.x + radius + 2, at.y - radius * 2), IM_COL32(255, 230, 60, 255), number);
    }
    draw->PopClipRect();
}

/// A click on the original with init "click seeds" adds that pixel as a starting centroid; a
/// shift+click also switches to that init.
void click_seed(AppState& s, const ImageArea& area)
{
    if (!area.clicked || !s.doc.image) {
        return;
    }
    add_seed(s.doc, static_cast<int>(area.click_uv.x * s.doc.image->width),
             static_cast<int>(area.click_uv.y * s.doc.image->height), ImGui::GetIO().KeyShift);
}

/// The colour-space cloud, square, turned by dragging; a toggle for point colours.
void cloud_pane(AppState& s, ImVec2 box, float label_h)
{
    ImGui::BeginChild("cloud", ImVec2(box.x, box.y + label_h), false, ImGuiWindowFlags_NoScrollbar);
    const float side = std::max(16.0f, std::min(box.x, box.y - label_h));
    s.view.cloud_size = static_cast<int>(side * ImGui::GetIO().DisplayFramebufferScale.x);
    ImGui::SetCursorPos(ImVec2((box.x - side) * 0.5f, std::max(0.0f, (box.y - side) * 0.5f - label_h)));
    ImGui::TextUnformatted(s.doc.result ? space_title(s.doc.result_params.space) : "");
    ImGui::SameLine();
    ImGui::Checkbox("cluster colours", &s.view.cloud_by_cluster);
    ImGui::SetCursorPosX((box.x - side) * 0.5f);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##cloud_drag", ImVec2(side, side));
    if (ImGui::IsItemActive()) {
        const ImVec2 d = ImGui::GetIO().MouseDelta;
        s.view.cloud_yaw += d.x * 0.01f;
        s.view.cloud_pitch = std::clamp(s.view.cloud_pitch + d.y * 0.01f, -1.5f, 1.5f);
    }
    if (s.gpu.cloud.texture() != 0) {
        ImGui::GetWindowDrawList()->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(s.gpu.cloud.texture())),
                                             at, ImVec2(at.x + side, at.y + side), ImVec2(0, 1), ImVec2(1, 0));
    }
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("drag to turn: %zu pixels, centroids large, trails over the rounds", s.gpu.cloud.points());
    }
    ImGui::EndChild();
}


/// The row above the images: layout, zoom, compare.
void view_row(AppState& s)
{
    int layout = s.view.image.split ? 1 : 0;
    ImGui::RadioButton("side by side", &layout, 0);
    ImGui::SameLine();
    ImGui::RadioButton("split", &layout, 1);
    s.view.image.split = layout == 1;
    ImGui::SameLine();
    if (ImGui::SmallButton("fit")) {
        fit(s.view.image);
    }
    ImGui::SameLine();
    ImGui::TextDisabled("zoom %.2gx", s.view.image.zoom);
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("wheel zooms around the cursor, drag pans, double-click fits");
    }
    ImGui::SameLine(0, ImGui::GetFontSize() * 2);
    bool compare = s.doc.compare;
    if (ImGui::Checkbox("compare RGB | RGB+XY", &compare)) {
        toggle_compare(s.doc);
    }
}

/// "RGB, k = 6, inertia 1.2e+06, 12 rounds": what a compare pane shows.
void compare_label(const core::ClusterResult* r, const core::ClusterParams& params, char* out, size_t n)
{
    if (!r) {
        std::snprintf(out, n, "%s: clustering...", params.xy > 0.0f ? "RGB+XY" : "RGB");
        return;
    }
    std::snprintf(out, n, "%s, k = %d: inertia %.4g, %d rounds", params.xy > 0.0f ? "RGB+XY" : "RGB",
                  r->k, r->inertia, r->iterations);
}

} // namespace

void images_panel(AppState& s)
{
    view_row(s);
    ImVec2 avail = ImGui::GetContentRegionAvail();
    if (s.doc.result) {
        avail.y -= ImGui::GetFrameHeightWithSpacing() * 3 + ImGui::GetFontSize() * 4.5f;
    }
    if (!s.gpu.original.valid()) {
        const char* hint = s.doc.status == Status::decoding ? "Decoding..." : "Drop a photo here";
        const ImVec2 size = ImGui::CalcTextSize(hint);
        ImGui::SetCursorPos(ImVec2((avail.x - size.x) * 0.5f, (avail.y - size.y) * 0.5f));
        ImGui::TextDisabled("%s", hint);
        return;
    }
    const float gap = 8.0f;
    const float label_h = ImGui::GetTextLineHeightWithSpacing();
    const bool wide = avail.x >= avail.y;
    const bool with_cloud = s.gpu.cloud.points() > 0;
    const float panes = with_cloud ? 3.0f : 2.0f;
    const ImVec2 box = wide ? ImVec2((avail.x - gap * (panes - 1)) / panes, avail.y - label_h)
                            : ImVec2(avail.x, (avail.y - gap * (panes - 1)) / panes - label_h);
    const int w = s.gpu.original.width();
    const int h = s.gpu.original.height();
    // Every pane shows the same view of the same image shape, so zoom and pan keep them aligned.
    // Markers go on in `over`, inside the pane's child window so that they are drawn on top.
    auto pane = [&](const char* id, const char* label, ImVec2 size, unsigned left, unsigned right,
                    auto&& over) {
        ImGui::BeginChild(id, ImVec2(size.x, size.y + label_h), false, ImGuiWindowFlags_NoScrollbar);
        // The label sits just above the fitted image, wherever centring puts it.
        const float scale = std::min(size.x / w, size.y / h);
        ImGui::SetCursorPos(ImVec2((size.x - w * scale) * 0.5f, (size.y - h * scale) * 0.5f));
        ImGui::TextUnformatted(label);
        ImGui::SetCursorPos(ImVec2(0, label_h));
        ImageArea area;
        if (left != 0) {
            area = image_area(id, s.view.image, size, w, h, left, right);
            over(area);
        }
        ImGui::EndChild();
        return area;
    };
    const unsigned segmented = s.gpu.segment.texture() != 0 ? s.gpu.segment.texture()
                               : s.gpu.clustered.valid()     ? s.gpu.clustered.id()
                                                         : 0;
    char label[128];
    if (s.doc.result) {
        std::snprintf(label, sizeof label, "%s, k = %d%s", core::init_name(s.doc.result_params.kmeans.init),
                      s.doc.result->k, s.doc.result_params.xy > 0.0f ? ", RGB+XY" : "");
    } else {
        std::snprintf(label, sizeof label, "clustering...");
    }
    if (s.doc.compare && s.doc.result) {
        // RGB on the left, RGB+XY on the right, whichever of them the main run was.
        char main_label[128];
        char other_label[128];
        compare_label(s.doc.result.get(), s.doc.result_params, main_label, sizeof main_label);
        core::ClusterParams other = s.doc.result_params;
        other.xy = s.doc.result_params.xy > 0.0f ? 0.0f : 1.0f;
        compare_label(s.doc.compare_result.get(), s.doc.compare_result ? s.doc.compare_params : other, other_label,
                      sizeof other_label);
        const unsigned other_tex = s.doc.compare_result ? s.gpu.compare_image.id() : 0;
        const bool main_left = s.doc.result_params.xy <= 0.0f;
        auto main_markers = [&](const ImageArea& area) { centroid_markers(s, area); };
        auto no_markers = [](const ImageArea&) {};
        if (main_left) {
            pane("compare_a", main_label, box, segmented, 0, main_markers);
        } else {
            pane("compare_a", other_label, box, other_tex, 0, no_markers);
        }
        if (wide) {
            ImGui::SameLine(0, gap);
        }
        if (main_left) {
            pane("compare_b", other_label, box, other_tex, 0, no_markers);
        } else {
            pane("compare_b", main_label, box, segmented, 0, main_markers);
        }
    } else if (s.view.image.split) {
        const ImVec2 both = wide ? ImVec2(box.x * 2 + gap, box.y) : ImVec2(box.x, box.y * 2 + gap + label_h);
        char split_label[160];
        std::snprintf(split_label, sizeof split_label, "Original  |  %s", label);
        s.view.original_area = pane("split", split_label, both, s.gpu.original.id(), segmented,
                               [&](const ImageArea& area) {
                                   click_seed(s, area);
                                   seed_markers(s, area);
                               });
    } else {
        s.view.original_area = pane("original", "Original", box, s.gpu.original.id(), 0,
                               [&](const ImageArea& area) {
                                   click_seed(s, area);
                                   seed_markers(s, area);
                               });
        if (wide) {
            ImGui::SameLine(0, gap);
        }
        pane("clustered", label, box, segmented, 0, [&](const ImageArea& area) { centroid_markers(s, area); });
    }
    if (with_cloud) {
        if (wide) {
            ImGui::SameLine(0, gap);
        }
        cloud_pane(s, box, label_h);
    }
    if (s.doc.result) {
        ImGui::BeginChild("timeline", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar);
        timeline_panel(s);
        ImGui::EndChild();
    }
}

} // namespace app
