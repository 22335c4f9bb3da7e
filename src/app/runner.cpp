// The runner's job: decode, show, cluster, show, as two steps of one worker job. Cancellation goes
// through core::Progress, which the engine checks every few thousand points. Without threads, the
// worker runs one step per take_outputs() call.
#include "runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>

#include "core/features.h"

// NOTE: stb is the core's decoder; the runner only asks it for a header's size (no decoding), to
// check there is memory for the image before the decoder and the engine allocate it.
#include <stb_image.h>

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
    // The job's state lives across its two steps: a decoded job keeps its image and no bytes.
    auto state = std::make_shared<Job>(std::move(job));
    m_worker.submit([this, id, state](core::Progress& progress) {
        if (needs_decode(*state)) {
            return decode(id, *state); // the clustering is the next step
        }
        cluster(id, *state, progress);
        return false;
    });
    return id;
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

bool Runner::decode(uint64_t id, Job& job)
{
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
        int w = 0;
        int h = 0;
        int channels = 0;
        const int len = job.bytes.size() > static_cast<size_t>(INT32_MAX) ? 0 : static_cast<int>(job.bytes.size());
        const size_t pixels = len > 0 && stbi_info_from_memory(job.bytes.data(), len, &w, &h, &channels) && w > 0 && h > 0
            ? static_cast<size_t>(w) * static_cast<size_t>(h) : 0;
        if (pixels > 0 && pixels <= core::kMaxPixels && !memory_available(pixels * kDecodeBytesPerPixel)) {
            decoded.error = no_memory_message("", w, h, "open");
        } else {
            decoded = core::decode_image(job.bytes.data(), job.bytes.size());
        }
    }
    job.bytes = {};
    Output out;
    out.job_id = id;
    out.name = job.name;
    if (!decoded.ok) {
        out.kind = Output::Kind::failed;
        out.error = job.name.empty() ? decoded.error : job.name + ": " + decoded.error;
        post(std::move(out));
        return false;
    }
    out.seconds_decode =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.decode_notes = decoded;
    auto image = std::make_shared<const core::Image>(std::move(decoded.image));
    out.kind = Output::Kind::decoded;
    out.display = make_display(image->rgba.data(), image->width, image->height);
    out.image = image;
    job.image = image;
    post(std::move(out));
    return true;
}

void Runner::cluster(uint64_t id, Job& job, core::Progress& progress)
{
    if (!refill_reserve() || !memory_available(job.image->pixels() * kClusterBytesPerPixel)) {
        Output out;
        out.job_id = id;
        out.name = job.name;
        out.kind = Output::Kind::failed;
        out.error = no_memory_message(job.name, job.image->width, job.image->height, "cluster");
        post(std::move(out));
        return;
    }
    auto result = std::make_shared<core::ClusterResult>(
        core::cluster(*job.image, job.params, m_pool, &progress));
    if (result->cancelled) {
        return;
    }
    Output out;
    out.job_id = id;
    out.name = job.name;
    out.params = job.params;
    if (result->k == 0) {
        out.kind = Output::Kind::failed;
        out.error = "Clustering failed: " + result->note;
    } else {
        const std::vector<uint8_t> clustered = core::render_clustered(*result, *job.image);
        out.kind = Output::Kind::clustered;
        out.display = make_display(clustered.data(), job.image->width, job.image->height);
        out.features = std::make_shared<const std::vector<float>>(
            core::view_features(*job.image, job.params, out.display.width, out.display.height));
        out.image = job.image;
        out.result = std::move(result);
    }
    post(std::move(out));
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

DisplayImage make_display(const uint8_t* rgba, int width, int height)
{
    DisplayImage d;
    display_size(width, height, d.width, d.height);
    d.rgba.resize(static_cast<size_t>(d.width) * d.height * 4);
    for (int y = 0; y < d.height; ++y) {
        for (int x = 0; x < d.width; ++x) {
            const size_t src = core::view_source_index(x, y, d.width, d.height, width, height);
            std::copy_n(rgba + src * 4, 4, d.rgba.data() + (static_cast<size_t>(y) * d.width + x) * 4);
        }
    }
    return d;
}

} // namespace app
