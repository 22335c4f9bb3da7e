// The image area: the original and the result side by side, the full-size before/after split with
// its draggable divider, or compare mode's two results; the markers over them, the timeline and the
// colour cloud where layout_plan.h puts them. The images take all the room the rest leaves.
// Every pane shares one zoom and pan (image_view.h).
#include "panels.h"

#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "app.h"
#include "core/features.h"
#include "layout_plan.h"

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
    if (!s.doc.result || s.doc.result->d < 5 || !s.doc.image || s.gpu.shown_palette < 0 ||
        (regions_shown(s.view, s.doc) && !s.view.region_markers)) {
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

/// The colour-space cloud: a line with the toggle for point colours, then the square of side `side`
/// (turned by dragging), its title over its top left corner.
void cloud_pane(AppState& s, float side)
{
    ImGui::BeginChild("cloud", ImVec2(side, side + ImGui::GetFrameHeightWithSpacing()), false,
                      ImGuiWindowFlags_NoScrollbar);
    ImGui::Checkbox("clusters", &s.view.cloud_by_cluster);
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("colour the points by their cluster (else by their own colour)");
    }
    s.view.cloud_size = static_cast<int>(side * ImGui::GetIO().DisplayFramebufferScale.x);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##cloud_drag", ImVec2(side, side));
    if (ImGui::IsItemActive()) {
        const ImVec2 d = ImGui::GetIO().MouseDelta;
        s.view.cloud_yaw += d.x * 0.01f;
        s.view.cloud_pitch = std::clamp(s.view.cloud_pitch + d.y * 0.01f, -1.5f, 1.5f);
    }
    ImDrawList* draw = ImGui::GetWindowDrawList();
    if (s.gpu.cloud.texture() != 0) {
        draw->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(s.gpu.cloud.texture())), at,
                       ImVec2(at.x + side, at.y + side), ImVec2(0, 1), ImVec2(1, 0));
    }
    if (s.doc.result) {
        // The cloud is drawn on a dark ground in either theme: light type on it.
        draw->AddText(ImVec2(at.x + 4, at.y + 2), IM_COL32(225, 225, 230, 255), space_title(s.doc.result_params.space));
    }
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("drag to turn: %zu pixels, centroids large, trails over the rounds", s.gpu.cloud.points());
    }
    s.view.layout.cloud = {at.x, at.y, at.x + side, at.y + side};
    ImGui::EndChild();
}

/// The row above the images: the panel's toggle, layout, zoom, compare, the cloud's toggle; in the
/// full-size split also what the two halves show.
void view_row(AppState& s, const char* split_label)
{
    if (!split_label && !s.view.presenter) {
        if (ImGui::SmallButton(s.view.side_panel ? "<< panel" : "panel >>")) {
            s.view.side_panel = !s.view.side_panel;
        }
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip(s.view.side_panel ? "collapse the controls and the palette: the images take their room (h)"
                                                : "show the controls and the palette (h)");
        }
        ImGui::SameLine();
    }
    int layout = s.view.image.split ? 1 : 0;
    ImGui::RadioButton("side by side", &layout, 0);
    ImGui::SameLine();
    ImGui::RadioButton("before | after", &layout, 1);
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
    if (split_label) {
        same_line_if_fits(ImGui::CalcTextSize(split_label).x);
        ImGui::TextUnformatted(split_label);
        return;
    }
    same_line_if_fits(checkbox_width("compare RGB | RGB+XY"));
    bool compare = s.doc.compare;
    if (ImGui::Checkbox("compare RGB | RGB+XY", &compare)) {
        toggle_compare(s.doc);
    }
    same_line_if_fits(checkbox_width("cloud"));
    ImGui::Checkbox("cloud", &s.view.cloud);
    same_line_if_fits(checkbox_width("light"));
    ImGui::Checkbox("light", &s.view.light);
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("a light theme, for projectors (the link carries it)");
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
    char label[128];
    if (s.doc.result) {
        std::snprintf(label, sizeof label, "%s, k = %d%s", core::init_name(s.doc.result_params.kmeans.init),
                      s.doc.result->k, s.doc.result_params.xy > 0.0f ? ", RGB+XY" : "");
    } else {
        std::snprintf(label, sizeof label, "clustering...");
    }
    // The full-size before/after: one image over the whole area, its labels in the row above.
    const bool full = s.view.image.split && !(s.doc.compare && s.doc.result);
    char split_label[160];
    std::snprintf(split_label, sizeof split_label, "Original  |  %s", label);
    if (!s.view.presenter) {
        view_row(s, full ? split_label : nullptr);
    } else if (full) {
        ImGui::TextUnformatted(split_label); // presenter mode: its bar is the chrome
    }
    LayoutReport& report = s.view.layout;
    report.images.clear();
    report.cloud = {0, 0, 0, 0};
    report.timeline = {0, 0, 0, 0};
    report.bars = {0, 0, 0, 0};
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (!s.gpu.original.valid()) {
        const char* hint = s.doc.status == Status::decoding ? "Decoding..." : "Drop a photo here";
        const ImVec2 size = ImGui::CalcTextSize(hint);
        ImGui::SetCursorPos(ImVec2((avail.x - size.x) * 0.5f, (avail.y - size.y) * 0.5f));
        ImGui::TextDisabled("%s", hint);
        return;
    }
    const float gap = 8.0f;
    const float label_h = ImGui::GetTextLineHeightWithSpacing();
    const int w = s.gpu.original.width();
    const int h = s.gpu.original.height();
    const ImVec2 origin = ImGui::GetCursorPos();
    LayoutPlan plan;
    if (full) {
        // One image over the whole area, the one-line timeline under it.
        const float bar = s.doc.result ? ImGui::GetFrameHeightWithSpacing() : 0.0f;
        plan.pane = ImVec2(avail.x, std::max(16.0f, avail.y - bar));
        plan.timeline_at = ImVec2(0, plan.pane.y);
        plan.timeline_size = ImVec2(avail.x, bar);
    } else {
        LayoutNeeds needs;
        needs.avail = avail;
        needs.width = w;
        needs.height = h;
        needs.gap = gap;
        needs.label_h = label_h;
        needs.timeline_h = s.doc.result ? timeline_height(s.view.presenter) : 0.0f;
        needs.timeline_w = timeline_min_width();
        const bool with_cloud = s.view.cloud && s.gpu.cloud.points() > 0;
        needs.cloud_min = with_cloud ? std::max(120.0f, ImGui::GetFontSize() * 9.0f) : 0.0f;
        needs.cloud_line = ImGui::GetFrameHeightWithSpacing();
        plan = plan_layout(needs);
    }
    auto record = [&](const ImageArea& area) {
        if (area.hi.x > area.lo.x) {
            report.images.push_back({area.lo.x, area.lo.y, area.hi.x, area.hi.y});
        }
    };
    // Every pane shows the same view of the same image shape, so zoom and pan keep them aligned.
    // Markers go on in `over`, inside the pane's child window so that they are drawn on top.
    auto pane = [&](const char* id, const char* pane_label, ImVec2 at, unsigned left, unsigned right,
                    auto&& over) {
        const float top = pane_label ? label_h : 0.0f;
        ImGui::SetCursorPos(ImVec2(origin.x + at.x, origin.y + at.y));
        ImGui::BeginChild(id, ImVec2(plan.pane.x, plan.pane.y + top), false, ImGuiWindowFlags_NoScrollbar);
        if (pane_label) {
            ImGui::TextUnformatted(pane_label);
        }
        ImGui::SetCursorPos(ImVec2(0, top));
        ImageArea area;
        if (left != 0) {
            area = image_area(id, s.view.image, plan.pane, w, h, left, right);
            over(area);
            record(area);
        }
        ImGui::EndChild();
        return area;
    };
    const unsigned segmented = s.gpu.segment.texture() != 0 ? s.gpu.segment.texture()
                               : s.gpu.clustered.valid()     ? s.gpu.clustered.id()
                                                         : 0;
    auto on_original = [&](const ImageArea& area) {
        click_seed(s, area);
        seed_markers(s, area);
    };
    auto main_markers = [&](const ImageArea& area) { centroid_markers(s, area); };
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
        auto no_markers = [](const ImageArea&) {};
        if (main_left) {
            pane("compare_a", main_label, plan.first, segmented, 0, main_markers);
            pane("compare_b", other_label, plan.second, other_tex, 0, no_markers);
        } else {
            pane("compare_a", other_label, plan.first, other_tex, 0, no_markers);
            pane("compare_b", main_label, plan.second, segmented, 0, main_markers);
        }
    } else if (full) {
        s.view.original_area = pane("split", nullptr, plan.first, s.gpu.original.id(), segmented, on_original);
    } else {
        s.view.original_area = pane("original", "Original", plan.first, s.gpu.original.id(), 0, on_original);
        pane("clustered", label, plan.second, segmented, 0, main_markers);
    }
    if (s.doc.result && plan.timeline_size.y > 0.0f) {
        ImGui::SetCursorPos(ImVec2(origin.x + plan.timeline_at.x, origin.y + plan.timeline_at.y));
        const ImVec2 at = ImGui::GetCursorScreenPos();
        ImGui::BeginChild("timeline", plan.timeline_size, false, ImGuiWindowFlags_NoScrollbar);
        if (full) {
            timeline_bar(s);
        } else {
            timeline_panel(s, s.view.presenter);
        }
        ImGui::EndChild();
        report.timeline = {at.x, at.y, at.x + plan.timeline_size.x, at.y + plan.timeline_size.y};
    }
    if (plan.cloud_side > 0.0f) {
        ImGui::SetCursorPos(ImVec2(origin.x + plan.cloud_at.x, origin.y + plan.cloud_at.y));
        cloud_pane(s, plan.cloud_side);
    }
}

} // namespace app
