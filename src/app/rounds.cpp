// The labeler's jobs: one request at a time on the worker (a newer one replaces a queued one), a
// cache of the last few so that stepping back and forth between neighbouring rounds is instant.
#include "rounds.h"

#include "core/kmeans.h"

namespace app {
namespace {
constexpr size_t kCacheSize = 8;
}

void RoundLabeler::reset(std::shared_ptr<const std::vector<float>> features,
                         std::shared_ptr<const std::vector<float>> centroids, int k, int d)
{
    m_worker.cancel(); // a queued request is for the old run; a running one is dropped when done
    std::lock_guard<std::mutex> lock(m_mutex);
    m_features = std::move(features);
    m_centroids = std::move(centroids);
    m_k = k;
    m_d = d;
    m_wanted = -1;
    m_cache.clear();
    ++m_generation;
}

std::shared_ptr<const std::vector<uint16_t>> RoundLabeler::cached_locked(int j) const
{
    for (const Entry& e : m_cache) {
        if (e.j == j) {
            return e.labels;
        }
    }
    return nullptr;
}

std::shared_ptr<const std::vector<uint16_t>> RoundLabeler::labels(int j)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (auto labels = cached_locked(j)) {
            return labels;
        }
        if (m_wanted == j) {
            return nullptr; // asked already, not ready yet
        }
        m_wanted = j;
        m_worker.submit([this, j, features = m_features, centroids = m_centroids, k = m_k, d = m_d,
                         generation = m_generation](core::Progress&) {
            auto labels = compute(features.get(), centroids.get(), j, k, d);
            std::lock_guard<std::mutex> lock(m_mutex);
            if (generation == m_generation) { // else a new run arrived meanwhile
                remember(j, std::move(labels));
                if (m_wanted == j) {
                    m_wanted = -1;
                }
            }
            return false;
        });
    }
    // Without a thread the request is answered here, at once; with one, this does nothing.
    m_worker.step();
    std::lock_guard<std::mutex> lock(m_mutex);
    return cached_locked(j);
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

} // namespace app
