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
    /// Bytes of a file to decode first; null to re-cluster the current image.
    std::shared_ptr<const std::vector<uint8_t>> bytes;
    /// Or pixels decoded elsewhere (the browser's own decoder, for WebP and AVIF, which stb cannot
    /// read): they go through the decoded stage like a file's, so the app shows them first.
    std::shared_ptr<core::Image> pixels;
    std::string name;
    /// The image to cluster when there are no bytes.
    std::shared_ptr<const core::Image> image;
    /// With bytes: show a first result from a working copy decoded at a DCT scale (1/2, 1/4,
    /// 1/8) when the file allows one (core::working_copy_scale > 1), then decode and cluster the
    /// full size in the same job.
    bool first_result = false;
    /// With bytes: that working copy, already decoded (a re-run before the full size arrived):
    /// it is clustered first, then the bytes give the full size.
    std::shared_ptr<const core::Image> working_copy;
    /// With params.work_pixels, the app's working resolution (kDefaultWorkPixels unless changed).
    core::ClusterParams params;
};

struct Output {
    uint64_t job_id = 0;
    enum class Kind { decoded, clustered, failed } kind = Kind::failed;
    /// decoded and clustered: of the DCT-scaled working copy (the first result); the full size
    /// follows in the same job.
    bool first = false;
    std::string name;
    std::string error;
    /// decoded: the image (with first, the working copy) and its display copy.
    std::shared_ptr<const core::Image> image;
    DisplayImage display;
    /// decoded with first: the file, for a re-run to reach the full size.
    std::shared_ptr<const std::vector<uint8_t>> bytes;
    /// decoded: the photo's full size, upright (the image's own size unless first).
    int full_width = 0;
    int full_height = 0;
    double seconds_decode = 0.0;
    /// decoded: what decoding did (orientation, colour profile, notes).
    core::DecodeNotes decode_notes;
    /// clustered: the result, the clustered display copy, and the engine's features of the
    /// display's pixels (display.width * display.height * result->d), for replaying rounds.
    std::shared_ptr<const core::ClusterResult> result;
    std::shared_ptr<const std::vector<float>> features;
    core::ClusterParams params;
    /// clustered after a first result: the full-size image's display copy (image is then the full
    /// image, decoded in this job and not posted on its own, so the view changes in one frame),
    /// and the full decode's time.
    DisplayImage original;
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
    /// next stage (a decode, or a clustering) on the calling thread: call it once per frame, so the frame
    /// before a stage shows what the previous one gave.
    std::vector<Output> take_outputs();
    /// The running job's progress (read-only use by the UI).
    const core::Progress& progress() const { return m_worker.progress(); }
    int threads() const { return m_pool.threads(); }
    /// The pool, for other background work (its parallel_for takes one caller at a time).
    core::ThreadPool& pool() { return m_pool; }

private:
    /// The steps of a job, in order; a job starts at the first one it needs.
    enum class Stage { decode_first, cluster_first, decode, cluster };
    /// A job and how far it is.
    struct Run {
        Job job;
        Stage stage = Stage::cluster;
        /// After a first result: the full image, decoded in this job, is posted with the final
        /// result (with its decode time).
        bool replaces_first = false;
        double seconds_decode = 0.0;
    };
    static Stage first_stage(const Job& job);
    /// Runs the job's current stage; whether there is more to do.
    bool step(uint64_t id, Run& run, core::Progress& progress);
    /// Decodes the DCT-scaled working copy into job.working_copy and posts it as the first
    /// decoded output; false on error.
    bool decode_first(uint64_t id, Run& run);
    /// Decodes job.bytes (or takes job.pixels) into job.image, posting the decoded image (after a
    /// first result, kept for the final output instead) or the error; false on error.
    bool decode(uint64_t id, Run& run);
    /// Clusters image (job.working_copy with first, else job.image) and posts the result; false
    /// when cancelled or failed.
    bool cluster(uint64_t id, Run& run, bool first, core::Progress& progress);
    void post(Output output);
    /// Posts a failed output of job id with the message the user reads.
    void fail(uint64_t id, const std::string& name, std::string error);

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
/// make_display of core::render_clustered(result, image), without the full-size render (a 12 MP
/// photo's would take 48 MB only to be sampled down).
DisplayImage make_clustered_display(const core::ClusterResult& result, const core::Image& image);

} // namespace app
