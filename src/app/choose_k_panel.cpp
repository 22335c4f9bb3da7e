// The "Choose k" window and its worker. The worker runs one request at a time (a sweep and a
// grid, or an init comparison) on the runner's pool: the pool takes one parallel_for at a time,
// so a clustering the user starts meanwhile shares the threads instead of adding more (in the
// browser every thread comes from a fixed pre-started set).
#include "choose_k_panel.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <imgui.h>

#include "app.h"
#include "core/stats.h"
#include "plot.h"

namespace app {
namespace {

/// The grid's thumbnails, and the copy the grid and the init comparison cluster: small enough
/// that nine clusterings and twenty runs take seconds in the browser on a big photo.
constexpr int kTileSide = 168;
constexpr int kClusterSide = 1024;
/// Thumbnails are shown at most this wide, so the window's parts fit a laptop's screen.
constexpr float kTileShown = 132.0f;

enum Task { kIdle = 0, kSweep = 1, kGrid = 2, kInits = 3 };

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void remember_rect(float* rect)
{
    const ImVec2 lo = ImGui::GetItemRectMin();
    const ImVec2 hi = ImGui::GetItemRectMax();
    rect[0] = lo.x;
    rect[1] = lo.y;
    rect[2] = hi.x;
    rect[3] = hi.y;
}

/// Sets k from the window and clusters again (clicked seeds are for their own k: k-means++).
void use_k(AppState& s, int k)
{
    if (k < 1) {
        return;
    }
    if (s.doc.params.kmeans.init == core::Init::given) {
        s.doc.params.kmeans.init = core::Init::kmeanspp;
    }
    s.doc.params.kmeans.k = k;
    run(s.doc);
}

void sweep_section(AppState& s, ChooseK& c)
{
    if (!c.has_sweep || c.sweep.points.empty()) {
        ImGui::TextDisabled("Run the sweep to see inertia, silhouette and gap against k.");
        return;
    }
    const core::SweepResult& r = c.sweep;
    std::vector<int> ks;
    std::vector<double> inertia, sil, gap, sd;
    for (const core::SweepPoint& p : r.points) {
        ks.push_back(p.k);
        inertia.push_back(p.inertia);
        sil.push_back(p.silhouette);
        gap.push_back(p.gap);
        sd.push_back(p.gap_sd);
    }
    ImGui::Text("Suggested: elbow %d, silhouette %d, gap %d  (%.1f s)", r.elbow, r.silhouette, r.gap,
                c.sweep_seconds);
    const float w = ImGui::GetContentRegionAvail().x;
    const float gap_x = ImGui::GetStyle().ItemSpacing.x;
    // ImGui refuses zero-sized items: a very narrow window still gets small plots.
    const ImVec2 size(std::max(40.0f, (w - 2 * gap_x) / 3.0f), ImGui::GetFontSize() * 8.0f);
    char titles[3][64];
    std::snprintf(titles[0], sizeof titles[0], "inertia: elbow k = %d", r.elbow);
    std::snprintf(titles[1], sizeof titles[1], "silhouette: best k = %d", r.silhouette);
    std::snprintf(titles[2], sizeof titles[2], "gap +- s: k = %d", r.gap);
    const std::vector<double>* values[3] = {&inertia, &sil, &gap};
    const int suggested[3] = {r.elbow, r.silhouette, r.gap};
    const char* ids[3] = {"##inertia_plot", "##silhouette_plot", "##gap_plot"};
    for (int i = 0; i < 3; ++i) {
        if (i > 0) {
            ImGui::SameLine();
        }
        KPlot plot;
        plot.id = ids[i];
        plot.title = titles[i];
        plot.ks = &ks;
        plot.values = values[i];
        plot.errors = i == 2 ? &sd : nullptr;
        plot.suggested = suggested[i];
        plot.current = s.doc.params.kmeans.k;
        plot.size = size;
        const KPlotResult res = k_plot(plot);
        c.suggested_at[i][0] = res.suggested_at.x;
        c.suggested_at[i][1] = res.suggested_at.y;
        if (res.clicked > 0) {
            use_k(s, res.clicked);
        }
    }
    ImGui::TextDisabled("Click a point to cluster at its k. Silhouette and gap on a 5000-pixel sample.");
}

void grid_section(AppState& s, ChooseK& c)
{
    if (!c.has_grid || c.grid.tiles.empty()) {
        return;
    }
    if (!c.grid_uploaded) {
        const core::Image atlas = core::compose_grid(c.grid, c.grid_layout);
        c.grid_texture.upload(atlas.rgba.data(), atlas.width, atlas.height);
        c.grid_uploaded = true;
    }
    const core::GridLayout& l = c.grid_layout;
    ImGui::Separator();
    ImGui::TextUnformatted("k-grid: the photo at each k, with its inertia (click one to use it)");
    const float avail = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float cell =
        std::max(16.0f, std::min({static_cast<float>(l.cell_width), kTileShown,
                                  (avail - spacing * (l.columns - 1)) / l.columns - 8}));
    const float scale = cell / static_cast<float>(l.cell_width);
    const auto tex = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(c.grid_texture.id()));
    c.tile_rects.clear();
    for (size_t i = 0; i < c.grid.tiles.size(); ++i) {
        const core::GridTile& t = c.grid.tiles[i];
        if (i % static_cast<size_t>(l.columns) != 0) {
            ImGui::SameLine();
        }
        ImGui::BeginGroup();
        const float x0 = static_cast<float>(l.origins[2 * i]);
        const float y0 = static_cast<float>(l.origins[2 * i + 1]);
        const ImVec2 uv0(x0 / l.width, y0 / l.height);
        const ImVec2 uv1((x0 + t.thumbnail.width) / l.width, (y0 + t.thumbnail.height) / l.height);
        const bool current = t.k == s.doc.params.kmeans.k;
        ImGui::PushID(static_cast<int>(i));
        ImGui::PushStyleColor(ImGuiCol_Button, current ? ImVec4(1.0f, 0.82f, 0.24f, 1.0f) : ImVec4(0, 0, 0, 0));
        if (ImGui::ImageButton(tex, ImVec2(t.thumbnail.width * scale, t.thumbnail.height * scale), uv0, uv1, 3)) {
            use_k(s, t.k);
        }
        ImGui::PopStyleColor();
        float rect[4] = {0, 0, 0, 0};
        remember_rect(rect);
        c.tile_rects.insert(c.tile_rects.end(), rect, rect + 4);
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("k = %d: inertia %.5g, %d rounds\nclick: cluster at k = %d", t.k, t.inertia,
                              t.iterations, t.k);
        }
        ImGui::Text("k = %d", t.k);
        ImGui::SameLine();
        ImGui::TextDisabled("%.3g", t.inertia);
        ImGui::PopID();
        ImGui::EndGroup();
    }
    if (c.image && std::max(c.image->width, c.image->height) > kClusterSide) {
        ImGui::TextDisabled("Clustered on a copy %d px on its longest side.", kClusterSide);
    }
}

/// Random vs k-means++: one row of dots per init on a shared inertia axis, the median as a bar.
void inits_section(ChooseK& c)
{
    if (!c.has_inits || c.inits.kmeanspp.empty()) {
        return;
    }
    const core::InitComparison& r = c.inits;
    ImGui::Separator();
    ImGui::Text("Final inertia of %zu runs at k = %d, each from its own seed (%.1f s)", r.kmeanspp.size(), r.k,
                c.inits_seconds);
    const core::Spread pp = core::spread_of(r.kmeanspp);
    const core::Spread rnd = core::spread_of(r.random);
    // The axis spans at least 2% of the best inertia, so that runs a hair apart (the same optimum
    // up to rounding) are drawn together rather than stretched across the row.
    const double lo = std::min(pp.min, rnd.min);
    const double hi = std::max({pp.max, rnd.max, lo * 1.02});
    const float font = ImGui::GetFontSize();
    const float label_w = font * 6.0f;
    const float w = std::max(label_w + 40.0f, ImGui::GetContentRegionAvail().x);
    const float row_h = font * 1.8f;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(w, row_h * 2 + font * 1.4f));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float left = at.x + label_w;
    const float right = at.x + w - 12;
    auto sx = [&](double v) {
        return hi > lo ? left + (right - left) * static_cast<float>((v - lo) / (hi - lo)) : 0.5f * (left + right);
    };
    const struct {
        const char* name;
        const std::vector<double>* values;
        core::Spread spread;
        ImU32 colour;
    } rows[2] = {{"k-means++", &r.kmeanspp, pp, IM_COL32(120, 200, 120, 255)},
                 {"random", &r.random, rnd, IM_COL32(240, 120, 100, 255)}};
    for (int i = 0; i < 2; ++i) {
        const float y = at.y + row_h * (i + 0.5f);
        draw->AddText(ImVec2(at.x, y - font * 0.5f), ImGui::GetColorU32(ImGuiCol_Text), rows[i].name);
        draw->AddLine(ImVec2(sx(rows[i].spread.min), y), ImVec2(sx(rows[i].spread.max), y), rows[i].colour, 1.0f);
        for (double v : *rows[i].values) {
            draw->AddCircleFilled(ImVec2(sx(v), y), 4.0f, (rows[i].colour & 0x00FFFFFF) | 0xA0000000);
        }
        const float m = sx(rows[i].spread.median);
        draw->AddLine(ImVec2(m, y - row_h * 0.4f), ImVec2(m, y + row_h * 0.4f), IM_COL32(255, 255, 255, 230), 2.0f);
    }
    char text[64];
    const float axis_y = at.y + row_h * 2;
    draw->AddLine(ImVec2(left, axis_y), ImVec2(right, axis_y), IM_COL32(255, 255, 255, 60));
    std::snprintf(text, sizeof text, "%.3g", lo);
    draw->AddText(ImVec2(left, axis_y + 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), text);
    std::snprintf(text, sizeof text, "%.3g  final inertia", hi);
    draw->AddText(ImVec2(right - ImGui::CalcTextSize(text).x, axis_y + 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), text);
    const long worse = std::count_if(r.random.begin(), r.random.end(), [&](double v) { return v > pp.max * 1.001; });
    ImGui::Text("k-means++  min %.4g  median %.4g  max %.4g", pp.min, pp.median, pp.max);
    ImGui::Text("random     min %.4g  median %.4g  max %.4g", rnd.min, rnd.median, rnd.max);
    ImGui::TextWrapped("%ld of %zu random starts ended worse than k-means++'s worst run: Lloyd's rounds only "
                       "improve on where they start.",
                       worse, r.random.size());
}

} // namespace

ChooseK::ChooseK(core::ThreadPool& pool)
    : m_pool(pool)
{
}

bool ChooseK::busy() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_worker.busy() || m_has_done;
}

void ChooseK::submit(ChooseKJob job)
{
    auto shared = std::make_shared<const ChooseKJob>(std::move(job));
    m_worker.submit([this, shared](core::Progress& progress) {
        run(*shared, progress);
        return false;
    });
}

void ChooseK::cancel()
{
    m_worker.cancel();
}

const char* ChooseK::task() const
{
    switch (m_task.load()) {
    case kSweep: return "sweep";
    case kGrid: return "grid";
    case kInits: return "inits";
    default: return "";
    }
}

void ChooseK::run(const ChooseKJob& job, core::Progress& progress)
{
    Done done;
    done.image = job.image;
    done.params = job.params;
    if (job.sweep) {
        m_task = kSweep;
        const auto t0 = std::chrono::steady_clock::now();
        done.sweep_result = core::sweep_k(*job.image, job.params, job.k_lo, job.k_hi, core::ChooseKOptions{},
                                          m_pool, &progress);
        done.sweep_seconds = seconds_since(t0);
        done.sweep = true;
        done.cancelled = done.cancelled || done.sweep_result.cancelled;
    }
    // The grid and the comparison read a copy no bigger than kClusterSide.
    core::Image copy;
    if ((job.grid || job.inits) && !done.cancelled) {
        copy = core::scaled_to_fit(*job.image, kClusterSide);
    }
    if (job.grid && !done.cancelled) {
        m_task = kGrid;
        progress.fraction = 0.0f;
        core::GridOptions options;
        options.tile_side = kTileSide;
        done.grid_result = core::k_grid(copy, job.params, job.grid_lo, job.grid_hi, options, m_pool, &progress);
        done.grid = true;
        done.cancelled = done.grid_result.cancelled;
    }
    if (job.inits && !done.cancelled) {
        m_task = kInits;
        progress.fraction = 0.0f;
        const auto t0 = std::chrono::steady_clock::now();
        done.inits_result = core::compare_inits(copy, job.params, job.runs, m_pool, &progress);
        done.inits_seconds = seconds_since(t0);
        done.inits = true;
        done.cancelled = done.inits_result.cancelled;
    }
    m_task = kIdle;
    if (m_worker.queued()) {
        return; // superseded: its results would be for old settings
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    m_done = std::move(done);
    m_has_done = true;
}

void ChooseK::collect()
{
    // Single-threaded: the whole job in this frame (the page holds still meanwhile); the frame
    // before showed the window with the job queued. With threads: nothing.
    m_worker.step();
    Done d;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_has_done) {
            return;
        }
        d = std::move(m_done);
        m_has_done = false;
    }
    if (d.cancelled) {
        note = "Cancelled.";
        return;
    }
    note.clear();
    if (d.image != image) {
        has_sweep = has_grid = has_inits = false;
    }
    image = d.image;
    params = d.params;
    if (d.sweep) {
        has_sweep = true;
        sweep = std::move(d.sweep_result);
        sweep_seconds = d.sweep_seconds;
        if (sweep.points.empty()) {
            note = sweep.note;
        }
    }
    if (d.grid) {
        has_grid = true;
        grid = std::move(d.grid_result);
        grid_layout = core::grid_layout(grid);
        grid_uploaded = false;
        if (grid.tiles.empty()) {
            note = grid.note;
        }
    }
    if (d.inits) {
        has_inits = true;
        inits = std::move(d.inits_result);
        inits_seconds = d.inits_seconds;
        if (inits.kmeanspp.empty()) {
            note = inits.note;
        }
    }
}

void toggle_choose_k(AppState& s)
{
    if (s.choose_k) {
        s.choose_k->open = !s.choose_k->open;
    }
}

void choose_k_window(AppState& s)
{
    if (!s.choose_k) {
        return;
    }
    ChooseK& c = *s.choose_k;
    c.collect();
    if (c.image && s.doc.image && c.image != s.doc.image) {
        // A new photo: the old curves and thumbnails say nothing about it.
        c.has_sweep = c.has_grid = c.has_inits = false;
        c.image.reset();
    }
    if (!c.open) {
        return;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - 20, vp->WorkPos.y + 20), ImGuiCond_Appearing,
                            ImVec2(1.0f, 0.0f));
    ImGui::SetNextWindowSize(ImVec2(std::min(640.0f, vp->WorkSize.x - 40), std::min(900.0f, vp->WorkSize.y - 40)),
                             ImGuiCond_Appearing);
    ImGui::SetNextWindowBgAlpha(1.0f);
    if (!ImGui::Begin("Choose k", &c.open, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    int range[2] = {c.k_lo, c.k_hi};
    if (ImGui::InputInt2("k from..to", range)) {
        c.k_lo = std::clamp(range[0], 2, core::kMaxK - 1);
        c.k_hi = std::clamp(range[1], c.k_lo, std::min(core::kMaxK, c.k_lo + core::kMaxSweep - 1));
    }
    ImGui::SameLine();
    const bool busy = c.busy();
    if (ImGui::Button("Run sweep") && s.doc.image) {
        ChooseKJob job;
        job.image = s.doc.image;
        job.params = s.doc.params;
        job.k_lo = c.k_lo;
        job.k_hi = c.k_hi;
        job.sweep = true;
        job.grid = true;
        c.submit(std::move(job));
    }
    remember_rect(c.run_rect);
    std::fill(c.cancel_rect, c.cancel_rect + 4, 0.0f);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    ImGui::SliderInt("##runs", &c.runs, 2, 50, "%d seeds", ImGuiSliderFlags_AlwaysClamp);
    ImGui::SameLine();
    char compare[64];
    std::snprintf(compare, sizeof compare, "Compare random vs k-means++ at k = %d###inits", s.doc.params.kmeans.k);
    if (ImGui::Button(compare) && s.doc.image) {
        ChooseKJob job;
        job.image = s.doc.image;
        job.params = s.doc.params;
        job.runs = c.runs;
        job.inits = true;
        c.submit(std::move(job));
    }
    remember_rect(c.inits_rect);
    if (!s.doc.image) {
        ImGui::TextDisabled("Open a photo first.");
    }
    if (busy) {
        ImGui::SameLine();
        if (ImGui::Button("Cancel##choose_k")) {
            c.cancel();
        }
        remember_rect(c.cancel_rect);
        char label[64];
        std::snprintf(label, sizeof label, "%s %.0f %%", c.task(), c.fraction() * 100.0f);
        ImGui::ProgressBar(c.fraction(), ImVec2(-1, 0), label);
    }
    if (!c.note.empty()) {
        ImGui::TextColored(ImVec4(1.0f, 0.6f, 0.4f, 1.0f), "%s", c.note.c_str());
    }
    ImGui::TextDisabled("Same space, seed and settings as the main run; every k clustered in turn.");
    sweep_section(s, c);
    grid_section(s, c);
    inits_section(c);
    ImGui::End();
}

std::string choose_k_json(const AppState& s)
{
    if (!s.choose_k) {
        return core::json_text({{"open", false}});
    }
    const ChooseK& c = *s.choose_k;
    auto rect = [](const float* r) {
        return core::Json{core::json_value(r[0]), core::json_value(r[1]), core::json_value(r[2]),
                          core::json_value(r[3])};
    };
    core::Json j;
    j["open"] = c.open;
    j["busy"] = c.busy();
    j["task"] = c.task();
    j["fraction"] = core::json_value(c.fraction());
    j["note"] = c.note;
    j["k_lo"] = c.k_lo;
    j["k_hi"] = c.k_hi;
    j["run_button"] = rect(c.run_rect);
    j["inits_button"] = rect(c.inits_rect);
    j["cancel_button"] = rect(c.cancel_rect);
    // The sweep in the CLI's words (core/stats.h); the panel computes every score.
    j["sweep"] = c.has_sweep ? core::sweep_points_json(c.sweep, core::ChooseKOptions{}) : core::Json::array();
    if (c.has_sweep && !c.sweep.points.empty()) {
        j["suggested"] = core::suggested_json(c.sweep, true);
        core::Json at;
        const char* names[3] = {"elbow", "silhouette", "gap"};
        for (int i = 0; i < 3; ++i) {
            at[names[i]] = {core::json_value(c.suggested_at[i][0]), core::json_value(c.suggested_at[i][1])};
        }
        j["suggested_at"] = std::move(at);
        j["seconds_sweep"] = core::json_value(c.sweep_seconds);
    } else {
        j["suggested"] = nullptr;
    }
    core::Json tiles = c.has_grid ? core::grid_tiles_json(c.grid, nullptr) : core::Json::array();
    for (size_t i = 0; i < tiles.size() && 4 * i + 3 < c.tile_rects.size(); ++i) {
        tiles[i]["rect"] = rect(c.tile_rects.data() + 4 * i);
    }
    j["grid"] = std::move(tiles);
    if (c.has_inits && !c.inits.kmeanspp.empty()) {
        auto list = [](const std::vector<double>& v) {
            core::Json out = core::Json::array();
            for (double x : v) {
                out.push_back(core::json_value(x));
            }
            return out;
        };
        j["inits"] = {{"k", c.inits.k},
                      {"kmeans++", list(c.inits.kmeanspp)},
                      {"random", list(c.inits.random)},
                      {"seconds", core::json_value(c.inits_seconds)}};
    } else {
        j["inits"] = nullptr;
    }
    return core::json_text(j);
}

} // namespace app
