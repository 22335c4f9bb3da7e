// The frame: SDL's events, the document's finished work, the GPU views brought up to date, the
// UI laid out (panels.h) and drawn with our own renderer. Also the app-level entry points that need
// the platform (samples, links) and the test hook's JSON.
#include "app.h"

#include <algorithm>
#include <cstdio>

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
// NOTE: only for the list of windows drawn this frame (ImGuiContext::Windows), which the public
// API does not give; read in record_layout and nowhere else.
#include <imgui_internal.h>

#include "core/link.h"
#include "files_panel.h"
#include "gl.h"
#include "hook_json.h"
#include "keys.h"
#include "panels.h"
#include "platform_api.h"

namespace app {
namespace {

constexpr float kFontSize = 13.0f;
constexpr float kPresenterFontSize = 26.0f;

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
    s.view.layout.swatches.clear(); // the palette fills them when it is drawn
    // The full-size before/after owns the window; otherwise the side panel shows unless collapsed.
    const bool full_split = s.view.image.split && !s.doc.compare;
    if (s.view.presenter) {
        presenter_bar(s);
    } else if (s.view.side_panel && !full_split) {
        // A fifth of the window, within what its rows need and what reads comfortably.
        const float panel_w = std::clamp(vp->WorkSize.x * 0.19f, 18.0f * kFontSize, 23.0f * kFontSize);
        ImGui::BeginChild("controls", ImVec2(panel_w, 0), true);
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

/// What the test hook reports of the layout: the window's size and every window drawn this frame.
void record_layout(AppState& s)
{
    const ImGuiIO& io = ImGui::GetIO();
    LayoutReport& layout = s.view.layout;
    layout.window[0] = io.DisplaySize.x;
    layout.window[1] = io.DisplaySize.y;
    layout.widgets.clear();
    for (const ImGuiWindow* window : ImGui::GetCurrentContext()->Windows) {
        if (window->Active && !window->Hidden) {
            layout.widgets.push_back({window->Name, {window->Pos.x, window->Pos.y, window->Pos.x + window->Size.x,
                                                     window->Pos.y + window->Size.y}});
        }
    }
}

/// Keeps the address bar's fragment in step with the parameters and the sample shown.
void update_link(AppState& s)
{
    const std::string fragment = current_link(s.doc, s.view.light);
    if (fragment != s.doc.link) {
        s.doc.link = fragment;
        platform::set_link(fragment);
    }
}

/// Fonts rasterised at the size in use (presenter mode doubles it), so type stays crisp, and the
/// theme's colours (light for projectors, which wash out dark UIs).
void apply_style(AppState& s)
{
    const float want = s.view.presenter ? kPresenterFontSize : kFontSize;
    if (want == s.view.font_size && s.view.light == s.view.styled_light) {
        return;
    }
    ImGuiIO& io = ImGui::GetIO();
    if (want != s.view.font_size) {
        s.view.font_size = want;
        io.Fonts->Clear();
        ImFontConfig config;
        config.SizePixels = want;
        config.OversampleH = 1;
        config.PixelSnapH = true;
        io.Fonts->AddFontDefault(&config);
        s.gpu.imgui.rebuild_fonts();
    }
    s.view.styled_light = s.view.light;
    ImGuiStyle style;
    if (s.view.light) {
        ImGui::StyleColorsLight(&style);
        // Stronger text and frames than ImGui's light theme: a projector washes out pale greys.
        style.Colors[ImGuiCol_TextDisabled] = ImVec4(0.32f, 0.32f, 0.34f, 1.0f);
        style.Colors[ImGuiCol_FrameBg] = ImVec4(0.86f, 0.86f, 0.88f, 1.0f);
        style.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.0f);
        style.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
        style.FrameBorderSize = 1.0f;
    } else {
        ImGui::StyleColorsDark(&style);
    }
    style.WindowRounding = 0.0f;
    style.ScaleAllSizes(want / kFontSize);
    ImGui::GetStyle() = style;
}

} // namespace

void init(AppState& s, SDL_Window* window, void* gl_context)
{
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    ImGui::StyleColorsDark();
    ImGui::GetStyle().WindowRounding = 0.0f;
    ImGui_ImplSDL2_InitForOpenGL(window, gl_context);
    std::string error;
    if (!s.gpu.imgui.init(error)) {
        std::fprintf(stderr, "kpix: the UI cannot be drawn: %s\n", error.c_str());
    }
    s.choose_k = std::make_unique<ChooseK>(s.doc.runner->pool());
    if (!init_gpu(s.gpu, window, gl_context, error)) {
        s.doc.message = "The GPU view is unavailable (" + error + "); showing results without the replay.";
    }
}

void shutdown(AppState& s)
{
    s.exporter.reset();
    s.choose_k.reset();
    s.doc.runner.reset();
    shutdown_gpu(s.gpu);
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
}

void open_sample(AppState& s, const std::string& name)
{
    if (const core::Sample* sample = begin_sample(s.doc, name)) {
        platform::request_sample(s, *sample);
    }
}

void apply_link(AppState& s, const std::string& fragment, bool load_sample)
{
    s.view.light = core::parse_link(fragment, core::LinkState()).state.light;
    if (const core::Sample* sample = app::apply_link(s.doc, fragment, load_sample)) {
        platform::request_sample(s, *sample);
    }
}

std::string stats_json(const AppState& s)
{
    ViewReport report;
    report.position = current_position(s.view, s.doc);
    report.last_position = last_position(s.doc);
    report.playing = s.view.timeline.playing;
    report.shown = replay_shown(s.gpu, s.view, s.doc);
    report.presenter = s.view.presenter;
    report.light = s.view.light;
    report.boundaries = s.view.boundaries;
    report.regions = regions_shown(s.view, s.doc);
    report.region_markers = s.view.region_markers;
    report.cloud_points = s.gpu.cloud.points();
    report.cloud_yaw = s.view.cloud_yaw;
    const ImageView& image = s.view.image;
    report.split = image.split;
    report.divider = image.divider;
    report.zoom = image.zoom;
    report.cx = image.cx;
    report.cy = image.cy;
    const ImageArea& a = s.view.original_area;
    const float rect[4] = {a.lo.x, a.lo.y, a.hi.x, a.hi.y};
    std::copy(rect, rect + 4, report.rect);
    report.side_panel = s.view.side_panel;
    report.cloud = s.view.cloud;
    report.window[0] = s.view.layout.window[0];
    report.window[1] = s.view.layout.window[1];
    report.images = s.view.layout.images;
    report.cloud_area = s.view.layout.cloud;
    report.timeline_area = s.view.layout.timeline;
    report.bars_area = s.view.layout.bars;
    report.swatches = s.view.layout.swatches;
    report.widgets = s.view.layout.widgets;
    return app::stats_json(s.doc, report);
}

void frame(AppState& s)
{
    SDL_Event event;
    while (SDL_PollEvent(&event)) {
        ImGui_ImplSDL2_ProcessEvent(&event);
        if (event.type == SDL_QUIT) {
            s.quit = true;
        } else if (event.type == SDL_KEYDOWN) {
            s.view.pending_keys.emplace_back(event.key.keysym.sym, event.key.keysym.mod);
        } else if (event.type == SDL_TEXTINPUT) {
            s.view.pending_text += event.text.text;
        } else if (event.type == SDL_DROPFILE) {
            open_path(s.doc, event.drop.file);
            SDL_free(event.drop.file);
        }
    }
    take(s.gpu, s.view, collect(s.doc));
    update_link(s);
    const double now = SDL_GetTicks() / 1000.0;
    update_replay(s.gpu, s.view, s.doc, s.view.last_frame_time > 0.0 ? now - s.view.last_frame_time : 0.0);
    s.view.last_frame_time = now;
    apply_style(s);

    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    keyboard(s);
    draw_ui(s);
    ImGui::Render();
    record_layout(s);

    const ImGuiIO& io = ImGui::GetIO();
    glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
               static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
    // The full-window panel's background colour (it draws none of its own).
    const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    s.gpu.imgui.render(ImGui::GetDrawData());
    if (s.after_render) {
        s.after_render();
    }
    SDL_GL_SwapWindow(s.gpu.window);
}

} // namespace app
