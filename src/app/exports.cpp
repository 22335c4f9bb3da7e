// The app's exports, built from the full-resolution image and the last result by core/outputs.h,
// as the command line's are; the saving itself is the platform's (download or file).
#include "exports.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <memory>

#include <imgui.h>

#include "app.h"
#include "core/outputs.h"
#include "core/thread_pool.h"
#include "core/worker.h"
#include "platform_api.h"

namespace app {
namespace {

/// What an export reads: shared pointers to immutable data, so a thread can hold them.
struct ExportInput {
    std::shared_ptr<const core::Image> image;
    std::string image_name;
    std::shared_ptr<const core::ClusterResult> result;
    core::ClusterParams result_params;
};

ExportInput input_of(const AppState& s)
{
    // A first result is the working copy's: exports wait for the full size (no result yet).
    return ExportInput{s.doc.image, s.doc.image_name, first_result_shown(s.doc) ? nullptr : s.doc.result,
                       s.doc.result_params};
}

/// The image's name without its extension, for the files' names ("coffee" -> "coffee-k8.png").
std::string base_name(const ExportInput& s)
{
    std::string name = s.image_name.empty() ? "kpix" : s.image_name;
    const size_t dot = name.find_last_of('.');
    if (dot != std::string::npos && dot > 0) {
        name.resize(dot);
    }
    return name + "-k" + std::to_string(s.result ? s.result->k : 0);
}

bool build_export(const ExportInput& s, const std::string& kind, ExportFile& out, std::string& error)
{
    if (!s.result || !s.image || s.result->k == 0) {
        error = "Nothing to export yet: wait for the clustering to finish.";
        return false;
    }
    const core::ClusterResult& r = *s.result;
    const std::string base = base_name(s);
    if (kind == "png") {
        out.name = base + ".png";
        out.bytes = core::clustered_png(*s.image, r.labels.data(), r.palette);
        return true;
    }
    if (kind == "gif") {
        if (r.k > 256) {
            error = "A GIF holds at most 256 colours: export the GIF with k <= 256.";
            return false;
        }
        out.name = base + "-rounds.gif";
        core::RoundsGifOptions options;
        options.max_side = kGifMaxSide;
        // Serial: exports run on a thread of their own, and in the browser threads come from a
        // fixed pre-started set (one spare is kept for exports; see cmake/KpixFlags.cmake).
        core::ThreadPool pool(1);
        out.bytes = core::rounds_gif(*s.image, r, s.result_params, options, pool);
        return true;
    }
    const struct {
        const char* kind;
        core::PaletteFormat format;
    } palettes[] = {{"gpl", core::PaletteFormat::gpl},
                    {"json", core::PaletteFormat::json},
                    {"css", core::PaletteFormat::css},
                    {"txt", core::PaletteFormat::txt}};
    for (const auto& p : palettes) {
        if (kind == p.kind) {
            out.name = base + "-palette." + kind;
            const std::string text = core::palette_text(r, p.format, base);
            out.bytes.assign(text.begin(), text.end());
            return true;
        }
    }
    error = "Unknown export '" + kind + "' (png, gif, gpl, json, css or txt).";
    return false;
}

} // namespace

/// The export being built: the job owns everything it reads (copies and shared pointers to
/// immutable data), and sets done last.
struct ExportJob {
    std::string kind;
    ExportInput input;
    std::atomic<bool> done{false};
    bool ok = false;
    ExportFile file;
    std::string error;
};

namespace {

/// Hands a finished export to the platform (on the main thread: the browser's download must be
/// started there).
void collect_export(AppState& s)
{
    if (!s.exporter || !s.exporter->job) {
        return;
    }
    // No threads: built here, a frame after "Exporting..." was drawn. With threads: nothing.
    s.exporter->worker.step();
    const std::shared_ptr<ExportJob> job = s.exporter->job;
    if (!job->done.load()) {
        return;
    }
    s.doc.export_note = job->ok ? platform::save_file(job->file.name, job->file.bytes) : job->error;
    s.exporter->job.reset();
}

} // namespace

bool start_export(AppState& s, const std::string& kind)
{
    collect_export(s);
    if (!s.exporter) {
        s.exporter = std::make_unique<Exporter>();
    }
    if (s.exporter->job) {
        return false;
    }
    auto job = std::make_shared<ExportJob>();
    job->kind = kind;
    job->input = input_of(s); // the state goes on changing while the export runs
    s.exporter->job = job;
    s.exporter->worker.submit([job](core::Progress&) {
        job->ok = build_export(job->input, job->kind, job->file, job->error);
        job->done.store(true);
        return false;
    });
    s.doc.export_note = "Exporting " + kind + "...";
    return true;
}

std::string export_kind_of(const std::string& path)
{
    const std::string ext = core::file_extension(path);
    for (const char* kind : {"png", "gif", "gpl", "json", "css", "txt"}) {
        if (ext == kind) {
            return ext;
        }
    }
    return "";
}

bool make_export(const AppState& s, const std::string& kind, ExportFile& out, std::string& error)
{
    return build_export(input_of(s), kind, out, error);
}

void export_section(AppState& s)
{
    collect_export(s);
    if (!s.doc.result || !ImGui::CollapsingHeader("Export")) {
        return;
    }
    const bool busy = s.exporter && s.exporter->job;
    const struct {
        const char* label;
        const char* kind;
    } buttons[] = {{"PNG", "png"}, {"GIF", "gif"}, {".gpl", "gpl"},
                   {".json", "json"}, {".css", "css"}, {".txt", "txt"}};
    int i = 0;
    for (const auto& b : buttons) {
        if (i++ % 3 != 0) {
            ImGui::SameLine();
        }
        if (ImGui::Button(b.label, ImVec2(70, 0)) && !busy) {
            start_export(s, b.kind);
        }
    }
    if (!s.doc.export_note.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
        ImGui::TextWrapped("%s", s.doc.export_note.c_str());
        ImGui::PopStyleColor();
    }
}

} // namespace app
