// The left panel's controls, the timeline under the images, presenter mode's bar and the About
// window. They edit the document through its functions and the view's plain fields.
#include "panels.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include <imgui.h>

#include "app.h"
#include "core/params.h"
#include "core/samples.h"
#include "exports.h"
#include "keys.h"
#include "palette_panel.h"
#include "platform_api.h"
#include "plot.h"

namespace app {
namespace {

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
        const bool current = s.doc.sample == sample.name;
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
        copied_ok = platform::copy_text(platform::link_for(s.doc.link));
        copied_at = ImGui::GetTime();
    }
    const bool just_copied = ImGui::GetTime() - copied_at < 3.0;
    const bool own_photo = s.doc.image && s.doc.sample.empty();
    const char* said = just_copied ? (copied_ok ? "copied" : "could not copy: see the address bar")
                       : own_photo ? "settings only: your photo"
                                   : "reproduces this result";
    same_line_if_fits(ImGui::CalcTextSize(said).x);
    ImGui::TextDisabled("%s", said);
    if (!just_copied && own_photo && ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Your photo is never put in a link: the link carries the settings only.");
    }
    for (const std::string& note : s.doc.link_notes) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.8f, 0.4f, 1.0f));
        ImGui::TextWrapped("%s", note.c_str());
        ImGui::PopStyleColor();
    }
}

} // namespace

void about_panel(AppState& s)
{
    if (!s.view.show_about) {
        return;
    }
    ImGui::SetNextWindowSize(ImVec2(520, 0), ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("About kpix", &s.view.show_about, ImGuiWindowFlags_NoCollapse)) {
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
    const char* tagline = "k-means++ on your own photo";
    const float about_w = ImGui::CalcTextSize("About").x + ImGui::GetStyle().FramePadding.x * 2;
    const float right = ImGui::GetWindowContentRegionMax().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    if (ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + spacing * 2 + ImGui::CalcTextSize(tagline).x + about_w <= right) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tagline);
    }
    ImGui::SameLine(right - about_w);
    if (ImGui::SmallButton("About")) {
        s.view.show_about = !s.view.show_about;
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
    int k = s.doc.params.kmeans.k;
    ImGui::SetNextItemWidth(-60);
    // On a log scale, so k = 2..16 keep their room beside k up to the table's 4096.
    if (ImGui::SliderInt("k##slider", &k, 2, kUiMaxK, "k = %d",
                         ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic)) {
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
    s.doc.params.kmeans.k = k;
    ImGui::SetNextItemWidth(-60);
    const uint64_t seed_step = 1;
    if (ImGui::InputScalar("seed", ImGuiDataType_U64, &s.doc.params.kmeans.seed, &seed_step)) {
        changed = true; // every uint64 is in the table's range
    }
    int space = static_cast<int>(s.doc.params.space);
    ImGui::SetNextItemWidth(-60);
    if (ImGui::Combo("space", &space, "RGB (sRGB)\0linear RGB\0CIE Lab\0Oklab\0")) {
        s.doc.params.space = static_cast<core::Space>(space);
        changed = true;
    }
    bool xy_on = s.doc.params.xy > 0.0f;
    if (ImGui::Checkbox("position (RGB+XY)", &xy_on)) {
        toggle_xy(s.doc);
    }
    if (xy_on) {
        float w = s.doc.params.xy;
        ImGui::SetNextItemWidth(-60);
        if (ImGui::SliderFloat("xy", &w, 0.05f, 4.0f, "weight %.2f")) {
            const core::ParamSpec& spec = *core::find_param("xy");
            s.doc.params.xy = std::clamp(w, static_cast<float>(spec.real_lo), static_cast<float>(spec.real_hi));
            s.doc.last_xy = s.doc.params.xy;
            changed = true;
        }
    }
    if (ImGui::TreeNode("more settings")) {
        // In the combo's order; grid is SLIC's lattice (position runs; colour only uses k-means++).
        static constexpr core::Init kInits[] = {core::Init::kmeanspp, core::Init::random, core::Init::given,
                                                core::Init::grid};
        int init = static_cast<int>(std::find(std::begin(kInits), std::end(kInits), s.doc.params.kmeans.init) -
                                    std::begin(kInits));
        ImGui::SetNextItemWidth(-60);
        if (ImGui::Combo("init", &init, "k-means++\0random (Forgy)\0click seeds\0grid (SLIC lattice)\0")) {
            s.doc.params.kmeans.init = kInits[init];
            changed = init != 2; // seeds are clicked first, then Run
        }
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("grid: k centres on a regular lattice over the photo, each moved to the\n"
                              "flattest pixel of its 3 x 3 (SLIC's seeding); needs position (RGB+XY)");
        }
        if (init == 2) {
            ImGui::TextWrapped("Click the original to place seeds, then Run: k = %zu", s.doc.params.seeds.size());
            if (ImGui::Button("clear seeds")) {
                s.doc.params.seeds.clear();
            }
        }
        ImGui::SetNextItemWidth(-60);
        if (ImGui::SliderInt("n_init", &s.doc.params.kmeans.n_init, 1, 20, "%d runs")) {
            s.doc.params.kmeans.n_init = whole("n_init", s.doc.params.kmeans.n_init);
            changed = true;
        }
        ImGui::SetNextItemWidth(-60);
        if (ImGui::SliderInt("rounds", &s.doc.params.kmeans.max_iter, 1, 300, "max %d", ImGuiSliderFlags_Logarithmic)) {
            s.doc.params.kmeans.max_iter = whole("max_iter", s.doc.params.kmeans.max_iter);
            changed = true;
        }
        float tol = static_cast<float>(s.doc.params.kmeans.tol);
        ImGui::SetNextItemWidth(-60);
        if (ImGui::SliderFloat("tol", &tol, 1e-6f, 1e-1f, "%.0e", ImGuiSliderFlags_Logarithmic)) {
            const core::ParamSpec& spec = *core::find_param("tol");
            s.doc.params.kmeans.tol = std::clamp(static_cast<double>(tol), spec.real_lo, spec.real_hi);
            changed = true;
        }
        // Larger photos are clustered on a copy of this size, then every pixel gets its nearest
        // final centroid: interaction stays quick on a 40 MP photo.
        static constexpr size_t kWorkChoices[] = {0, 1'000'000, 2'000'000, 4'000'000, 8'000'000};
        static constexpr const char* kWorkNames[] = {"full image", "1 MP copy", "2 MP copy", "4 MP copy", "8 MP copy"};
        int work = 0;
        for (int i = 0; i < 5; ++i) {
            work = kWorkChoices[i] == s.doc.params.work_pixels ? i : work;
        }
        ImGui::SetNextItemWidth(-60);
        if (ImGui::Combo("work on", &work, kWorkNames, 5)) {
            s.doc.params.work_pixels = kWorkChoices[work];
            changed = true;
        }
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("Photos larger than this are clustered on an averaged copy; the final\n"
                              "palette is then applied to every pixel of the full image.");
        }
        ImGui::TreePop();
    }
    const bool busy = s.doc.status == Status::decoding || s.doc.status == Status::running;
    if (ImGui::Button("Run", ImVec2(120, 0)) || (changed && s.doc.image)) {
        if (s.doc.image) {
            run(s.doc);
        }
    }
    ImGui::SameLine();
    if (ImGui::Button("Choose k...", ImVec2(busy ? 100 : -1, 0))) {
        toggle_choose_k(s);
    }
    if (busy) {
        ImGui::SameLine();
        if (ImGui::Button("Cancel", ImVec2(-1, 0))) {
            cancel(s.doc);
        }
        const core::Progress& p = s.doc.runner->progress();
        char label[64];
        if (s.doc.status == Status::decoding) {
            std::snprintf(label, sizeof label, "decoding...");
        } else if (first_result_shown(s.doc)) {
            // The first result is of a working copy; this is the full size on its way.
            std::snprintf(label, sizeof label, "full size: round %d", p.round.load());
        } else {
            std::snprintf(label, sizeof label, "round %d", p.round.load());
        }
        ImGui::ProgressBar(s.doc.status == Status::decoding ? 0.0f : p.fraction.load(), ImVec2(-1, 0),
                           label);
    }
    if (!s.doc.message.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
        ImGui::TextWrapped("%s", s.doc.message.c_str());
        ImGui::PopStyleColor();
    }
    link_row(s);
    export_section(s);
    ImGui::Separator();
    if (s.doc.image) {
        ImGui::Text("%s", s.doc.image_name.empty() ? "(image)" : s.doc.image_name.c_str());
        ImGui::Text("%d x %d  (%.2f MP)", s.doc.image->width, s.doc.image->height, s.doc.image->pixels() / 1e6);
        if (first_result_shown(s.doc)) {
            ImGui::TextWrapped("A working copy: the full %d x %d follows", s.doc.full_width, s.doc.full_height);
        }
        if (!s.doc.decode_notes.orientation_applied.empty()) {
            ImGui::TextWrapped("Turned upright: %s, as the file says", s.doc.decode_notes.orientation_applied.c_str());
        }
        if (!s.doc.decode_notes.icc_profile.empty()) {
            ImGui::TextWrapped("Colour profile: %s (converted to sRGB)", s.doc.decode_notes.icc_profile.c_str());
        }
        if (!s.doc.decode_notes.note.empty()) {
            ImGui::TextWrapped("Note: %s", s.doc.decode_notes.note.c_str());
        }
    }
    if (s.doc.result) {
        const core::ClusterResult& r = *s.doc.result;
        if (r.distinct_colours > 0) {
            ImGui::Text("%zu distinct colours", r.distinct_colours);
        }
        ImGui::Text("%d rounds%s", r.iterations, r.converged ? ", converged" : " (max reached)");
        ImGui::Text("inertia %.4g", r.inertia);
        ImGui::Text("%.3f s on %d thread%s", r.seconds, s.doc.runner->threads(), s.doc.runner->threads() == 1 ? "" : "s");
        if (!r.note.empty()) {
            ImGui::TextWrapped("Note: %s", r.note.c_str());
        }
        ImGui::Separator();
        s.view.hover_label = palette_panel(r, s.view.layout.swatches);
    }
}


/// Play controls, the scrubber, what the current half-step is, and inertia per round.
void same_line_if_fits(float width)
{
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <= right) {
        ImGui::SameLine();
    }
}

float checkbox_width(const char* label)
{
    return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
}

namespace {

/// The play buttons, then the speed and the boundaries toggle (`settings`; presenter mode leaves them
/// to the keys); the scrubber on the same line (`one_line`) or on its own across the width.
void play_controls(AppState& s, bool one_line, bool settings)
{
    const int last = last_position(s.doc);
    const int pos = current_position(s.view, s.doc);
    const float button = ImGui::GetFrameHeight() * 1.6f;
    if (ImGui::Button("|<", ImVec2(button, 0))) step(s, -1000000);
    ImGui::SameLine();
    if (ImGui::Button("<", ImVec2(button, 0))) step(s, -1);
    ImGui::SameLine();
    if (ImGui::Button(s.view.timeline.playing ? "pause" : "play", ImVec2(button * 1.8f, 0))) toggle_play(s);
    ImGui::SameLine();
    if (ImGui::Button(">", ImVec2(button, 0))) step(s, 1);
    ImGui::SameLine();
    if (ImGui::Button(">|", ImVec2(button, 0))) step(s, 1000000);
    if (settings) {
        same_line_if_fits(ImGui::GetFontSize() * 8);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
        ImGui::SliderFloat("##speed", &s.view.timeline.speed, 0.25f, 20.0f, "%.2g steps/s", ImGuiSliderFlags_Logarithmic);
        same_line_if_fits(checkbox_width("boundaries"));
        ImGui::Checkbox("boundaries", &s.view.boundaries);
    }
    if (s.doc.result && s.doc.result_params.xy > 0.0f) {
        // Position runs: the regions view (mean colours, boundaries), its markers optional.
        same_line_if_fits(checkbox_width("regions"));
        ImGui::Checkbox("regions", &s.view.regions);
        if (s.view.regions) {
            same_line_if_fits(checkbox_width("markers"));
            ImGui::Checkbox("markers", &s.view.region_markers);
        }
    }
    if (one_line) {
        same_line_if_fits(ImGui::GetFontSize() * 8);
    }
    int scrub = pos;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderInt("##scrub", &scrub, 0, last, "")) {
        s.view.timeline.playing = false;
        set_position(s.view, s.doc, scrub);
    }
}

} // namespace

namespace {

/// The inertia chart's least height: its title, two y ticks and the x labels.
float chart_min_height()
{
    return std::max(ImGui::GetFontSize() * 5.0f, 80.0f);
}

/// The changed-pixels bars' height under the scrubber.
float bars_height()
{
    return ImGui::GetFontSize() * 2.0f;
}

/// The scrubber's round ticks and, under it, the pixels that changed cluster in each round.
void changed_bars(AppState& s)
{
    const core::ClusterResult& r = *s.doc.result;
    std::vector<double> changed;
    for (const core::Round& round : r.rounds) {
        changed.push_back(round.changed);
    }
    RoundBars bars;
    bars.values = &changed;
    bars.scrub_min = ImGui::GetItemRectMin();
    bars.scrub_max = ImGui::GetItemRectMax();
    bars.last_position = last_position(s.doc);
    const int pos = current_position(s.view, s.doc);
    bars.current = pos >= bars.last_position ? 0 : pos / 2 + 1;
    bars.height = bars_height();
    const ImVec2 at(bars.scrub_min.x, ImGui::GetCursorScreenPos().y);
    const int clicked = round_bars(bars);
    s.view.layout.bars = {at.x, at.y, bars.scrub_max.x, at.y + bars.height};
    if (clicked > 0) {
        s.view.timeline.playing = false;
        set_position(s.view, s.doc, 2 * (clicked - 1));
    }
}

} // namespace

float timeline_min_width()
{
    const float button = ImGui::GetFrameHeight() * 1.6f;
    return button * 5.8f + ImGui::GetStyle().ItemSpacing.x * 4 + 2;
}

float timeline_height(bool compact)
{
    // The play row, the scrubber, the bars, what the half-step is (two lines), the chart.
    return ImGui::GetFrameHeightWithSpacing() * 2 + bars_height() + ImGui::GetStyle().ItemSpacing.y +
        (compact ? 0.0f : ImGui::GetTextLineHeightWithSpacing() * 2) + chart_min_height();
}

void timeline_bar(AppState& s)
{
    play_controls(s, true, true);
}

void timeline_panel(AppState& s, bool compact)
{
    const core::ClusterResult& r = *s.doc.result;
    const int last = last_position(s.doc);
    const int pos = current_position(s.view, s.doc);
    play_controls(s, compact, !compact);
    changed_bars(s);
    char what[160];
    if (compact) {
        what[0] = '\0';
    } else if (pos >= last) {
        std::snprintf(what, sizeof what, "Final: %d rounds%s, inertia %.4g%s", r.iterations,
                      r.converged ? ", converged" : " (max rounds reached)", r.inertia,
                      r.rounds_on_copy() ? " over every pixel of the full image" : "");
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
    if (!compact) {
        ImGui::TextWrapped("%s", what);
    }
    // Inertia per round with its axes, the current half-step marked; a click goes to that round.
    if (!r.rounds.empty()) {
        std::vector<int> rounds;
        std::vector<double> inertia;
        for (size_t i = 0; i < r.rounds.size(); ++i) {
            rounds.push_back(static_cast<int>(i) + 1);
            inertia.push_back(r.rounds[i].inertia);
        }
        const ImVec2 start = ImGui::GetCursorScreenPos();
        KPlot plot;
        plot.id = "##inertia";
        // On a working copy the rounds (and this chart) are the copy's, the final inertia the
        // full image's: the title says so, or the chart's end and the text's final disagree.
        char title[96];
        const char* log = s.view.inertia_log ? " (log)" : "";
        if (r.rounds_on_copy()) {
            std::snprintf(title, sizeof title, "inertia per round%s, on the %d x %d working copy", log,
                          r.rounds_width, r.rounds_height);
        } else {
            std::snprintf(title, sizeof title, "inertia per round%s", log);
        }
        plot.title = title;
        plot.ks = &rounds;
        plot.values = &inertia;
        plot.current = std::min(pos / 2 + 1, static_cast<int>(rounds.size()));
        plot.current_offset = pos < last && pos % 2 == 1 ? 0.5f : 0.0f;
        plot.current_label = pos >= last ? "final" : pos % 2 == 0 ? "assign" : "update";
        plot.log_y = s.view.inertia_log;
        plot.x_name = "round";
        plot.click_hint = "click: show round %d";
        // The chart takes the height the rest leaves, within reason.
        plot.size = ImVec2(ImGui::GetContentRegionAvail().x,
                           std::clamp(ImGui::GetContentRegionAvail().y, ImGui::GetFontSize() * 4.0f, ImGui::GetFontSize() * 30.0f));
        if (const int clicked = k_plot(plot).clicked; clicked > 0) {
            s.view.timeline.playing = false;
            set_position(s.view, s.doc, 2 * (clicked - 1));
        }
        // The log toggle in the chart's top right corner.
        const float toggle = checkbox_width("log");
        ImGui::SetCursorScreenPos(ImVec2(start.x + plot.size.x - toggle - 4, start.y + 2));
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(2, 0));
        ImGui::Checkbox("log", &s.view.inertia_log);
        ImGui::PopStyleVar();
    }
}

/// Presenter mode's chrome: what the room needs to read, and a large step button.
void presenter_bar(AppState& s)
{
    const float big = ImGui::GetFrameHeight() * 1.5f;
    if (ImGui::Button("<  back", ImVec2(big * 3, big))) step(s, -1);
    ImGui::SameLine();
    if (ImGui::Button("step  >", ImVec2(big * 4, big))) step(s, 1);
    if (!s.doc.result) {
        ImGui::SameLine();
        ImGui::TextUnformatted(s.doc.status == Status::running ? "clustering..." : "drop a photo");
    } else {
        const core::ClusterResult& r = *s.doc.result;
        const int pos = current_position(s.view, s.doc);
        const int last = last_position(s.doc);
        const int round = std::min(pos / 2 + 1, r.iterations);
        const double ms = r.rounds.empty() ? 0.0 : r.rounds[static_cast<size_t>(round - 1)].seconds * 1000.0;
        const double inertia = pos >= last ? r.inertia : r.rounds[static_cast<size_t>(round - 1)].inertia;
        char what[96];
        char figures[96];
        std::snprintf(what, sizeof what, "k = %d   round %d / %d   %s", r.k, round, r.iterations,
                      pos >= last ? "final" : pos % 2 == 0 ? "assign" : "update");
        std::snprintf(figures, sizeof figures, "inertia %.4g   %.1f ms this round", inertia, ms);
        // Beside the buttons when it fits there, else under them: never cut at the window's edge.
        same_line_if_fits(std::max(ImGui::CalcTextSize(what).x, ImGui::CalcTextSize(figures).x));
        ImGui::BeginGroup();
        ImGui::TextUnformatted(what);
        ImGui::TextUnformatted(figures);
        ImGui::EndGroup();
    }
    // At the right end when they fit beside the rest (else on a line of their own): the theme and
    // the way out.
    const float leave_w = ImGui::CalcTextSize("p: leave presenter").x;
    const float light_w = checkbox_width("light");
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float right = ImGui::GetWindowContentRegionMax().x;
    const float used = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + spacing;
    if (used + light_w + spacing + leave_w <= right) {
        ImGui::SameLine(right - leave_w - spacing - light_w);
    } else if (used + light_w <= right) {
        ImGui::SameLine(right - light_w);
    }
    ImGui::Checkbox("light", &s.view.light);
    if (used + light_w + spacing + leave_w <= right || used + light_w > right) {
        ImGui::SameLine();
        ImGui::TextDisabled("p: leave presenter");
    }
    ImGui::Separator();
}

} // namespace app
