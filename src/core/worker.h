// One background worker for every long job of the app and the CLI: a thread of its own that runs
// the latest job submitted (a new one replaces a queued one and cancels the running one), with a
// Progress the watcher reads. Where threads cannot start (the browser's single-threaded build),
// the same jobs run on the caller's thread, one step per step() call, between frames.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "progress.h"
#include "thread_pool.h"

namespace core {

class Worker {
public:
    /// One step of a job: does some work and returns whether there is more to do. The job is
    /// called again until it returns false or its Progress::cancel is set; a job that is one
    /// piece of work returns false. Progress starts at 0, not cancelled, for every job.
    using Job = std::function<bool(Progress&)>;

    /// Starts the thread where the build can; with_thread = false runs every job through step(),
    /// as the single-threaded build does (for tests of that path in any build).
    explicit Worker(bool with_thread = ThreadPool::threads_available());
    /// Cancels the running job and waits for it to stop.
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    /// Queues a job, replacing a queued one and cancelling the running one: the latest wins.
    void submit(Job job);
    /// Drops the queued job and cancels the running one.
    void cancel();
    /// Without a thread: one step of the queued job, here on the caller's thread (call it once
    /// per frame, so the frame before a step shows what the previous one gave). With a thread:
    /// nothing.
    void step();

    /// A job is queued, or running.
    bool busy() const;
    /// A job is queued and has not started (a running job asks this to know it was superseded).
    bool queued() const;
    /// Whether jobs run on a thread of the worker's own (false: step() runs them).
    bool threaded() const { return m_thread.joinable(); }
    /// The current job's progress (read-only use by the watcher).
    const Progress& progress() const { return m_progress; }

private:
    void loop();
    /// Marks the queued job as running and resets the progress; the lock must be held.
    Job start_locked();

    Progress m_progress;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    /// Queued (threaded), or queued or part-way through its steps (no thread).
    bool m_has_job = false;
    bool m_started = false;
    bool m_running = false;
    /// Counts submit() and cancel() calls: a step's job is kept only if neither came meanwhile.
    uint64_t m_generation = 0;
    Job m_job;
    std::thread m_thread;
};

} // namespace core
