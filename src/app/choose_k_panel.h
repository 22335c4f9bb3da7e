// The "Choose k" window: a sweep of k (inertia, silhouette, gap against k, each with its suggested
// k), the k-grid of recoloured thumbnails, and random vs k-means++ starts over seeds. All of it is
// computed on a core::Worker, with the runner's pool, so frames never wait; a click on a
// point, a suggestion or a thumbnail sets k and re-runs the clustering.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/choose_k.h"
#include "core/k_gallery.h"
#include "core/worker.h"
#include "texture.h"

namespace app {

struct AppState;

/// What one request computes; a new request cancels the running one.
struct ChooseKJob {
    std::shared_ptr<const core::Image> image;
    core::ClusterParams params;
    int k_lo = 2;
    int k_hi = 16;
    int grid_lo = 2;
    int grid_hi = 10;
    int runs = 10;
    bool sweep = false;
    bool grid = false;
    bool inits = false;
};

/// The worker and what it found. The frame calls collect() to move finished results in.
class ChooseK {
public:
    explicit ChooseK(core::ThreadPool& pool);
    ChooseK(const ChooseK&) = delete;
    ChooseK& operator=(const ChooseK&) = delete;

    void submit(ChooseKJob job);
    void cancel();
    /// Moves finished results into the public fields below; call once a frame.
    void collect();
    /// Work is queued, running, or finished but not yet collected.
    bool busy() const;
    /// 0..1 of the current task, and its name ("sweep", "grid", "inits").
    float fraction() const { return m_worker.progress().fraction.load(); }
    const char* task() const;

    /// UI state: the window, the range edited, the number of seeds.
    bool open = false;
    int k_lo = 2;
    int k_hi = 16;
    int runs = 10;
    std::string note;

    /// The last results and the image they were computed for.
    std::shared_ptr<const core::Image> image;
    core::ClusterParams params;
    bool has_sweep = false;
    core::SweepResult sweep;
    double sweep_seconds = 0.0;
    bool has_grid = false;
    core::KGrid grid;
    core::GridLayout grid_layout;
    Texture grid_texture;
    bool grid_uploaded = false;
    bool has_inits = false;
    core::InitComparison inits;
    double inits_seconds = 0.0;

    /// Where things were drawn last frame (screen pixels), for the test hook: x0, y0, x1, y1.
    float run_rect[4] = {0, 0, 0, 0};
    float inits_rect[4] = {0, 0, 0, 0};
    /// All zero when no work is under way (the Cancel button is not shown).
    float cancel_rect[4] = {0, 0, 0, 0};
    /// Suggested points: elbow, silhouette, gap (x, y).
    float suggested_at[3][2] = {{0, 0}, {0, 0}, {0, 0}};
    std::vector<float> tile_rects;

private:
    /// The job, on the worker; its results wait in m_done unless a newer job superseded it.
    void run(const ChooseKJob& job, core::Progress& progress);

    core::ThreadPool& m_pool;
    std::atomic<int> m_task{0};
    /// Guards m_done.
    mutable std::mutex m_mutex;

    /// Finished, waiting for collect().
    struct Done {
        bool sweep = false;
        bool grid = false;
        bool inits = false;
        bool cancelled = false;
        std::shared_ptr<const core::Image> image;
        core::ClusterParams params;
        core::SweepResult sweep_result;
        double sweep_seconds = 0.0;
        core::KGrid grid_result;
        core::InitComparison inits_result;
        double inits_seconds = 0.0;
    };
    bool m_has_done = false;
    Done m_done;
    /// Last, so that its thread stops before the rest goes.
    core::Worker m_worker;
};

/// Opens or closes the window.
void toggle_choose_k(AppState& state);

/// The window, when open; also collects finished work. Call every frame, inside the frame.
void choose_k_window(AppState& state);

/// The test hook's view of the window: results in the stats JSON's words and where the
/// buttons, suggestions and thumbnails are on screen.
std::string choose_k_json(const AppState& state);

} // namespace app
