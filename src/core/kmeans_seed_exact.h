// Greedy k-means++ at large k with exact, order-free potentials (kmeans_seed_exact.cpp): what
// kmeans_seeding.cpp calls once it has drawn the first centre.
#pragma once

#include <cstddef>
#include <vector>

#include "kmeans_internal.h"

namespace core::detail {

/// The smallest k whose k-means++ runs init_kmeanspp_exact (below it, kmeans_seeding.cpp's
/// ordered double sums, whose bits every small-k result and fixture was recorded with).
constexpr int kExactSeedMinK = 64;

/// Greedy k-means++ from the first centre (centroids[0 .. d), the point first) on: trials draws
/// per centre, the trial leaving the lowest potential wins. Potentials are exact integers:
/// every point's mass weight * closest is counted in units of 2^-s, s fixed once by the largest
/// mass after the first centre, rounded once to nearest (ExactSum<0> of the mass times 2^s), so a
/// potential has the same bits whatever order or grouping sums it. A draw takes the first point,
/// in index order, whose running sum of those units passes uniform * total.
///
/// tiled (k-means++ with pruning): points sorted into tiles compact in space (the last two axes,
/// position, when d >= 4; every axis when d <= 3, colours), each with its bounding box in every
/// axis and the largest closest in it;
/// a trial's potential is total - sum over the points it brings nearer of (units before - units
/// after), and a tile its box keeps too far from the trial costs one box test. seeded then
/// receives every point's nearest centre. Not tiled: the plain definition, every point's
/// units(weight * min(closest, distance)) summed for every trial; the two give the same centres.
/// Returns the number of centres chosen: fewer than k only when every point coincides with one.
int init_kmeanspp_exact(const Data& data, int k, int trials, bool tiled, Rng& rng,
                        ThreadPool& pool, Progress* progress, std::vector<float>& centroids,
                        SeedAssignment& seeded);

} // namespace core::detail
