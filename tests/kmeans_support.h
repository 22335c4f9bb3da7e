// Helpers shared by the k-means tests: two runs compared bit for bit.
#pragma once

#include <catch2/catch.hpp>

#include "core/kmeans.h"

namespace test {

/// Two runs are the same run: clusters, labels, centroids round by round, inertia, rounds, and
/// each round's inertia and changed weight, every bit.
inline void require_same_run(const core::KMeansResult& a, const core::KMeansResult& b)
{
    REQUIRE(a.k == b.k);
    CHECK(a.labels == b.labels);
    CHECK(a.centroids == b.centroids);
    CHECK(a.history_centroids == b.history_centroids);
    CHECK(a.inertia == b.inertia);
    CHECK(a.iterations == b.iterations);
    CHECK(a.converged == b.converged);
    REQUIRE(a.rounds.size() == b.rounds.size());
    for (size_t r = 0; r < a.rounds.size(); ++r) {
        CHECK(a.rounds[r].inertia == b.rounds[r].inertia);
        CHECK(a.rounds[r].changed == b.rounds[r].changed);
    }
}

} // namespace test
