// ThreadPool: workers sleep on a condition variable between calls; within a call, threads take
// chunk indices from one atomic counter, so a slow thread never holds up a fixed share.
#include "thread_pool.h"

namespace core {

ThreadPool::ThreadPool(int threads)
{
    if (!threads_available()) {
        return;
    }
    for (int i = 1; i < threads; ++i) {
        m_workers.emplace_back([this] { worker_loop(); });
    }
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    for (std::thread& t : m_workers) {
        t.join();
    }
}

int ThreadPool::hardware_threads()
{
    if (!threads_available()) {
        return 1;
    }
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

void ThreadPool::run_chunks()
{
    for (;;) {
        const size_t chunk = m_next.fetch_add(1, std::memory_order_relaxed);
        if (chunk >= m_chunks) {
            return;
        }
        const size_t b = m_begin + chunk * m_grain;
        const size_t e = b + m_grain < m_end ? b + m_grain : m_end;
        (*m_fn)(chunk, b, e);
    }
}

void ThreadPool::worker_loop()
{
    uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_generation != seen; });
            if (m_stop) {
                return;
            }
            seen = m_generation;
        }
        run_chunks();
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            --m_pending;
        }
        m_done.notify_all();
    }
}

void ThreadPool::parallel_for(size_t begin, size_t end, size_t grain,
                              const std::function<void(size_t, size_t, size_t)>& fn)
{
    if (grain == 0) {
        grain = 1;
    }
    const size_t chunks = chunk_count(begin, end, grain);
    if (chunks == 0) {
        return;
    }
    if (m_workers.empty() || chunks == 1) {
        for (size_t c = 0; c < chunks; ++c) {
            const size_t b = begin + c * grain;
            fn(c, b, b + grain < end ? b + grain : end);
        }
        return;
    }
    std::lock_guard<std::mutex> call_lock(m_call_mutex);
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_fn = &fn;
        m_begin = begin;
        m_end = end;
        m_grain = grain;
        m_chunks = chunks;
        m_next.store(0, std::memory_order_relaxed);
        m_pending = static_cast<int>(m_workers.size());
        ++m_generation;
    }
    m_wake.notify_all();
    run_chunks();
    // Every worker checks in for every call (a late one finds no chunk left and leaves at once),
    // so no worker is still inside this call when the next one changes the shared fields.
    std::unique_lock<std::mutex> lock(m_mutex);
    m_done.wait(lock, [&] { return m_pending == 0; });
    m_fn = nullptr;
}

void for_chunks(ThreadPool* pool, size_t begin, size_t end, size_t grain,
                const std::function<void(size_t, size_t, size_t)>& fn)
{
    if (pool != nullptr) {
        pool->parallel_for(begin, end, grain, fn);
        return;
    }
    grain = grain == 0 ? 1 : grain;
    for (size_t c = 0; c < ThreadPool::chunk_count(begin, end, grain); ++c) {
        const size_t b = begin + c * grain;
        fn(c, b, b + grain < end ? b + grain : end);
    }
}

} // namespace core
