// The runner's job: decode, show, cluster, show, as steps of one worker job. A large JPEG first
// gives a working copy decoded at a DCT scale and its result, then the full-size decode and the
// final result (clustered as any full image is, so the same as without the first one).
// Cancellation goes through core::Progress, which the engine checks every few thousand points.
// Without threads, the worker runs one step per take_outputs() call.
#include "runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>

#include "core/features.h"

namespace app {
namespace {

/// Bytes per pixel decoding needs at its peak (the decoder's buffer, the image, an upright copy:
/// 12) and clustering then (features of up to 5 floats, labels, distances, bounds, the clustered
/// render: about 40), estimated from the buffers each stage holds, rounded up.
constexpr size_t kDecodeBytesPerPixel = 16;
constexpr size_t kClusterBytesPerPixel = 48;

/// Whether bytes can be allocated now. In wasm, memory grows on demand and never shrinks, so once
/// this succeeds the work that follows finds the memory; when growing fails (the browser's limit,
/// or 4 GB) it says so here instead of in the middle of the engine, where a failed allocation
/// cannot be caught (no C++ exception catching in the wasm build).
bool memory_available(size_t bytes)
{
    // NOTE: through a volatile pointer, or clang removes the unused malloc/free pair and takes the
    // allocation as successful (seen: the check always passed).
    void* volatile p = std::malloc(bytes);
    std::free(p);
    return p != nullptr;
}

/// An emergency reserve for a failed allocation in the middle of a stage (the estimates above
/// are estimates): the new-handler lets it go, so the allocation is retried and succeeds, and
/// marks the stage, whose output is then dropped for a message. Without it a failed operator new
/// aborts the wasm runtime (no exception catching there). Taken again before every stage.
constexpr size_t kReserveBytes = size_t{64} << 20;
std::atomic<void*> g_reserve{nullptr};
std::atomic<bool> g_out_of_memory{false};

void release_reserve()
{
    if (void* reserve = g_reserve.exchange(nullptr)) {
        std::free(reserve);
        g_out_of_memory = true;
    } else {
        // Nothing left to give: the next failure ends as it would have without us.
        std::set_new_handler(nullptr);
    }
}

/// Takes the reserve (again); false when even that cannot be had.
bool refill_reserve()
{
    if (g_reserve.load() == nullptr) {
        void* reserve = std::malloc(kReserveBytes);
        if (!reserve) {
            return false;
        }
        if (void* other = g_reserve.exchange(reserve)) {
            std::free(other);
        }
    }
    std::set_new_handler(release_reserve);
    return true;
}

std::string no_memory_message(const std::string& name, int width, int height, const char* what)
{
    return (name.empty() ? std::string() : name + ": ") + "Not enough memory to " + what + " this " +
        std::to_string(width) + " x " + std::to_string(height) +
        " image (kpix could not get more). Close other tabs or programs, or try a smaller photo.";
}

} // namespace

Runner::Runner()
    : m_pool(core::ThreadPool::hardware_threads())
{
    refill_reserve();
}

uint64_t Runner::submit(Job job)
{
    uint64_t id = 0;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        id = m_next_id++;
    }
    // The job's state lives across its steps: a decoded job keeps its image and no bytes.
    auto run = std::make_shared<Run>();
    run->job = std::move(job);
    run->stage = first_stage(run->job);
    m_worker.submit([this, id, run](core::Progress& progress) { return step(id, *run, progress); });
    return id;
}

Runner::Stage Runner::first_stage(const Job& job)
{
    if (job.pixels) {
        return Stage::decode;
    }
    if (!job.bytes) {
        return Stage::cluster;
    }
    if (job.working_copy) {
        return Stage::cluster_first;
    }
    const bool scaled = job.first_result && job.params.work_pixels > 0 &&
        core::working_copy_scale(job.bytes->data(), job.bytes->size(), job.params.work_pixels) > 1;
    return scaled ? Stage::decode_first : Stage::decode;
}

bool Runner::step(uint64_t id, Run& run, core::Progress& progress)
{
    switch (run.stage) {
    case Stage::decode_first:
        run.stage = Stage::cluster_first;
        return decode_first(id, run);
    case Stage::cluster_first:
        run.stage = Stage::decode;
        return cluster(id, run, true, progress);
    case Stage::decode:
        run.stage = Stage::cluster;
        // A first result's clustering is over: the bar starts again for the full size.
        progress.fraction = 0.0f;
        progress.round = 0;
        return decode(id, run);
    case Stage::cluster:
        cluster(id, run, false, progress);
        return false;
    }
    return false;
}

void Runner::cancel()
{
    m_worker.cancel();
}

std::vector<Output> Runner::take_outputs()
{
    m_worker.step();
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Output> out;
    out.swap(m_outputs);
    return out;
}

void Runner::fail(uint64_t id, const std::string& name, std::string error)
{
    Output out;
    out.job_id = id;
    out.name = name;
    out.kind = Output::Kind::failed;
    out.error = std::move(error);
    post(std::move(out));
}

void Runner::post(Output output)
{
    if (g_out_of_memory.exchange(false)) {
        // The stage only finished on the reserve: its output is dropped (freeing it), and the
        // user told.
        const int width = output.image ? output.image->width : 0;
        const int height = output.image ? output.image->height : 0;
        Output failed;
        failed.job_id = output.job_id;
        failed.kind = Output::Kind::failed;
        failed.name = output.name;
        output = std::move(failed);
        output.error = width > 0 ? no_memory_message(output.name, width, height, "process")
                                 : (output.name.empty() ? "" : output.name + ": ") +
                std::string("Not enough memory to open this image (kpix could not get more). Close "
                            "other tabs or programs, or try a smaller photo.");
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    m_outputs.push_back(std::move(output));
}

bool Runner::decode_first(uint64_t id, Run& run)
{
    Job& job = run.job;
    const auto t0 = std::chrono::steady_clock::now();
    refill_reserve();
    core::DecodeOptions options;
    options.max_pixels = job.params.work_pixels;
    options.pool = &m_pool;
    core::DecodeResult decoded = core::decode_image(job.bytes->data(), job.bytes->size(), options);
    if (!decoded.ok) {
        fail(id, job.name, job.name.empty() ? decoded.error : job.name + ": " + decoded.error);
        return false;
    }
    Output out;
    out.job_id = id;
    out.name = job.name;
    out.kind = Output::Kind::decoded;
    out.first = true;
    out.seconds_decode = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.decode_notes = decoded;
    out.full_width = decoded.full_width;
    out.full_height = decoded.full_height;
    auto image = std::make_shared<const core::Image>(std::move(decoded.image));
    out.display = make_display(image->rgba.data(), image->width, image->height);
    out.image = image;
    out.bytes = job.bytes;
    job.working_copy = image;
    post(std::move(out));
    return true;
}

bool Runner::decode(uint64_t id, Run& run)
{
    Job& job = run.job;
    const auto t0 = std::chrono::steady_clock::now();
    core::DecodeResult decoded;
    refill_reserve();
    if (job.pixels) {
        if (job.pixels->pixels() > core::kMaxPixels) {
            decoded.error = "The image is " + std::to_string(job.pixels->width) + " x " +
                std::to_string(job.pixels->height) + " pixels; kpix opens images up to " +
                std::to_string(core::kMaxPixels / 1'000'000) + " megapixels.";
        } else {
            decoded.ok = true;
            decoded.image = std::move(*job.pixels);
        }
        job.pixels.reset();
    } else {
        // The size from the header (every format, nothing decoded): an image there is no memory
        // for is refused before decoding (decode_image itself refuses one too large for kpix).
        const std::vector<uint8_t>& bytes = *job.bytes;
        const core::ImageInfo info = core::image_info(bytes.data(), bytes.size());
        if (info.ok && !memory_available(info.pixels() * kDecodeBytesPerPixel)) {
            decoded.error = no_memory_message("", info.width, info.height, "open");
        } else {
            core::DecodeOptions options;
            options.pool = &m_pool;
            decoded = core::decode_image(bytes.data(), bytes.size(), options);
        }
    }
    job.bytes.reset();
    if (!decoded.ok) {
        fail(id, job.name, job.name.empty() ? decoded.error : job.name + ": " + decoded.error);
        return false;
    }
    Output out;
    out.job_id = id;
    out.name = job.name;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto image = std::make_shared<const core::Image>(std::move(decoded.image));
    job.image = image;
    if (job.working_copy) {
        // A first result is shown: the full image comes with the final result, in one frame.
        job.working_copy.reset();
        run.replaces_first = true;
        run.seconds_decode = seconds;
        return true;
    }
    out.seconds_decode = seconds;
    out.decode_notes = decoded;
    out.full_width = image->width;
    out.full_height = image->height;
    out.kind = Output::Kind::decoded;
    out.display = make_display(image->rgba.data(), image->width, image->height);
    out.image = image;
    post(std::move(out));
    return true;
}

bool Runner::cluster(uint64_t id, Run& run, bool first, core::Progress& progress)
{
    const Job& job = run.job;
    const std::shared_ptr<const core::Image> image = first ? job.working_copy : job.image;
    if (!refill_reserve() || !memory_available(image->pixels() * kClusterBytesPerPixel)) {
        fail(id, job.name, no_memory_message(job.name, image->width, image->height, "cluster"));
        return false;
    }
    auto result = std::make_shared<core::ClusterResult>(core::cluster(*image, job.params, m_pool, &progress));
    if (result->cancelled) {
        return false;
    }
    Output out;
    out.job_id = id;
    out.name = job.name;
    out.params = job.params;
    out.first = first;
    if (result->k == 0) {
        fail(id, job.name, "Clustering failed: " + result->note);
        return false;
    }
    out.kind = Output::Kind::clustered;
    out.display = make_clustered_display(*result, *image);
    out.features = std::make_shared<const std::vector<float>>(
        core::view_features(*image, job.params, out.display.width, out.display.height));
    out.image = image;
    out.result = std::move(result);
    if (!first && run.replaces_first) {
        // Made only now, so that its 12 MB (12 MP) are not held through the clustering's peak.
        out.original = make_display(image->rgba.data(), image->width, image->height);
        out.seconds_decode = run.seconds_decode;
        out.full_width = image->width;
        out.full_height = image->height;
    }
    post(std::move(out));
    return true;
}

void display_size(int width, int height, int& out_w, int& out_h)
{
    const int longest = std::max(width, height);
    if (longest <= kMaxDisplaySide) {
        out_w = width;
        out_h = height;
        return;
    }
    const double scale = static_cast<double>(kMaxDisplaySide) / longest;
    out_w = std::max(1, static_cast<int>(width * scale));
    out_h = std::max(1, static_cast<int>(height * scale));
}

namespace {

/// The display copy of a width x height image whose pixel i is pixel(i, out) (4 bytes at out).
template <class Pixel>
DisplayImage display_of(int width, int height, Pixel pixel)
{
    DisplayImage d;
    display_size(width, height, d.width, d.height);
    d.rgba.resize(static_cast<size_t>(d.width) * d.height * 4);
    for (int y = 0; y < d.height; ++y) {
        for (int x = 0; x < d.width; ++x) {
            const size_t src = core::view_source_index(x, y, d.width, d.height, width, height);
            pixel(src, d.rgba.data() + (static_cast<size_t>(y) * d.width + x) * 4);
        }
    }
    return d;
}

} // namespace

DisplayImage make_display(const uint8_t* rgba, int width, int height)
{
    return display_of(width, height, [&](size_t src, uint8_t* out) { std::copy_n(rgba + src * 4, 4, out); });
}

DisplayImage make_clustered_display(const core::ClusterResult& result, const core::Image& image)
{
    return display_of(image.width, image.height, [&](size_t src, uint8_t* out) {
        std::copy_n(result.palette.data() + 3 * static_cast<size_t>(result.labels[src]), 3, out);
        out[3] = image.rgba[src * 4 + 3];
    });
}

} // namespace app
