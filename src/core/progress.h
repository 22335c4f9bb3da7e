// Shared between a running job and whoever watches it (the UI frame, the CLI's progress bar):
// plain atomics, so reading progress never waits for the work.
#pragma once

#include <atomic>

namespace core {

struct Progress {
    /// 0..1, how far the current job is (rough: rounds are unknown in advance).
    std::atomic<float> fraction{0.0f};
    /// Rounds of Lloyd's algorithm finished so far in the current run.
    std::atomic<int> round{0};
    /// Set by the watcher; the job stops at the next check and reports itself cancelled.
    std::atomic<bool> cancel{false};
};

/// Whether the watcher asked the job to stop (false when there is no watcher).
inline bool cancelled(const Progress* progress)
{
    return progress && progress->cancel.load(std::memory_order_relaxed);
}

/// Reports how far the job is, when someone watches.
inline void set_fraction(Progress* progress, double f)
{
    if (progress) {
        progress->fraction.store(static_cast<float>(f), std::memory_order_relaxed);
    }
}

} // namespace core
