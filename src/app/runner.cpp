// The runner's thread: decode, show, cluster, show. Cancellation goes through core::Progress,
// which the engine checks every few thousand points.
#include "runner.h"

#include <algorithm>
#include <chrono>

#include "core/features.h"

namespace app {

Runner::Runner()
    : m_pool(core::ThreadPool::hardware_threads())
    , m_thread([this] { loop(); })
{
}

Runner::~Runner()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
        m_progress.cancel = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

uint64_t Runner::submit(Job job)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_job = std::move(job);
    m_has_job = true;
    m_job_id = m_next_id++;
    m_progress.cancel = true;
    m_wake.notify_all();
    return m_job_id;
}

void Runner::cancel()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_has_job = false;
    m_progress.cancel = true;
}

std::vector<Output> Runner::take_outputs()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Output> out;
    out.swap(m_outputs);
    return out;
}

void Runner::post(Output output)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_outputs.push_back(std::move(output));
}

void Runner::loop()
{
    for (;;) {
        Job job;
        uint64_t id = 0;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_has_job; });
            if (m_stop) {
                return;
            }
            job = std::move(m_job);
            m_has_job = false;
            id = m_job_id;
            m_progress.cancel = false;
            m_progress.fraction = 0.0f;
            m_progress.round = 0;
        }
        run(id, job);
    }
}

void Runner::run(uint64_t id, Job& job)
{
    if (!job.bytes.empty() || !job.image) {
        const auto t0 = std::chrono::steady_clock::now();
        core::DecodeResult decoded = core::decode_image(job.bytes.data(), job.bytes.size());
        job.bytes = {};
        Output out;
        out.job_id = id;
        out.name = job.name;
        if (!decoded.ok) {
            out.kind = Output::Kind::failed;
            out.error = job.name.empty() ? decoded.error : job.name + ": " + decoded.error;
            post(std::move(out));
            return;
        }
        out.seconds_decode =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        out.orientation = decoded.orientation;
        out.orientation_applied = decoded.orientation_applied;
        out.icc_profile = decoded.icc_profile;
        out.decode_note = decoded.note;
        auto image = std::make_shared<const core::Image>(std::move(decoded.image));
        out.kind = Output::Kind::decoded;
        out.display = make_display(image->rgba.data(), image->width, image->height);
        out.image = image;
        job.image = image;
        post(std::move(out));
    }
    if (m_progress.cancel) {
        return;
    }
    auto result = std::make_shared<core::ClusterResult>(
        core::cluster_image(*job.image, job.params, m_pool, &m_progress));
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
