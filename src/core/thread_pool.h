// A fixed pool of worker threads with one primitive, parallel_for over fixed-size chunks.
// Chunk boundaries depend only on the caller's grain, never on the thread count, so code
// that merges per-chunk results in chunk order gives the same answer on 1, 2 or 16 threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace core {

class ThreadPool {
public:
    /// threads: total threads that work in parallel_for, the calling thread included;
    /// 0 or 1 means serial (no worker threads are started), as is any count when
    /// threads_available() is false.
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    /// Threads that share the work of parallel_for (at least 1).
    int threads() const { return static_cast<int>(m_workers.size()) + 1; }

    /// Calls fn(chunk_index, chunk_begin, chunk_end) for every chunk
    /// [begin + i * grain, min(end, begin + (i + 1) * grain)), on any thread, and returns when
    /// all are done. One parallel_for at a time per pool; fn must not call parallel_for.
    void parallel_for(size_t begin, size_t end, size_t grain,
                      const std::function<void(size_t, size_t, size_t)>& fn);

    /// Number of chunks parallel_for makes for this range and grain.
    static size_t chunk_count(size_t begin, size_t end, size_t grain)
    {
        return end > begin ? (end - begin + grain - 1) / grain : 0;
    }

    /// The machine's hardware threads (at least 1; 1 when threads_available() is false).
    static int hardware_threads();

    /// Whether this build can start threads at all. False in the browser's single-threaded build
    /// (wasm without pthreads, for pages that are not cross-origin isolated): there std::thread
    /// cannot start, so the pool runs serially and the app does its background work in steps
    /// between frames instead.
    static constexpr bool threads_available()
    {
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
        return false;
#else
        return true;
#endif
    }

private:
    void worker_loop();
    void run_chunks();

    std::vector<std::thread> m_workers;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    uint64_t m_generation = 0;
    bool m_stop = false;
    int m_pending = 0;

    std::mutex m_call_mutex;
    const std::function<void(size_t, size_t, size_t)>* m_fn = nullptr;
    size_t m_begin = 0;
    size_t m_end = 0;
    size_t m_grain = 1;
    size_t m_chunks = 0;
    std::atomic<size_t> m_next{0};
};

/// pool->parallel_for when a pool is given, else the same chunks in turn on this thread: for
/// work that callers run with or without a pool.
void for_chunks(ThreadPool* pool, size_t begin, size_t end, size_t grain,
                const std::function<void(size_t, size_t, size_t)>& fn);

} // namespace core
