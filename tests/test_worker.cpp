// The background worker: the latest job wins, cancel stops the running job and drops a queued one,
// progress starts afresh for each job, and without a thread the same jobs run step by step on the
// caller's thread (the single-threaded browser build's path).
#include "core/worker.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

namespace {

/// Waits (up to 10 s) until pred holds.
template <class Pred>
bool eventually(Pred pred)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!pred()) {
        if (std::chrono::steady_clock::now() > until) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

} // namespace

TEST_CASE("a worker runs the latest job: a queued one is replaced, the running one cancelled", "[worker]")
{
    core::Worker worker(true);
    REQUIRE(worker.threaded());
    std::atomic<bool> a_started{false};
    std::atomic<bool> release{false};
    std::atomic<bool> a_saw_cancel{false};
    std::atomic<bool> b_ran{false};
    std::atomic<bool> c_ran{false};
    std::atomic<bool> c_started_clean{false};
    worker.submit([&](core::Progress& p) {
        p.fraction = 0.5f;
        a_started = true;
        while (!release) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        a_saw_cancel = p.cancel.load();
        return true; // more to do, but cancelled: the worker stops it
    });
    REQUIRE(eventually([&] { return a_started.load(); }));
    CHECK(worker.progress().fraction.load() == 0.5f);
    worker.submit([&](core::Progress&) {
        b_ran = true;
        return false;
    });
    CHECK(worker.queued());
    worker.submit([&](core::Progress& p) {
        c_started_clean = !p.cancel.load() && p.fraction.load() == 0.0f;
        c_ran = true;
        return false;
    });
    release = true;
    REQUIRE(eventually([&] { return !worker.busy(); }));
    CHECK(a_saw_cancel);
    CHECK_FALSE(b_ran);
    CHECK(c_ran);
    CHECK(c_started_clean);
}

TEST_CASE("cancel stops the running job and drops the queued one", "[worker]")
{
    core::Worker worker(true);
    std::atomic<bool> started{false};
    std::atomic<int> steps{0};
    std::atomic<bool> queued_ran{false};
    worker.submit([&](core::Progress& p) {
        started = true;
        ++steps;
        // Holds until cancelled: a job that ignores cancel would hang the test here.
        while (!p.cancel) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return true;
    });
    REQUIRE(eventually([&] { return started.load(); }));
    CHECK(worker.busy());
    worker.cancel();
    REQUIRE(eventually([&] { return !worker.busy(); }));
    CHECK(steps == 1); // cancelled between steps: not called again

    std::atomic<bool> release{false};
    started = false;
    worker.submit([&](core::Progress&) {
        started = true;
        while (!release) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return false;
    });
    REQUIRE(eventually([&] { return started.load(); }));
    worker.submit([&](core::Progress&) {
        queued_ran = true;
        return false;
    });
    worker.cancel();
    release = true;
    REQUIRE(eventually([&] { return !worker.busy(); }));
    CHECK_FALSE(queued_ran);
}

TEST_CASE("a job's steps run until it says it is done", "[worker]")
{
    core::Worker worker(true);
    std::atomic<int> steps{0};
    worker.submit([&](core::Progress& p) {
        p.fraction = static_cast<float>(++steps) / 3.0f;
        return steps < 3;
    });
    REQUIRE(eventually([&] { return !worker.busy(); }));
    CHECK(steps == 3);
    CHECK(worker.progress().fraction.load() == 1.0f);
}

TEST_CASE("without a thread, jobs run one step per step() call on the caller's thread", "[worker]")
{
    core::Worker worker(false);
    CHECK_FALSE(worker.threaded());
    std::string log;
    const std::thread::id caller = std::this_thread::get_id();
    bool on_caller = true;
    auto job = [&](const std::string& name, int steps) {
        auto done = std::make_shared<int>(0);
        return [&, name, steps, done](core::Progress& p) {
            on_caller = on_caller && std::this_thread::get_id() == caller;
            CHECK_FALSE(p.cancel.load());
            log += name + std::to_string(++*done) + " ";
            return *done < steps;
        };
    };
    worker.step(); // nothing queued: nothing to do
    worker.submit(job("a", 3));
    CHECK(worker.busy());
    CHECK(log.empty()); // nothing runs before step()
    worker.step();
    worker.step();
    CHECK(log == "a1 a2 ");
    // A new job replaces the one part-way through its steps; it starts from its first step.
    worker.submit(job("b", 2));
    worker.step();
    worker.step();
    CHECK_FALSE(worker.busy());
    worker.step();
    CHECK(log == "a1 a2 b1 b2 ");
    // Cancel between steps drops the rest.
    worker.submit(job("c", 5));
    worker.step();
    worker.cancel();
    CHECK_FALSE(worker.busy());
    worker.step();
    CHECK(log == "a1 a2 b1 b2 c1 ");
    CHECK(on_caller);
}

TEST_CASE("a finished job lets go of what it holds, with or without a thread", "[worker]")
{
    // The runner's jobs hold a photo's bytes and pixels: a finished job must not keep them.
    for (bool with_thread : {true, false}) {
        INFO("with a thread: " << with_thread);
        core::Worker worker(with_thread);
        auto held = std::make_shared<int>(0);
        int steps = 0;
        worker.submit([held, &steps](core::Progress&) { return ++steps < 2; });
        REQUIRE(eventually([&] {
            worker.step();
            return !worker.busy();
        }));
        CHECK(steps == 2);
        CHECK(held.use_count() == 1);
    }
}
