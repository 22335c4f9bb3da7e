// The worker's thread, and the same steps on the caller's thread where there is none. The cancel
// flag is set by submit/cancel and cleared when a job starts, both under the lock, so a job never
// starts already cancelled by the one it replaced.
#include "worker.h"

#include <utility>

namespace core {

Worker::Worker(bool with_thread)
{
    if (with_thread) {
        m_thread = std::thread([this] { loop(); });
    }
}

Worker::~Worker()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
        m_progress.cancel = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void Worker::submit(Job job)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_job = std::move(job);
    m_has_job = true;
    m_started = false;
    ++m_generation;
    m_progress.cancel = true;
    m_wake.notify_all();
}

void Worker::cancel()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_job = nullptr;
    m_has_job = false;
    ++m_generation;
    m_progress.cancel = true;
}

bool Worker::busy() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_has_job || m_running;
}

bool Worker::queued() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_has_job && !m_started;
}

Worker::Job Worker::start_locked()
{
    if (!m_started) {
        m_started = true;
        m_progress.cancel = false;
        m_progress.fraction = 0.0f;
        m_progress.round = 0;
    }
    m_running = true;
    // NOTE: a moved-from std::function is unspecified (libc++, the wasm build's, can leave it
    // holding its target, and with it what the job captured), so it is emptied explicitly.
    Job job = std::move(m_job);
    m_job = nullptr;
    return job;
}

void Worker::loop()
{
    for (;;) {
        Job job;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_has_job; });
            if (m_stop) {
                return;
            }
            job = start_locked();
            m_has_job = false;
        }
        while (job(m_progress) && !cancelled(&m_progress)) {
        }
        job = nullptr; // what the job holds goes before the worker says it is idle
        std::lock_guard<std::mutex> lock(m_mutex);
        m_running = false;
    }
}

void Worker::step()
{
    Job job;
    uint64_t generation = 0;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (threaded() || !m_has_job) {
            return;
        }
        job = start_locked();
        generation = m_generation;
    }
    const bool more = job(m_progress) && !cancelled(&m_progress);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_running = false;
    if (generation == m_generation) {
        // Neither replaced nor cancelled during the step: the job stays for the next step, or
        // is done.
        m_has_job = more;
        if (more) {
            m_job = std::move(job);
        }
    }
}

} // namespace core
