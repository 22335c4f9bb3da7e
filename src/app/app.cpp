// The frame function and the panels: controls and palette on the left, the original and the
// clustered image side by side on the right.
#include "app.h"

#include <algorithm>
#include <cstdio>

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include "core/link.h"
#include "core/samples.h"
#include "core/stats.h"
#include "gl.h"
#include "platform/platform.h"

namespace app {
namespace {

constexpr float kPanelWidth = 300.0f;
constexpr int kUiMaxK = 256;

void collect_outputs(AppState& s)
{
    for (Output& out : s.runner->take_outputs()) {
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
            s.result.reset();
            s.clustered.reset();
            s.original.upload(out.display.rgba.data(), out.display.width, out.display.height);
            s.status = Status::running;
            break;
        case Output::Kind::clustered:
            s.result = out.result;
            s.result_params = out.params;
            s.clustered.upload(out.display.rgba.data(), out.display.width, out.display.height);
            s.status = Status::done;
            break;
        }
    }
}

/// An image fitted into the given box, aspect kept, centred.
void fitted_image(const Texture& tex, ImVec2 box)
{
    if (!tex.valid() || box.x <= 1 || box.y <= 1) {
        return;
    }
    const float scale = std::min(box.x / tex.width(), box.y / tex.height());
    const ImVec2 size(tex.width() * scale, tex.height() * scale);
    const ImVec2 cursor = ImGui::GetCursorPos();
    ImGui::SetCursorPos(ImVec2(cursor.x + (box.x - size.x) * 0.5f, cursor.y + (box.y - size.y) * 0.5f));
    ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex.id())), size);
}

void hex_of(const uint8_t* rgb, char* out, size_t n)
{
    std::snprintf(out, n, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

void palette_panel(const core::ClusterResult& r)
{
    ImGui::Text("Palette (%d colours)", r.k);
    const int shown = std::min(r.k, 64);
    for (int c = 0; c < shown; ++c) {
        const uint8_t* p = r.palette.data() + 3 * static_cast<size_t>(c);
        const ImVec4 colour(p[0] / 255.0f, p[1] / 255.0f, p[2] / 255.0f, 1.0f);
        char hex[16];
        hex_of(p, hex, sizeof hex);
        ImGui::PushID(c);
        ImGui::ColorButton("##swatch", colour, ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoBorder,
                           ImVec2(36, 18));
        ImGui::SameLine();
        ImGui::Text("%s  %5.1f %%", hex, r.shares[c] * 100.0);
        ImGui::PopID();
    }
    if (r.k > shown) {
        ImGui::TextDisabled("... and %d more", r.k - shown);
    }
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
    ImGui::SetNextItemWidth(-60);
    if (ImGui::InputInt("k##input", &k, 1, 8)) {
        k = std::clamp(k, 1, kUiMaxK);
        changed = true;
    }
    s.params.kmeans.k = k;
    int seed = static_cast<int>(s.params.kmeans.seed);
    ImGui::SetNextItemWidth(-60);
    if (ImGui::InputInt("seed", &seed)) {
        s.params.kmeans.seed = static_cast<uint64_t>(std::max(0, seed));
        changed = true;
    }
    const bool busy = s.status == Status::decoding || s.status == Status::running;
    if (ImGui::Button("Run", ImVec2(120, 0)) || (changed && s.image)) {
        if (s.image) {
            run(s);
        }
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
    ImGui::Separator();
    if (s.image) {
        ImGui::Text("%s", s.image_name.empty() ? "(image)" : s.image_name.c_str());
        ImGui::Text("%d x %d  (%.2f MP)", s.image->width, s.image->height, s.image->pixels() / 1e6);
    }
    if (s.result) {
        const core::ClusterResult& r = *s.result;
        ImGui::Text("%zu distinct colours", r.distinct_colours);
        ImGui::Text("%d rounds%s", r.iterations, r.converged ? ", converged" : " (max reached)");
        ImGui::Text("inertia %.4g", r.inertia);
        ImGui::Text("%.3f s on %d threads", r.seconds, s.runner->threads());
        if (!r.note.empty()) {
            ImGui::TextWrapped("Note: %s", r.note.c_str());
        }
        ImGui::Separator();
        palette_panel(r);
    }
}

void images_panel(AppState& s)
{
    const ImVec2 avail = ImGui::GetContentRegionAvail();
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
    const ImVec2 box = wide ? ImVec2((avail.x - gap) * 0.5f, avail.y - label_h)
                            : ImVec2(avail.x, (avail.y - gap) * 0.5f - label_h);
    auto pane = [&](const char* id, const char* label, const Texture& tex) {
        ImGui::BeginChild(id, ImVec2(box.x, box.y + label_h), false, ImGuiWindowFlags_NoScrollbar);
        // The label sits just above the fitted image, wherever centring puts it.
        const Texture& shape = tex.valid() ? tex : s.original;
        const float scale = std::min(box.x / shape.width(), box.y / shape.height());
        const float top = (box.y - shape.height() * scale) * 0.5f;
        ImGui::SetCursorPos(ImVec2((box.x - shape.width() * scale) * 0.5f, top));
        ImGui::TextUnformatted(label);
        ImGui::SetCursorPos(ImVec2(0, label_h));
        fitted_image(tex, ImVec2(box.x, box.y));
        ImGui::EndChild();
    };
    pane("original", "Original", s.original);
    if (wide) {
        ImGui::SameLine(0, gap);
    }
    char label[64];
    if (s.result) {
        std::snprintf(label, sizeof label, "k-means++, k = %d", s.result->k);
    } else {
        std::snprintf(label, sizeof label, "clustering...");
    }
    pane("clustered", label, s.clustered);
}

void draw_ui(AppState& s)
{
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
        ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
        ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("kpix", nullptr, flags);
    ImGui::BeginChild("controls", ImVec2(kPanelWidth, 0), true);
    controls_panel(s);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("images", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar);
    images_panel(s);
    ImGui::EndChild();
    ImGui::End();
    about_panel(s);
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

void init(AppState& s, SDL_Window* window, void* gl_context, const char* glsl_version)
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
    ImGui_ImplOpenGL3_Init(glsl_version);
    s.runner = std::make_unique<Runner>();
}

void shutdown(AppState& s)
{
    s.runner.reset();
    s.original.reset();
    s.clustered.reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
}

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
    job.params = s.params;
    s.message.clear();
    s.status = Status::decoding;
    s.job_id = s.runner->submit(std::move(job));
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
    s.message.clear();
    s.status = Status::running;
    s.job_id = s.runner->submit(std::move(job));
}

std::string stats_json(const AppState& s)
{
    std::string notes = "[";
    for (const std::string& note : s.link_notes) {
        notes += (notes.size() > 1 ? "," : "") + core::json_string(note);
    }
    notes += "]";
    std::string head = "{\"status\":" + core::json_string(status_name(s.status)) +
        ",\"message\":" + core::json_string(s.message) + ",\"sample\":" +
        core::json_string(s.sample) + ",\"link\":" + core::json_string(s.link) +
        ",\"notes\":" + notes;
    if (s.status != Status::done || !s.result) {
        return head + "}";
    }
    core::RunInfo info;
    info.source = s.image_name;
    info.threads = s.runner->threads();
    info.seconds_decode = s.seconds_decode;
    const std::string body = core::stats_json(s.result_params, *s.result, info);
    return head + "," + body.substr(1);
}

void frame(AppState& s)
{
    SDL_Event event;
    while (SDL_PollEvent(&event)) {
        ImGui_ImplSDL2_ProcessEvent(&event);
        if (event.type == SDL_QUIT) {
            s.quit = true;
        } else if (event.type == SDL_DROPFILE) {
            open_path(s, event.drop.file);
            SDL_free(event.drop.file);
        }
    }
    collect_outputs(s);
    update_link(s);

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    draw_ui(s);
    ImGui::Render();

    const ImGuiIO& io = ImGui::GetIO();
    glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
               static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
    glClearColor(0.08f, 0.08f, 0.09f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (s.after_render) {
        s.after_render();
    }
    SDL_GL_SwapWindow(s.window);
}

} // namespace app
