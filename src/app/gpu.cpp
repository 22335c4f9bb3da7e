// The GPU part: uploads, and the replay brought to the timeline's position each frame.
#include "gpu.h"

#include <algorithm>

#include "core/features.h"

namespace app {
namespace {

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

/// The palette (sRGB) of recorded centroid set i.
std::vector<uint8_t> history_palette(const Document& doc, int i)
{
    const core::ClusterResult& r = *doc.result;
    std::vector<uint8_t> rgb(static_cast<size_t>(r.k) * 3);
    const size_t kd = static_cast<size_t>(r.k) * r.d;
    for (int c = 0; c < r.k; ++c) {
        core::centroid_srgb(r.history_centroids.data() + i * kd + static_cast<size_t>(c) * r.d,
                            doc.result_params, rgb.data() + 3 * static_cast<size_t>(c));
    }
    return rgb;
}

} // namespace

bool init_gpu(Gpu& gpu, SDL_Window* window, void* gl_context, std::string& error)
{
    gpu.window = window;
    gpu.gl_context = gl_context;
    gpu.labeler = std::make_unique<RoundLabeler>();
    gpu.segment_ok = gpu.segment.init(error);
    gpu.cloud_ok = gpu.segment_ok && gpu.cloud.init(error);
    return gpu.segment_ok;
}

void shutdown_gpu(Gpu& gpu)
{
    gpu.labeler.reset();
    gpu.segment.clear();
    gpu.cloud.clear();
    gpu.original.reset();
    gpu.clustered.reset();
    gpu.compare_image.reset();
    gpu.imgui.shutdown();
}

void take(Gpu& gpu, ViewState& view, std::vector<Taken> taken)
{
    for (Taken& t : taken) {
        Output& out = t.output;
        if (t.compare) {
            gpu.compare_image.upload(out.display.rgba.data(), out.display.width, out.display.height);
            continue;
        }
        switch (out.kind) {
        case Output::Kind::failed:
            break;
        case Output::Kind::decoded:
            gpu.clustered.reset();
            fit(view.image);
            gpu.original.upload(out.display.rgba.data(), out.display.width, out.display.height);
            gpu.original_view = std::move(out.display.rgba);
            gpu.cloud.clear();
            break;
        case Output::Kind::clustered:
            gpu.clustered.upload(out.display.rgba.data(), out.display.width, out.display.height);
            gpu.view_width = out.display.width;
            gpu.view_height = out.display.height;
            gpu.labeler->reset(out.features,
                               std::make_shared<const std::vector<float>>(out.result->history_centroids),
                               out.result->k, out.result->d);
            gpu.shown_labels = -1;
            gpu.shown_palette = -1;
            gpu.segment.clear();
            gpu.segment.set_original(gpu.original.id());
            if (gpu.cloud_ok) {
                float lo[3];
                float hi[3];
                space_axes(out.params.space, lo, hi);
                gpu.cloud.set_points(*out.features, out.result->d, gpu.original_view, lo, hi);
            }
            // A large position run opens in the regions view; after that the user's choice stands.
            {
                const bool large = out.params.xy > 0.0f && out.result->k >= kRegionsFromK;
                view.regions = view.regions || (large && !view.large_position_run);
                view.large_position_run = large;
            }
            // A re-run while playing replays the new run; otherwise the final result shows.
            view.timeline.position = view.timeline.playing ? 0 : -1;
            break;
        }
    }
}

int last_position(const Document& doc)
{
    return doc.result ? 2 * doc.result->iterations : 0;
}

bool regions_shown(const ViewState& view, const Document& doc)
{
    return view.regions && doc.result && doc.result_params.xy > 0.0f;
}

int current_position(const ViewState& view, const Document& doc)
{
    const int last = last_position(doc);
    const int pos = view.timeline.position;
    return pos < 0 || pos > last ? last : pos;
}

void set_position(ViewState& view, const Document& doc, int position)
{
    view.timeline.position = std::clamp(position, 0, last_position(doc));
}

bool replay_shown(const Gpu& gpu, const ViewState& view, const Document& doc)
{
    const int pos = current_position(view, doc);
    return gpu.shown_labels == pos / 2 && gpu.shown_palette == (pos + 1) / 2;
}

void update_replay(Gpu& gpu, ViewState& view, const Document& doc, double dt)
{
    if (!doc.result || !gpu.segment_ok) {
        return;
    }
    const int last = last_position(doc);
    const int pos = current_position(view, doc);
    const int want_labels = pos / 2;
    const int want_palette = (pos + 1) / 2;
    if (want_labels != gpu.shown_labels) {
        if (auto labels = gpu.labeler->labels(want_labels)) {
            gpu.segment.set_labels(*labels, gpu.view_width, gpu.view_height);
            gpu.cloud.set_labels(*labels);
            gpu.shown_labels = want_labels;
        }
    }
    if (want_palette != gpu.shown_palette && gpu.shown_labels >= 0) {
        const std::vector<uint8_t> palette = history_palette(doc, want_palette);
        gpu.segment.set_palette(palette, doc.result->k);
        gpu.cloud.set_palette(palette, doc.result->k);
        gpu.cloud.set_centroids(doc.result->history_centroids, doc.result->k, doc.result->d, want_palette);
        gpu.shown_palette = want_palette;
    }
    Timeline& t = view.timeline;
    if (t.playing) {
        const bool ready = gpu.shown_labels == want_labels && gpu.shown_palette == want_palette;
        if (ready) {
            t.accumulated += dt * t.speed;
        }
        if (ready && t.accumulated >= 1.0) {
            t.accumulated = 0.0;
            if (pos >= last) {
                t.playing = false;
            } else {
                t.position = pos + 1;
            }
        }
    }
    gpu.segment.set_highlight(view.hover_label);
    gpu.segment.set_boundaries(regions_shown(view, doc) ? Boundaries::contrasting
                               : view.boundaries        ? Boundaries::white
                                                        : Boundaries::none);
    gpu.segment.render();
    gpu.cloud.set_highlight(view.hover_label);
    gpu.cloud.set_view(view.cloud_yaw, view.cloud_pitch, view.cloud_by_cluster);
    gpu.cloud.render(view.cloud_size);
}

} // namespace app
