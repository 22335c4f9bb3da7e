// The frame function and the panels: controls and palette on the left, the original and the
// clustered image side by side on the right.
#include "app.h"

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <cstring>

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>

#include "core/features.h"
#include "core/link.h"
#include "core/params.h"
#include "core/samples.h"
#include "core/stats.h"
#include "exports.h"
#include "files_panel.h"
#include "gl.h"
#include "imgui_renderer.h"
#include "platform/platform.h"

namespace app {
namespace {

constexpr float kPanelWidth = 300.0f;
constexpr int kUiMaxK = 256;
constexpr float kFontSize = 13.0f;
constexpr float kPresenterFontSize = 26.0f;

void toggle_play(AppState& s);
void step(AppState& s, int delta);
void set_k(AppState& s, int k);
void toggle_xy(AppState& s);
void timeline_panel(AppState& s);
void presenter_bar(AppState& s);
void centroid_markers(const AppState& s, const ImageArea& area);
void start_compare(AppState& s);
void toggle_compare(AppState& s);
void cloud_pane(AppState& s, ImVec2 box, float label_h);

/// The box drawn around the cloud: each colour axis's range over the sRGB gamut in the space.
void space_axes(core::Space space, float* lo, float* hi)
{
    switch (space) {
    case core::Space::rgb:
    case core::Space::linear:
        for (int a = 0; a < 3; ++a) {
            lo[a] = 0.0f;
            hi[a] = 255.0f;
        }
        return;
    case core::Space::lab: // L* 0..100, a* and b* about -108..98
        lo[0] = 0.0f, hi[0] = 100.0f;
        lo[1] = lo[2] = -110.0f;
        hi[1] = hi[2] = 100.0f;
        return;
    case core::Space::oklab: // x100: L 0..100, a and b about -31..28
        lo[0] = 0.0f, hi[0] = 100.0f;
        lo[1] = lo[2] = -32.0f;
        hi[1] = hi[2] = 30.0f;
        return;
    }
}

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

void collect_outputs(AppState& s)
{
    for (Output& out : s.runner->take_outputs()) {
        if (out.job_id != 0 && out.job_id == s.compare_job_id) {
            if (out.kind == Output::Kind::clustered) {
                s.compare_result = out.result;
                s.compare_params = out.params;
                s.compare_image.upload(out.display.rgba.data(), out.display.width, out.display.height);
            }
            s.compare_job_id = 0;
            continue;
        }
        if (out.job_id != s.job_id) {
            continue; // superseded by a newer job
        }
        switch (out.kind) {
        case Output::Kind::failed:
            s.status = Status::error;
            s.message = out.error;
            break;
        case Output::Kind::decoded:
            s.image = out.image;
            s.image_name = out.name;
            s.sample = s.opening_sample;
            s.seconds_decode = out.seconds_decode;
            s.orientation = out.orientation;
            s.orientation_applied = out.orientation_applied;
            s.icc_profile = out.icc_profile;
            s.decode_note = out.decode_note;
            s.result.reset();
            s.clustered.reset();
            s.seeds.clear();
            fit(s.view);
            s.original.upload(out.display.rgba.data(), out.display.width, out.display.height);
            s.original_view = std::move(out.display.rgba);
            s.cloud.clear();
            s.status = Status::running;
            break;
        case Output::Kind::clustered:
            s.result = out.result;
            s.result_params = out.params;
            s.clustered.upload(out.display.rgba.data(), out.display.width, out.display.height);
            s.view_width = out.display.width;
            s.view_height = out.display.height;
            s.labeler->reset(out.features,
                             std::make_shared<const std::vector<float>>(out.result->history_centroids),
                             out.result->k, out.result->d);
            s.shown_labels = -1;
            s.shown_palette = -1;
            s.segment.clear();
            s.segment.set_original(s.original.id());
            if (s.cloud_ok) {
                float lo[3];
                float hi[3];
                space_axes(out.params.space, lo, hi);
                s.cloud.set_points(*out.features, out.result->d, s.original_view, lo, hi);
            }
            if (s.timeline.playing) {
                s.timeline.position = 0; // a re-run while playing replays the new run
            } else {
                s.timeline.position = -1;
            }
            s.status = Status::done;
            if (s.compare) {
                start_compare(s);
            }
            break;
        }
    }
}

/// RGB+XY: where each centroid sits in the image at the round shown, as a ring in its colour.
void centroid_markers(const AppState& s, const ImageArea& area)
{
    if (!s.result || s.result->d < 5 || !s.image || s.shown_palette < 0) {
        return;
    }
    const core::ClusterResult& r = *s.result;
    const float scale = s.result_params.xy * 255.0f /
        static_cast<float>(std::max(s.image->width, s.image->height));
    const size_t kd = static_cast<size_t>(r.k) * r.d;
    const float* set = r.history_centroids.data() + static_cast<size_t>(s.shown_palette) * kd;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->PushClipRect(area.lo, area.hi, true);
    const float radius = std::max(3.0f, ImGui::GetFontSize() * 0.35f);
    for (int c = 0; c < r.k; ++c) {
        const float* centroid = set + static_cast<size_t>(c) * r.d;
        const float x = centroid[3] / scale / s.image->width;
        const float y = centroid[4] / scale / s.image->height;
        const ImVec2 at = area.to_screen(x, y);
        uint8_t rgb[3];
        core::centroid_srgb(centroid, s.result_params, rgb);
        draw->AddCircleFilled(at, radius + 2, IM_COL32(0, 0, 0, 255));
        draw->AddCircleFilled(at, radius, IM_COL32(rgb[0], rgb[1], rgb[2], 255));
        draw->AddCircle(at, radius + 2, c == s.hover_label ? IM_COL32(255, 220, 80, 255) : IM_COL32(255, 255, 255, 200), 0, 1.5f);
    }
    draw->PopClipRect();
}

/// Init "click seeds": the clicked pixels, numbered, on the original.
void seed_markers(const AppState& s, const ImageArea& area)
{
    if (s.params.kmeans.init != core::Init::given || !s.image) {
        return;
    }
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->PushClipRect(area.lo, area.hi, true);
    const float radius = std::max(5.0f, ImGui::GetFontSize() * 0.55f);
    for (size_t i = 0; i < s.seeds.size(); ++i) {
        const ImVec2 at = area.to_screen((s.seeds[i].first + 0.5f) / s.image->width,
                                         (s.seeds[i].second + 0.5f) / s.image->height);
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
void add_seed(AppState& s, const ImageArea& area)
{
    if (!area.clicked || !s.image || static_cast<int>(s.seeds.size()) >= kUiMaxK) {
        return;
    }
    if (s.params.kmeans.init != core::Init::given) {
        if (!ImGui::GetIO().KeyShift) {
            return;
        }
        s.params.kmeans.init = core::Init::given;
        s.seeds.clear();
    }
    const int x = std::clamp(static_cast<int>(area.click_uv.x * s.image->width), 0, s.image->width - 1);
    const int y = std::clamp(static_cast<int>(area.click_uv.y * s.image->height), 0, s.image->height - 1);
    s.seeds.emplace_back(x, y);
}

/// The colour-space cloud, square, turned by dragging; a toggle for point colours.
void cloud_pane(AppState& s, ImVec2 box, float label_h)
{
    ImGui::BeginChild("cloud", ImVec2(box.x, box.y + label_h), false, ImGuiWindowFlags_NoScrollbar);
    const float side = std::max(16.0f, std::min(box.x, box.y - label_h));
    s.cloud_size = static_cast<int>(side * ImGui::GetIO().DisplayFramebufferScale.x);
    ImGui::SetCursorPos(ImVec2((box.x - side) * 0.5f, std::max(0.0f, (box.y - side) * 0.5f - label_h)));
    ImGui::TextUnformatted(s.result ? space_title(s.result_params.space) : "");
    ImGui::SameLine();
    ImGui::Checkbox("cluster colours", &s.cloud_by_cluster);
    ImGui::SetCursorPosX((box.x - side) * 0.5f);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##cloud_drag", ImVec2(side, side));
    if (ImGui::IsItemActive()) {
        const ImVec2 d = ImGui::GetIO().MouseDelta;
        s.cloud_yaw += d.x * 0.01f;
        s.cloud_pitch = std::clamp(s.cloud_pitch + d.y * 0.01f, -1.5f, 1.5f);
    }
    if (s.cloud.texture() != 0) {
        ImGui::GetWindowDrawList()->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(s.cloud.texture())),
                                             at, ImVec2(at.x + side, at.y + side), ImVec2(0, 1), ImVec2(1, 0));
    }
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("drag to turn: %zu pixels, centroids large, trails over the rounds", s.cloud.points());
    }
    ImGui::EndChild();
}

void hex_of(const uint8_t* rgb, char* out, size_t n)
{
    std::snprintf(out, n, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

int palette_panel(const core::ClusterResult& r)
{
    int hovered = -1;
    ImGui::Text("Palette (%d colours)", r.k);
    const int shown = std::min(r.k, 64);
    for (int c = 0; c < shown; ++c) {
        const uint8_t* p = r.palette.data() + 3 * static_cast<size_t>(c);
        const ImVec4 colour(p[0] / 255.0f, p[1] / 255.0f, p[2] / 255.0f, 1.0f);
        char hex[16];
        hex_of(p, hex, sizeof hex);
        ImGui::PushID(c);
        ImGui::ColorButton("##swatch", colour, ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoBorder,
                           ImVec2(ImGui::GetFontSize() * 2.8f, ImGui::GetFontSize() * 1.4f));
        if (ImGui::IsItemHovered()) {
            hovered = c;
        }
        ImGui::SameLine();
        ImGui::Text("%s  %5.1f %%", hex, r.shares[c] * 100.0);
        ImGui::PopID();
    }
    if (r.k > shown) {
        ImGui::TextDisabled("... and %d more", r.k - shown);
    }
    return hovered;
}

/// One click per sample: the presenter's way back from a dropped photo.
void samples_row(AppState& s)
{
    ImGui::TextUnformatted("Samples:");
    float x = ImGui::GetItemRectSize().x;
    const float right = ImGui::GetContentRegionAvail().x;
    for (const core::Sample& sample : core::kSamples) {
        const float w = ImGui::CalcTextSize(sample.name).x + ImGui::GetStyle().FramePadding.x * 2;
        if (x + w + 8 < right) {
            ImGui::SameLine();
        } else {
            x = 0;
        }
        x += w + ImGui::GetStyle().ItemSpacing.x;
        const bool current = s.sample == sample.name;
        if (current) {
            ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyle().Colors[ImGuiCol_ButtonActive]);
        }
        if (ImGui::SmallButton(sample.name)) {
            open_sample(s, sample.name);
        }
        if (current) {
            ImGui::PopStyleColor();
        }
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("%s\n%s, %s", sample.title, sample.author, sample.licence);
        }
    }
}

/// The link to this result, and what it cannot carry.
void link_row(AppState& s)
{
    static double copied_at = -10.0;
    static bool copied_ok = false;
    if (ImGui::Button("Copy link")) {
        copied_ok = platform::copy_text(platform::link_for(s.link));
        copied_at = ImGui::GetTime();
    }
    ImGui::SameLine();
    if (ImGui::GetTime() - copied_at < 3.0) {
        ImGui::TextDisabled(copied_ok ? "copied" : "could not copy: see the address bar");
    } else if (s.params.kmeans.init == core::Init::given) {
        ImGui::TextDisabled("clicked seeds are not in links");
    } else if (s.image && s.sample.empty()) {
        ImGui::TextDisabled("settings only: your photo");
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("Your photo is never put in a link: the link carries the settings only.");
        }
    } else {
        ImGui::TextDisabled("reproduces this result");
    }
    for (const std::string& note : s.link_notes) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.8f, 0.4f, 1.0f));
        ImGui::TextWrapped("%s", note.c_str());
        ImGui::PopStyleColor();
    }
}

void about_panel(AppState& s)
{
    if (!s.show_about) {
        return;
    }
    ImGui::SetNextWindowSize(ImVec2(520, 0), ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("About kpix", &s.show_about, ImGuiWindowFlags_NoCollapse)) {
        ImGui::TextWrapped("kpix clusters the pixels of a photo with k-means++ (Lloyd's algorithm after "
                           "greedy k-means++ seeding) and shows the result. Everything runs on this "
                           "machine: nothing is uploaded.");
        ImGui::Spacing();
        ImGui::TextUnformatted("Sample photos (from scikit-image's data, Debian's python3-skimage):");
        if (ImGui::BeginTable("samples", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg)) {
            ImGui::TableSetupColumn("photo");
            ImGui::TableSetupColumn("author");
            ImGui::TableSetupColumn("licence");
            ImGui::TableHeadersRow();
            for (const core::Sample& sample : core::kSamples) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::Text("%s (%s)", sample.title, sample.file);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(sample.author);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(sample.licence);
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

void controls_panel(AppState& s)
{
    ImGui::TextUnformatted("kpix");
    ImGui::SameLine();
    ImGui::TextDisabled("k-means++ on your own photo");
    ImGui::SameLine(ImGui::GetContentRegionAvail().x + ImGui::GetCursorPosX() - 50);
    if (ImGui::SmallButton("About")) {
        s.show_about = !s.show_about;
    }
    ImGui::Separator();
    if (platform::can_pick_file()) {
        if (ImGui::Button("Open image...", ImVec2(-1, 0))) {
            platform::pick_file();
        }
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped("Drop or paste a photo anywhere. Nothing is uploaded: it stays on this machine.");
    ImGui::PopStyleColor();
    samples_row(s);
    ImGui::Spacing();

    bool changed = false;
    int k = s.params.kmeans.k;
    ImGui::SetNextItemWidth(-60);
    if (ImGui::SliderInt("k##slider", &k, 2, 64, "k = %d", ImGuiSliderFlags_AlwaysClamp)) {
        changed = true;
    }
    // Sliders keep a handy span (a UI choice); typed values (also ctrl+click on a slider) take
    // the parameter table's whole range.
    auto whole = [](const char* name, int v) {
        const core::ParamSpec& spec = *core::find_param(name);
        return static_cast<int>(std::clamp<int64_t>(v, static_cast<int64_t>(spec.whole_lo),
                                                    static_cast<int64_t>(spec.whole_hi)));
    };
    ImGui::SetNextItemWidth(-60);
    if (ImGui::InputInt("k##input", &k, 1, 8)) {
        k = whole("k", k);
        changed = true;
    }
    s.params.kmeans.k = k;
    ImGui::SetNextItemWidth(-60);
    const uint64_t seed_step = 1;
    if (ImGui::InputScalar("seed", ImGuiDataType_U64, &s.params.kmeans.seed, &seed_step)) {
        changed = true; // every uint64 is in the table's range
    }
    int space = static_cast<int>(s.params.space);
    ImGui::SetNextItemWidth(-60);
    if (ImGui::Combo("space", &space, "RGB (sRGB)\0linear RGB\0CIE Lab\0Oklab\0")) {
        s.params.space = static_cast<core::Space>(space);
        changed = true;
    }
    bool xy_on = s.params.xy > 0.0f;
    if (ImGui::Checkbox("position (RGB+XY)", &xy_on)) {
        toggle_xy(s);
    }
    if (xy_on) {
        float w = s.params.xy;
        ImGui::SetNextItemWidth(-60);
        if (ImGui::SliderFloat("xy", &w, 0.05f, 4.0f, "weight %.2f")) {
            const core::ParamSpec& spec = *core::find_param("xy");
            s.params.xy = std::clamp(w, static_cast<float>(spec.real_lo), static_cast<float>(spec.real_hi));
            s.last_xy = s.params.xy;
            changed = true;
        }
    }
    if (ImGui::TreeNode("more settings")) {
        int init = s.params.kmeans.init == core::Init::random ? 1 : s.params.kmeans.init == core::Init::given ? 2 : 0;
        ImGui::SetNextItemWidth(-60);
        if (ImGui::Combo("init", &init, "k-means++\0random (Forgy)\0click seeds\0")) {
            s.params.kmeans.init = init == 1 ? core::Init::random : init == 2 ? core::Init::given : core::Init::kmeanspp;
            changed = init != 2; // seeds are clicked first, then Run
        }
        if (init == 2) {
            ImGui::TextWrapped("Click the original to place seeds, then Run: k = %zu", s.seeds.size());
            if (ImGui::Button("clear seeds")) {
                s.seeds.clear();
            }
        }
        ImGui::SetNextItemWidth(-60);
        if (ImGui::SliderInt("n_init", &s.params.kmeans.n_init, 1, 20, "%d runs")) {
            s.params.kmeans.n_init = whole("n_init", s.params.kmeans.n_init);
            changed = true;
        }
        ImGui::SetNextItemWidth(-60);
        if (ImGui::SliderInt("rounds", &s.params.kmeans.max_iter, 1, 300, "max %d", ImGuiSliderFlags_Logarithmic)) {
            s.params.kmeans.max_iter = whole("max_iter", s.params.kmeans.max_iter);
            changed = true;
        }
        float tol = static_cast<float>(s.params.kmeans.tol);
        ImGui::SetNextItemWidth(-60);
        if (ImGui::SliderFloat("tol", &tol, 1e-6f, 1e-1f, "%.0e", ImGuiSliderFlags_Logarithmic)) {
            const core::ParamSpec& spec = *core::find_param("tol");
            s.params.kmeans.tol = std::clamp(static_cast<double>(tol), spec.real_lo, spec.real_hi);
            changed = true;
        }
        // Larger photos are clustered on a copy of this size, then every pixel gets its nearest
        // final centroid: interaction stays quick on a 40 MP photo.
        static constexpr size_t kWorkChoices[] = {0, 1'000'000, 2'000'000, 4'000'000, 8'000'000};
        static constexpr const char* kWorkNames[] = {"full image", "1 MP copy", "2 MP copy", "4 MP copy", "8 MP copy"};
        int work = 0;
        for (int i = 0; i < 5; ++i) {
            work = kWorkChoices[i] == s.work_pixels ? i : work;
        }
        ImGui::SetNextItemWidth(-60);
        if (ImGui::Combo("work on", &work, kWorkNames, 5)) {
            s.work_pixels = kWorkChoices[work];
            changed = true;
        }
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("Photos larger than this are clustered on an averaged copy; the final\n"
                              "palette is then applied to every pixel of the full image.");
        }
        ImGui::TreePop();
    }
    const bool busy = s.status == Status::decoding || s.status == Status::running;
    if (ImGui::Button("Run", ImVec2(120, 0)) || (changed && s.image)) {
        if (s.image) {
            run(s);
        }
    }
    ImGui::SameLine();
    if (ImGui::Button("Choose k...", ImVec2(busy ? 100 : -1, 0))) {
        toggle_choose_k(s);
    }
    if (busy) {
        ImGui::SameLine();
        if (ImGui::Button("Cancel", ImVec2(-1, 0))) {
            s.runner->cancel();
            s.job_id = 0;
            s.status = s.result ? Status::done : Status::empty;
            s.message = "Cancelled: press Run to cluster again.";
        }
        const core::Progress& p = s.runner->progress();
        char label[64];
        if (s.status == Status::decoding) {
            std::snprintf(label, sizeof label, "decoding...");
        } else {
            std::snprintf(label, sizeof label, "round %d", p.round.load());
        }
        ImGui::ProgressBar(s.status == Status::decoding ? 0.0f : p.fraction.load(), ImVec2(-1, 0),
                           label);
    }
    if (!s.message.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
        ImGui::TextWrapped("%s", s.message.c_str());
        ImGui::PopStyleColor();
    }
    link_row(s);
    export_section(s);
    ImGui::Separator();
    if (s.image) {
        ImGui::Text("%s", s.image_name.empty() ? "(image)" : s.image_name.c_str());
        ImGui::Text("%d x %d  (%.2f MP)", s.image->width, s.image->height, s.image->pixels() / 1e6);
        if (!s.orientation_applied.empty()) {
            ImGui::TextWrapped("Turned upright: %s (EXIF)", s.orientation_applied.c_str());
        }
        if (!s.icc_profile.empty()) {
            ImGui::TextWrapped("Colour profile: %s (converted to sRGB)", s.icc_profile.c_str());
        }
        if (!s.decode_note.empty()) {
            ImGui::TextWrapped("Note: %s", s.decode_note.c_str());
        }
    }
    if (s.result) {
        const core::ClusterResult& r = *s.result;
        if (r.distinct_colours > 0) {
            ImGui::Text("%zu distinct colours", r.distinct_colours);
        }
        ImGui::Text("%d rounds%s", r.iterations, r.converged ? ", converged" : " (max reached)");
        ImGui::Text("inertia %.4g", r.inertia);
        ImGui::Text("%.3f s on %d thread%s", r.seconds, s.runner->threads(), s.runner->threads() == 1 ? "" : "s");
        if (!r.note.empty()) {
            ImGui::TextWrapped("Note: %s", r.note.c_str());
        }
        ImGui::Separator();
        s.hover_label = palette_panel(r);
    }
}

/// The row above the images: layout, zoom, compare.
void view_row(AppState& s)
{
    int layout = s.view.split ? 1 : 0;
    ImGui::RadioButton("side by side", &layout, 0);
    ImGui::SameLine();
    ImGui::RadioButton("split", &layout, 1);
    s.view.split = layout == 1;
    ImGui::SameLine();
    if (ImGui::SmallButton("fit")) {
        fit(s.view);
    }
    ImGui::SameLine();
    ImGui::TextDisabled("zoom %.2gx", s.view.zoom);
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("wheel zooms around the cursor, drag pans, double-click fits");
    }
    ImGui::SameLine(0, ImGui::GetFontSize() * 2);
    bool compare = s.compare;
    if (ImGui::Checkbox("compare RGB | RGB+XY", &compare)) {
        toggle_compare(s);
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

void images_panel(AppState& s)
{
    view_row(s);
    ImVec2 avail = ImGui::GetContentRegionAvail();
    if (s.result) {
        avail.y -= ImGui::GetFrameHeightWithSpacing() * 3 + ImGui::GetFontSize() * 4.5f;
    }
    if (!s.original.valid()) {
        const char* hint = s.status == Status::decoding ? "Decoding..." : "Drop a photo here";
        const ImVec2 size = ImGui::CalcTextSize(hint);
        ImGui::SetCursorPos(ImVec2((avail.x - size.x) * 0.5f, (avail.y - size.y) * 0.5f));
        ImGui::TextDisabled("%s", hint);
        return;
    }
    const float gap = 8.0f;
    const float label_h = ImGui::GetTextLineHeightWithSpacing();
    const bool wide = avail.x >= avail.y;
    const bool with_cloud = s.cloud.points() > 0;
    const float panes = with_cloud ? 3.0f : 2.0f;
    const ImVec2 box = wide ? ImVec2((avail.x - gap * (panes - 1)) / panes, avail.y - label_h)
                            : ImVec2(avail.x, (avail.y - gap * (panes - 1)) / panes - label_h);
    const int w = s.original.width();
    const int h = s.original.height();
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
            area = image_area(id, s.view, size, w, h, left, right);
            over(area);
        }
        ImGui::EndChild();
        return area;
    };
    const unsigned segmented = s.segment.texture() != 0 ? s.segment.texture()
                               : s.clustered.valid()     ? s.clustered.id()
                                                         : 0;
    char label[128];
    if (s.result) {
        std::snprintf(label, sizeof label, "%s, k = %d%s", core::init_name(s.result_params.kmeans.init),
                      s.result->k, s.result_params.xy > 0.0f ? ", RGB+XY" : "");
    } else {
        std::snprintf(label, sizeof label, "clustering...");
    }
    if (s.compare && s.result) {
        // RGB on the left, RGB+XY on the right, whichever of them the main run was.
        char main_label[128];
        char other_label[128];
        compare_label(s.result.get(), s.result_params, main_label, sizeof main_label);
        core::ClusterParams other = s.result_params;
        other.xy = s.result_params.xy > 0.0f ? 0.0f : 1.0f;
        compare_label(s.compare_result.get(), s.compare_result ? s.compare_params : other, other_label,
                      sizeof other_label);
        const unsigned other_tex = s.compare_result ? s.compare_image.id() : 0;
        const bool main_left = s.result_params.xy <= 0.0f;
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
    } else if (s.view.split) {
        const ImVec2 both = wide ? ImVec2(box.x * 2 + gap, box.y) : ImVec2(box.x, box.y * 2 + gap + label_h);
        char split_label[160];
        std::snprintf(split_label, sizeof split_label, "Original  |  %s", label);
        s.original_area = pane("split", split_label, both, s.original.id(), segmented,
                               [&](const ImageArea& area) {
                                   add_seed(s, area);
                                   seed_markers(s, area);
                               });
    } else {
        s.original_area = pane("original", "Original", box, s.original.id(), 0,
                               [&](const ImageArea& area) {
                                   add_seed(s, area);
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
    if (s.result) {
        ImGui::BeginChild("timeline", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar);
        timeline_panel(s);
        ImGui::EndChild();
    }
}

/// The palette (sRGB) of recorded centroid set i.
std::vector<uint8_t> history_palette(const AppState& s, int i)
{
    const core::ClusterResult& r = *s.result;
    std::vector<uint8_t> rgb(static_cast<size_t>(r.k) * 3);
    const size_t kd = static_cast<size_t>(r.k) * r.d;
    for (int c = 0; c < r.k; ++c) {
        core::centroid_srgb(r.history_centroids.data() + i * kd + static_cast<size_t>(c) * r.d,
                            s.result_params, rgb.data() + 3 * static_cast<size_t>(c));
    }
    return rgb;
}

/// Advances playback and brings the GPU view to the current position (labels when they are
/// ready: the replay waits for them rather than skipping rounds).
void update_replay(AppState& s, double dt)
{
    if (!s.result || !s.segment_ok) {
        return;
    }
    const int last = last_position(s);
    int pos = current_position(s);
    const int want_labels = pos / 2;
    const int want_palette = (pos + 1) / 2;
    if (want_labels != s.shown_labels) {
        if (auto labels = s.labeler->labels(want_labels)) {
            s.segment.set_labels(*labels, s.view_width, s.view_height);
            s.cloud.set_labels(*labels);
            s.shown_labels = want_labels;
        }
    }
    if (want_palette != s.shown_palette && s.shown_labels >= 0) {
        const std::vector<uint8_t> palette = history_palette(s, want_palette);
        s.segment.set_palette(palette, s.result->k);
        s.cloud.set_palette(palette, s.result->k);
        s.cloud.set_centroids(s.result->history_centroids, s.result->k, s.result->d, want_palette);
        s.shown_palette = want_palette;
    }
    if (s.timeline.playing) {
        const bool ready = s.shown_labels == want_labels && s.shown_palette == want_palette;
        if (ready) {
            s.timeline.accumulated += dt * s.timeline.speed;
        }
        if (ready && s.timeline.accumulated >= 1.0) {
            s.timeline.accumulated = 0.0;
            if (pos >= last) {
                s.timeline.playing = false;
            } else {
                s.timeline.position = pos + 1;
            }
        }
    }
    s.segment.set_highlight(s.hover_label);
    s.segment.set_boundaries(s.boundaries);
    s.segment.render();
    s.cloud.set_highlight(s.hover_label);
    s.cloud.set_view(s.cloud_yaw, s.cloud_pitch, s.cloud_by_cluster);
    s.cloud.render(s.cloud_size);
}

void toggle_play(AppState& s)
{
    if (!s.result) {
        return;
    }
    if (!s.timeline.playing && current_position(s) >= last_position(s)) {
        s.timeline.position = 0; // play from the start when at the end
    }
    s.timeline.playing = !s.timeline.playing;
    s.timeline.accumulated = 0.0;
}

void step(AppState& s, int delta)
{
    s.timeline.playing = false;
    set_position(s, current_position(s) + delta);
}

void set_k(AppState& s, int k)
{
    k = std::clamp(k, 1, kUiMaxK);
    if (k != s.params.kmeans.k) {
        s.params.kmeans.k = k;
        run(s);
    }
}

/// Compare mode's second run: the finished run's parameters with position switched over.
void start_compare(AppState& s)
{
    if (!s.result || !s.image) {
        return;
    }
    Job job;
    job.image = s.image;
    job.name = s.image_name;
    job.params = s.result_params;
    job.params.xy = s.result_params.xy > 0.0f ? 0.0f : (s.last_xy > 0.0f ? s.last_xy : 1.0f);
    job.work_pixels = s.work_pixels;
    s.compare_result.reset();
    s.compare_job_id = s.runner->submit(std::move(job));
}

void toggle_compare(AppState& s)
{
    s.compare = !s.compare;
    s.compare_result.reset();
    s.compare_job_id = 0;
    if (s.compare && s.result && s.status == Status::done) {
        start_compare(s);
    }
}

void toggle_xy(AppState& s)
{
    if (s.params.xy > 0.0f) {
        s.last_xy = s.params.xy;
        s.params.xy = 0.0f;
    } else {
        s.params.xy = s.last_xy > 0.0f ? s.last_xy : 1.0f;
    }
    run(s);
}

void keyboard(AppState& s)
{
    std::vector<std::pair<int, int>> keys;
    keys.swap(s.pending_keys);
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) {
        return;
    }
    for (const auto& [scancode, mod] : keys) {
        if (mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI)) {
            continue;
        }
        switch (scancode) {
        case SDL_SCANCODE_SPACE: toggle_play(s); break;
        case SDL_SCANCODE_RIGHT: step(s, 1); break;
        case SDL_SCANCODE_LEFT: step(s, -1); break;
        case SDL_SCANCODE_HOME: step(s, -1000000); break;
        case SDL_SCANCODE_END: step(s, 1000000); break;
        case SDL_SCANCODE_R:
            s.params.kmeans.seed += 1;
            run(s);
            break;
        case SDL_SCANCODE_KP_PLUS:
        case SDL_SCANCODE_EQUALS: set_k(s, s.params.kmeans.k + 1); break;
        case SDL_SCANCODE_KP_MINUS:
        case SDL_SCANCODE_MINUS: set_k(s, s.params.kmeans.k - 1); break;
        case SDL_SCANCODE_X: toggle_xy(s); break;
        case SDL_SCANCODE_B: s.boundaries = !s.boundaries; break;
        case SDL_SCANCODE_K: toggle_choose_k(s); break;
        case SDL_SCANCODE_S: s.view.split = !s.view.split; break;
        case SDL_SCANCODE_C: toggle_compare(s); break;
        case SDL_SCANCODE_0:
        case SDL_SCANCODE_KP_0: fit(s.view); break;
        case SDL_SCANCODE_P: s.presenter = !s.presenter; break;
        case SDL_SCANCODE_SLASH:
            if (mod & KMOD_SHIFT) {
                s.show_help = !s.show_help;
            }
            break;
        case SDL_SCANCODE_F: {
            const bool full = (SDL_GetWindowFlags(s.window) & SDL_WINDOW_FULLSCREEN_DESKTOP) != 0;
            SDL_SetWindowFullscreen(s.window, full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
            break;
        }
        case SDL_SCANCODE_ESCAPE: s.show_help = false; break;
        default: break;
        }
    }
}

void help_overlay(AppState& s)
{
    if (!s.show_help) {
        return;
    }
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("Keyboard", &s.show_help,
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse)) {
        const char* keys[][2] = {
            {"space", "play / pause the rounds"},
            {"right / left", "step one half-round (assign, update)"},
            {"home / end", "first / last round"},
            {"r", "re-run with a new seed"},
            {"+ / -", "one cluster more / fewer"},
            {"x", "toggle colour only (RGB) / colour + position (RGB+XY)"},
            {"b", "region boundaries"},
            {"k", "choose k: elbow, silhouette, gap, the k-grid, init comparison"},
            {"s", "split (before | after) / side by side"},
            {"c", "compare RGB and RGB+XY, same k and seed"},
            {"wheel / drag", "zoom / pan the images"},
            {"0 / double-click", "fit the whole image"},
            {"shift+click", "place a seed on the original (init: click seeds)"},
            {"f", "fullscreen"},
            {"p", "presenter mode (large type)"},
            {"?", "this help"},
        };
        if (ImGui::BeginTable("keys", 2)) {
            for (const auto& k : keys) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(k[0]);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(k[1]);
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

/// Play controls, the scrubber, what the current half-step is, and inertia per round.
void timeline_panel(AppState& s)
{
    const core::ClusterResult& r = *s.result;
    const int last = last_position(s);
    const int pos = current_position(s);
    const float button = ImGui::GetFrameHeight() * 1.6f;
    if (ImGui::Button("|<", ImVec2(button, 0))) step(s, -1000000);
    ImGui::SameLine();
    if (ImGui::Button("<", ImVec2(button, 0))) step(s, -1);
    ImGui::SameLine();
    if (ImGui::Button(s.timeline.playing ? "pause" : "play", ImVec2(button * 1.8f, 0))) toggle_play(s);
    ImGui::SameLine();
    if (ImGui::Button(">", ImVec2(button, 0))) step(s, 1);
    ImGui::SameLine();
    if (ImGui::Button(">|", ImVec2(button, 0))) step(s, 1000000);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    ImGui::SliderFloat("##speed", &s.timeline.speed, 0.25f, 20.0f, "%.2g steps/s", ImGuiSliderFlags_Logarithmic);
    ImGui::SameLine();
    ImGui::Checkbox("boundaries", &s.boundaries);
    int scrub = pos;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderInt("##scrub", &scrub, 0, last, "")) {
        s.timeline.playing = false;
        set_position(s, scrub);
    }
    char what[160];
    if (pos >= last) {
        std::snprintf(what, sizeof what, "Final: %d rounds%s, inertia %.4g", r.iterations,
                      r.converged ? ", converged" : " (max rounds reached)", r.inertia);
    } else {
        const int round = pos / 2 + 1;
        const core::Round& info = r.rounds[static_cast<size_t>(round - 1)];
        if (pos % 2 == 0) {
            std::snprintf(what, sizeof what,
                          "Round %d of %d - assign: pixels take the colour of their nearest centroid "
                          "(%.0f changed, inertia %.4g)",
                          round, r.iterations, info.changed, info.inertia);
        } else {
            std::snprintf(what, sizeof what,
                          "Round %d of %d - update: centroids move to the mean of their pixels", round,
                          r.iterations);
        }
    }
    ImGui::TextUnformatted(what);
    // Inertia per round, current round marked.
    if (!r.rounds.empty()) {
        std::vector<float> inertia;
        for (const core::Round& round : r.rounds) {
            inertia.push_back(static_cast<float>(round.inertia));
        }
        const ImVec2 size(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 4.0f);
        ImGui::PlotLines("##inertia", inertia.data(), static_cast<int>(inertia.size()), 0,
                         "inertia per round", FLT_MAX, FLT_MAX, size);
        const ImVec2 lo = ImGui::GetItemRectMin();
        const ImVec2 hi = ImGui::GetItemRectMax();
        const int round = std::min(pos / 2, static_cast<int>(inertia.size()) - 1);
        const float t = inertia.size() > 1 ? static_cast<float>(round) / (inertia.size() - 1) : 0.0f;
        const float x = lo.x + 4 + t * (hi.x - lo.x - 8);
        ImGui::GetWindowDrawList()->AddLine(ImVec2(x, lo.y), ImVec2(x, hi.y), IM_COL32(255, 200, 80, 255), 2.0f);
    }
}

/// Presenter mode's chrome: what the room needs to read, and a large step button.
void presenter_bar(AppState& s)
{
    const float big = ImGui::GetFrameHeight() * 1.5f;
    if (ImGui::Button("<  back", ImVec2(big * 3, big))) step(s, -1);
    ImGui::SameLine();
    if (ImGui::Button("step  >", ImVec2(big * 4, big))) step(s, 1);
    ImGui::SameLine();
    if (!s.result) {
        ImGui::TextUnformatted(s.status == Status::running ? "clustering..." : "drop a photo");
    } else {
        const core::ClusterResult& r = *s.result;
        const int pos = current_position(s);
        const int last = last_position(s);
        const int round = std::min(pos / 2 + 1, r.iterations);
        const double ms = r.rounds.empty() ? 0.0 : r.rounds[static_cast<size_t>(round - 1)].seconds * 1000.0;
        const double inertia = pos >= last ? r.inertia : r.rounds[static_cast<size_t>(round - 1)].inertia;
        ImGui::BeginGroup();
        ImGui::Text("k = %d   round %d / %d   %s", r.k, round, r.iterations,
                    pos >= last ? "final" : pos % 2 == 0 ? "assign" : "update");
        ImGui::Text("inertia %.4g   %.1f ms this round", inertia, ms);
        ImGui::EndGroup();
    }
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize("p: leave presenter").x);
    ImGui::TextDisabled("p: leave presenter");
    ImGui::Separator();
}

void draw_ui(AppState& s)
{
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
        ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
        ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground;
    // NOTE: no background quad: the frame's clear paints it. With software WebGL (SwiftShader in
    // headless Chromium) that one blended full-window quad took a frame from 16.7 to 33.3 ms.
    ImGui::Begin("kpix", nullptr, flags);
    if (s.presenter) {
        presenter_bar(s);
    } else {
        ImGui::BeginChild("controls", ImVec2(kPanelWidth, 0), true);
        controls_panel(s);
        ImGui::EndChild();
        ImGui::SameLine();
    }
    ImGui::BeginChild("images", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar);
    images_panel(s);
    ImGui::EndChild();
    ImGui::End();
    about_panel(s);
    choose_k_window(s);
    files_panel(s);
    help_overlay(s);
}

/// Keeps the address bar's fragment in step with the parameters and the sample shown.
void update_link(AppState& s)
{
    core::LinkState link;
    link.params = s.params;
    link.sample = s.status == Status::decoding ? s.opening_sample : s.sample;
    const std::string fragment = core::format_link(link);
    if (fragment != s.link) {
        s.link = fragment;
        platform::set_link(fragment);
    }
}

} // namespace

const char* status_name(Status status)
{
    switch (status) {
    case Status::empty: return "empty";
    case Status::decoding: return "decoding";
    case Status::running: return "running";
    case Status::done: return "done";
    case Status::error: return "error";
    }
    return "error";
}

void init(AppState& s, SDL_Window* window, void* gl_context)
{
    s.window = window;
    s.gl_context = gl_context;
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    ImGui::StyleColorsDark();
    ImGui::GetStyle().WindowRounding = 0.0f;
    ImGui_ImplSDL2_InitForOpenGL(window, gl_context);
    std::string error;
    if (!s.imgui.init(error)) {
        std::fprintf(stderr, "kpix: the UI cannot be drawn: %s\n", error.c_str());
    }
    s.runner = std::make_unique<Runner>();
    s.choose_k = std::make_unique<ChooseK>(s.runner->pool());
    s.labeler = std::make_unique<RoundLabeler>();
    s.segment_ok = s.segment.init(error);
    s.cloud_ok = s.segment_ok && s.cloud.init(error);
    if (!s.segment_ok) {
        s.message = "The GPU view is unavailable (" + error + "); showing results without the replay.";
    }
}

void shutdown(AppState& s)
{
    s.choose_k.reset();
    s.runner.reset();
    s.labeler.reset();
    s.segment.clear();
    s.cloud.clear();
    s.original.reset();
    s.clustered.reset();
    s.compare_image.reset();
    s.imgui.shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
}

namespace {

/// Queues a new photo's job (bytes or pixels) with the current parameters.
void submit_open(AppState& s, Job job)
{
    job.params = s.params;
    job.work_pixels = s.work_pixels;
    if (job.params.kmeans.init == core::Init::given) {
        // A new photo has no seeds yet: it opens with k-means++ until seeds are clicked.
        job.params.kmeans.init = core::Init::kmeanspp;
    }
    s.message.clear();
    s.status = Status::decoding;
    s.job_id = s.runner->submit(std::move(job));
}

} // namespace

void open_bytes(AppState& s, std::vector<uint8_t> bytes, const std::string& name,
                const std::string& sample)
{
    s.opening_sample = sample;
    if (sample.empty()) {
        s.link_notes.clear();
    }
    Job job;
    job.bytes = std::move(bytes);
    job.name = name;
    submit_open(s, std::move(job));
}

void open_pixels(AppState& s, core::Image image, const std::string& name)
{
    s.opening_sample.clear();
    s.link_notes.clear();
    Job job;
    job.pixels = std::make_shared<core::Image>(std::move(image));
    job.name = name;
    submit_open(s, std::move(job));
}

void open_path(AppState& s, const std::string& path, const std::string& sample)
{
    std::vector<uint8_t> bytes;
    std::string error;
    if (!core::read_file(path, bytes, error)) {
        s.status = Status::error;
        s.message = error;
        return;
    }
    const size_t slash = path.find_last_of('/');
    open_bytes(s, std::move(bytes), slash == std::string::npos ? path : path.substr(slash + 1), sample);
}

void open_sample(AppState& s, const std::string& name)
{
    const core::Sample* sample = core::find_sample(name);
    if (!sample) {
        return;
    }
    // Whatever runs now is superseded; the hook and the link show the sample as coming.
    s.runner->cancel();
    s.job_id = 0;
    s.opening_sample = sample->name;
    s.status = Status::decoding;
    s.message.clear();
    platform::request_sample(s, *sample);
}

void apply_link(AppState& s, const std::string& fragment, bool load_sample)
{
    core::LinkState defaults;
    const core::ParsedLink parsed = core::parse_link(fragment, defaults);
    s.params = parsed.state.params;
    s.link_notes = parsed.notes;
    if (!load_sample) {
        return;
    }
    if (!parsed.state.sample.empty() && parsed.state.sample != s.sample) {
        open_sample(s, parsed.state.sample);
    } else if (!s.image) {
        open_sample(s, core::kDefaultSample);
    } else {
        run(s);
    }
}

void run(AppState& s)
{
    if (!s.image) {
        return;
    }
    Job job;
    job.image = s.image;
    job.name = s.image_name;
    job.params = s.params;
    job.work_pixels = s.work_pixels;
    if (s.params.kmeans.init == core::Init::given) {
        if (s.seeds.empty()) {
            s.message = "Click the original to place seeds, then Run.";
            return;
        }
        // The clicked pixels' features in the working space are the starting centroids.
        core::KMeansParams& km = job.params.kmeans;
        const int d = core::feature_dimension(job.params);
        km.k = static_cast<int>(s.seeds.size());
        km.given_centroids.clear();
        std::vector<float> f;
        for (const auto& [x, y] : s.seeds) {
            const size_t i = static_cast<size_t>(y) * s.image->width + static_cast<size_t>(x);
            core::pixel_features(*s.image, job.params, i, i + 1, d, f);
            km.given_centroids.insert(km.given_centroids.end(), f.begin(), f.end());
        }
        s.params.kmeans.k = km.k;
    }
    s.message.clear();
    s.status = Status::running;
    s.compare_result.reset();
    s.compare_job_id = 0;
    s.job_id = s.runner->submit(std::move(job));
}

std::string stats_json(const AppState& s)
{
    core::Json j;
    j["status"] = status_name(s.status);
    j["message"] = s.message;
    j["sample"] = s.sample;
    j["link"] = s.link;
    j["notes"] = s.link_notes;
    if (s.status != Status::done || !s.result) {
        return core::json_text(j);
    }
    const int pos = current_position(s);
    const int last = last_position(s);
    j["position"] = pos;
    j["last_position"] = last;
    j["round"] = std::min(pos / 2 + 1, s.result->iterations);
    j["phase"] = pos >= last ? "final" : pos % 2 == 0 ? "assign" : "update";
    j["playing"] = s.timeline.playing;
    j["shown"] = s.shown_labels == pos / 2 && s.shown_palette == (pos + 1) / 2;
    j["presenter"] = s.presenter;
    j["boundaries"] = s.boundaries;
    j["cloud_points"] = s.cloud.points();
    j["cloud_yaw"] = core::json_value(s.cloud_yaw);
    const ImageArea& a = s.original_area;
    core::Json view;
    view["split"] = s.view.split;
    view["divider"] = core::json_value(s.view.divider);
    view["zoom"] = core::json_value(s.view.zoom);
    view["cx"] = core::json_value(s.view.cx);
    view["cy"] = core::json_value(s.view.cy);
    view["rect"] = {core::json_value(a.lo.x), core::json_value(a.lo.y), core::json_value(a.hi.x),
                    core::json_value(a.hi.y)};
    j["view"] = std::move(view);
    j["seeds"] = s.seeds.size();
    j["work_pixels"] = s.work_pixels;
    if (s.compare && s.compare_result) {
        const bool main_rgb = s.result_params.xy <= 0.0f;
        const core::ClusterResult& rgb = main_rgb ? *s.result : *s.compare_result;
        const core::ClusterResult& xy = main_rgb ? *s.compare_result : *s.result;
        j["compare"] = {{"rgb", {{"inertia", core::json_value(rgb.inertia)}, {"rounds", rgb.iterations}}},
                        {"rgbxy", {{"inertia", core::json_value(xy.inertia)}, {"rounds", xy.iterations}}}};
    } else {
        j["compare"] = s.compare ? core::Json("running") : core::Json(nullptr);
    }
    core::RunInfo info;
    info.source = s.image_name;
    info.threads = s.runner->threads();
    info.seconds_decode = s.seconds_decode;
    info.orientation = s.orientation;
    info.icc_profile = s.icc_profile;
    // The page's own keys first, then the stats JSON's vocabulary.
    j.update(core::stats_json(s.result_params, *s.result, info));
    return core::json_text(j);
}

int last_position(const AppState& s)
{
    return s.result ? 2 * s.result->iterations : 0;
}

int current_position(const AppState& s)
{
    const int last = last_position(s);
    return s.timeline.position < 0 || s.timeline.position > last ? last : s.timeline.position;
}

void set_position(AppState& s, int position)
{
    s.timeline.position = std::clamp(position, 0, last_position(s));
}

namespace {

/// Fonts rasterised at the size in use (presenter mode doubles it), so type stays crisp.
void apply_font_size(AppState& s)
{
    const float want = s.presenter ? kPresenterFontSize : kFontSize;
    if (want == s.font_size) {
        return;
    }
    s.font_size = want;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig config;
    config.SizePixels = want;
    config.OversampleH = 1;
    config.PixelSnapH = true;
    io.Fonts->AddFontDefault(&config);
    s.imgui.rebuild_fonts();
    ImGuiStyle style;
    ImGui::StyleColorsDark(&style);
    style.WindowRounding = 0.0f;
    style.ScaleAllSizes(want / kFontSize);
    ImGui::GetStyle() = style;
}

} // namespace

void frame(AppState& s)
{
    SDL_Event event;
    while (SDL_PollEvent(&event)) {
        ImGui_ImplSDL2_ProcessEvent(&event);
        if (event.type == SDL_QUIT) {
            s.quit = true;
        } else if (event.type == SDL_KEYDOWN) {
            s.pending_keys.emplace_back(event.key.keysym.scancode, event.key.keysym.mod);
        } else if (event.type == SDL_DROPFILE) {
            open_path(s, event.drop.file);
            SDL_free(event.drop.file);
        }
    }
    collect_outputs(s);
    update_link(s);
    const double now = SDL_GetTicks() / 1000.0;
    update_replay(s, s.last_frame_time > 0.0 ? now - s.last_frame_time : 0.0);
    s.last_frame_time = now;
    apply_font_size(s);

    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    keyboard(s);
    draw_ui(s);
    ImGui::Render();

    const ImGuiIO& io = ImGui::GetIO();
    glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
               static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
    // The full-window panel's background colour (it draws none of its own).
    const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    s.imgui.render(ImGui::GetDrawData());
    if (s.after_render) {
        s.after_render();
    }
    SDL_GL_SwapWindow(s.window);
}

} // namespace app
