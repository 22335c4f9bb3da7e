// Decoding and clustering on a core::Worker, so a frame never waits for either. A new job
// replaces a queued one and cancels the running one; finished work is handed back as Outputs that
// the frame collects with a lock held only to move them out. Where threads cannot start (the
// browser's single-threaded build), take_outputs() does the work itself, one stage per frame.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/cluster.h"
#include "core/image.h"
#include "core/progress.h"
#include "core/thread_pool.h"
#include "core/work_resolution.h"
#include "core/worker.h"

namespace app {

/// An image ready to show: RGBA8, at most kMaxDisplaySide on its longest side.
struct DisplayImage {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgba;
};

/// Views are at most this many pixels on their longest side: enough for a 4K screen's half, and
/// small enough (<= 4 MP) that any round's labels are recomputed within a frame or two.
constexpr int kMaxDisplaySide = 2048;

struct Job {
    /// Bytes of a file to decode first; empty to re-cluster the current image.
    std::vector<uint8_t> bytes;
    /// Or pixels decoded elsewhere (the browser's own decoder, for WebP and AVIF, which stb cannot
    /// read): they go through the decoded stage like a file's, so the app shows them first.
    std::shared_ptr<core::Image> pixels;
    std::string name;
    /// The image to cluster when bytes is empty.
    std::shared_ptr<const core::Image> image;
    /// With params.work_pixels, the app's working resolution (kDefaultWorkPixels unless changed).
    core::ClusterParams params;
};

struct Output {
    uint64_t job_id = 0;
    enum class Kind { decoded, clustered, failed } kind = Kind::failed;
    std::string name;
    std::string error;
    /// decoded: the full image and its display copy.
    std::shared_ptr<const core::Image> image;
    DisplayImage display;
    double seconds_decode = 0.0;
    /// decoded: what decoding did (orientation, colour profile, notes).
    core::DecodeNotes decode_notes;
    /// clustered: the result, the clustered display copy, and the engine's features of the
    /// display's pixels (display.width * display.height * result->d), for replaying rounds.
    std::shared_ptr<const core::ClusterResult> result;
    std::shared_ptr<const std::vector<float>> features;
    core::ClusterParams params;
};

class Runner {
public:
    Runner();
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    /// Queues a job (replacing any queued one, cancelling the running one); returns its id.
    uint64_t submit(Job job);
    /// Cancels whatever runs or waits.
    void cancel();
    /// Moves finished outputs out (oldest first). Without threads, first runs the queued job's
    /// next stage (decode, or cluster) on the calling thread: call it once per frame, so the frame
    /// before a stage shows what the previous one gave.
    std::vector<Output> take_outputs();
    /// The running job's progress (read-only use by the UI).
    const core::Progress& progress() const { return m_worker.progress(); }
    int threads() const { return m_pool.threads(); }
    /// The pool, for other background work (its parallel_for takes one caller at a time).
    core::ThreadPool& pool() { return m_pool; }

private:
    /// Whether the job starts with a decode (bytes or pixels to show), not a re-cluster.
    static bool needs_decode(const Job& job) { return !job.bytes.empty() || job.pixels || !job.image; }
    /// Decodes job.bytes (or takes job.pixels) into job.image, posting the decoded image or the
    /// error; false on error.
    bool decode(uint64_t id, Job& job);
    /// Clusters job.image and posts the result (nothing when cancelled).
    void cluster(uint64_t id, Job& job, core::Progress& progress);
    void post(Output output);

    core::ThreadPool m_pool;
    /// Guards the outputs and the ids.
    std::mutex m_mutex;
    uint64_t m_next_id = 1;
    std::vector<Output> m_outputs;
    /// Last, so that its thread stops before the rest goes.
    core::Worker m_worker;
};

/// The size of the view of a width x height image (fits kMaxDisplaySide, aspect kept).
void display_size(int width, int height, int& out_w, int& out_h);
/// A copy that fits kMaxDisplaySide (nearest neighbour, so clustered colours stay exact).
DisplayImage make_display(const uint8_t* rgba, int width, int height);

} // namespace app
