// The labeler's thread: one request at a time, a cache of the last few so that stepping back and
// forth between neighbouring rounds is instant.
#include "rounds.h"

#include "core/kmeans.h"
#include "core/thread_pool.h"

namespace app {
namespace {
constexpr size_t kCacheSize = 8;
}

RoundLabeler::RoundLabeler()
{
    if (core::ThreadPool::threads_available()) {
        m_thread = std::thread([this] { loop(); });
    }
}

RoundLabeler::~RoundLabeler()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void RoundLabeler::reset(std::shared_ptr<const std::vector<float>> features,
                         std::shared_ptr<const std::vector<float>> centroids, int k, int d)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_features = std::move(features);
    m_centroids = std::move(centroids);
    m_k = k;
    m_d = d;
    m_wanted = -1;
    m_cache.clear();
    ++m_generation;
}

std::shared_ptr<const std::vector<uint16_t>> RoundLabeler::labels(int j)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    for (const Entry& e : m_cache) {
        if (e.j == j) {
            return e.labels;
        }
    }
    if (!m_thread.joinable()) {
        auto labels = compute(m_features.get(), m_centroids.get(), j, m_k, m_d);
        remember(j, labels);
        return labels;
    }
    if (m_wanted != j) {
        m_wanted = j;
        m_wake.notify_all();
    }
    return nullptr;
}

std::shared_ptr<const std::vector<uint16_t>> RoundLabeler::compute(const std::vector<float>* features,
                                                                   const std::vector<float>* centroids,
                                                                   int j, int k, int d)
{
    auto labels = std::make_shared<std::vector<uint16_t>>();
    const size_t kd = static_cast<size_t>(k) * d;
    if (features && centroids && d > 0 && j >= 0 && (static_cast<size_t>(j) + 1) * kd <= centroids->size()) {
        const size_t n = features->size() / d;
        labels->resize(n);
        std::vector<float> dist(n);
        core::assign_nearest(features->data(), n, d, centroids->data() + j * kd, k, labels->data(),
                             dist.data());
    }
    return labels;
}

void RoundLabeler::remember(int j, std::shared_ptr<const std::vector<uint16_t>> labels)
{
    if (m_cache.size() >= kCacheSize) {
        m_cache.erase(m_cache.begin());
    }
    m_cache.push_back({j, std::move(labels)});
}

void RoundLabeler::loop()
{
    for (;;) {
        std::shared_ptr<const std::vector<float>> features;
        std::shared_ptr<const std::vector<float>> centroids;
        int j = -1;
        int k = 0;
        int d = 0;
        uint64_t generation = 0;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_wanted >= 0; });
            if (m_stop) {
                return;
            }
            j = m_wanted;
            features = m_features;
            centroids = m_centroids;
            k = m_k;
            d = m_d;
            generation = m_generation;
        }
        auto labels = compute(features.get(), centroids.get(), j, k, d);
        std::lock_guard<std::mutex> lock(m_mutex);
        if (generation != m_generation) {
            continue; // a new run arrived meanwhile
        }
        remember(j, std::move(labels));
        if (m_wanted == j) {
            m_wanted = -1;
        }
    }
}

} // namespace app
