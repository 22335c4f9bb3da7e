// The thread pool: every chunk runs exactly once, chunk boundaries ignore the thread count.
#include "core/thread_pool.h"

#include <atomic>
#include <vector>

#include <catch2/catch.hpp>

TEST_CASE("parallel_for visits every index once, with any number of threads", "[thread_pool]")
{
    for (int threads : {0, 1, 2, 7}) {
        core::ThreadPool pool(threads);
        CHECK(pool.threads() == (threads > 1 ? threads : 1));
        for (size_t n : {size_t{0}, size_t{1}, size_t{999}, size_t{100000}}) {
            std::vector<std::atomic<int>> hits(n);
            std::vector<std::pair<size_t, size_t>> chunks(core::ThreadPool::chunk_count(0, n, 256));
            pool.parallel_for(0, n, 256, [&](size_t c, size_t b, size_t e) {
                chunks[c] = {b, e};
                for (size_t i = b; i < e; ++i) {
                    hits[i].fetch_add(1);
                }
            });
            for (size_t i = 0; i < n; ++i) {
                REQUIRE(hits[i].load() == 1);
            }
            for (size_t c = 0; c < chunks.size(); ++c) {
                CHECK(chunks[c].first == c * 256);
                CHECK(chunks[c].second == std::min(n, (c + 1) * 256));
            }
        }
    }
}

TEST_CASE("the pool survives many calls in a row", "[thread_pool]")
{
    core::ThreadPool pool(3);
    std::atomic<long> total{0};
    for (int round = 0; round < 2000; ++round) {
        pool.parallel_for(0, 64, 8, [&](size_t, size_t b, size_t e) {
            total.fetch_add(static_cast<long>(e - b));
        });
    }
    CHECK(total.load() == 2000L * 64);
}
