// kpix-bench: times core::cluster on one image for one setting and prints one line of
// key=value figures (seconds, iterations, inertia, ...). scripts/bench.sh runs it natively and
// under node, next to scikit-learn and OpenCV on the same pixels.
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/cluster.h"
#include "core/image.h"
#include "core/thread_pool.h"

namespace {

[[noreturn]] void usage()
{
    std::fprintf(stderr,
                 "usage: kpix-bench IMAGE [--k K] [--xy W] [--space NAME] [--threads T] [--seed S]\n"
                 "                  [--max-iter N] [--tol T] [--repeat R] [--no-bounds] [--no-seed-prune] [--lanes 4]\n"
                 "Clusters IMAGE R times (the fastest run is reported) and prints\n"
                 "seconds=... iterations=... inertia=... on one line.\n");
    std::exit(2);
}

} // namespace

int main(int argc, char** argv)
{
    std::string path;
    core::ClusterParams params;
    params.kmeans.k = 16;
    params.work_pixels = 0; // every pixel, as the peers it is compared with cluster
    int threads = 1;
    int repeat = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage();
            }
            return argv[++i];
        };
        if (a == "--k") {
            params.kmeans.k = std::atoi(value().c_str());
        } else if (a == "--xy") {
            params.xy = std::strtof(value().c_str(), nullptr);
        } else if (a == "--space") {
            if (!core::parse_space(value(), params.space)) {
                usage();
            }
        } else if (a == "--threads") {
            threads = std::atoi(value().c_str());
        } else if (a == "--seed") {
            params.kmeans.seed = std::strtoull(value().c_str(), nullptr, 10);
        } else if (a == "--max-iter") {
            params.kmeans.max_iter = std::atoi(value().c_str());
        } else if (a == "--tol") {
            params.kmeans.tol = std::strtod(value().c_str(), nullptr);
        } else if (a == "--repeat") {
            repeat = std::max(1, std::atoi(value().c_str()));
        } else if (a == "--no-bounds") {
            params.kmeans.bounds = false;
        } else if (a == "--no-seed-prune") {
            params.kmeans.seed_pruning = false;
        } else if (a == "--lanes") {
            // 4 keeps the engine on its 4-lane kernel where it would use the 8-lane one.
            params.kmeans.max_lanes = std::atoi(value().c_str());
        } else if (!a.empty() && a[0] != '-' && path.empty()) {
            path = a;
        } else {
            usage();
        }
    }
    if (path.empty()) {
        usage();
    }
    std::vector<uint8_t> bytes;
    std::string error;
    if (!core::read_file(path, bytes, error)) {
        std::fprintf(stderr, "kpix-bench: %s\n", error.c_str());
        return 1;
    }
    const auto d0 = std::chrono::steady_clock::now();
    core::DecodeResult decoded = core::decode_image(bytes.data(), bytes.size());
    const double decode_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - d0).count();
    if (!decoded.ok) {
        std::fprintf(stderr, "kpix-bench: %s: %s\n", path.c_str(), decoded.error.c_str());
        return 1;
    }
    core::ThreadPool pool(std::max(1, threads));
    double best = 0.0;
    double best_cpu = 0.0;
    core::ClusterResult r;
    for (int rep = 0; rep < repeat; ++rep) {
        // CPU time of the whole process (all threads): on a shared machine it says what the
        // work cost when the wall time does not.
        const std::clock_t c0 = std::clock();
        const auto t0 = std::chrono::steady_clock::now();
        r = core::cluster(decoded.image, params, pool, nullptr);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
        best = rep == 0 ? s : std::min(best, s);
        best_cpu = rep == 0 ? cpu : std::min(best_cpu, cpu);
    }
    size_t scanned = 0;
    double lloyd = 0.0; // the Lloyd rounds alone (of the last repeat): pixel passes, no init
    for (const core::Round& round : r.rounds) {
        scanned += round.scanned;
        lloyd += round.seconds;
    }
    const size_t points = r.d == 3 ? r.distinct_colours : decoded.image.pixels();
    std::printf("seconds=%.6f cpu_seconds=%.6f iterations=%d inertia=%.17g k=%d d=%d pixels=%zu points=%zu "
                "scanned_fraction=%.4f threads=%d lanes=%d lloyd_seconds=%.6f decode_seconds=%.6f\n",
                best, best_cpu, r.iterations, r.inertia, r.k, r.d, decoded.image.pixels(), points,
                r.iterations > 0 ? static_cast<double>(scanned) / (points * r.iterations) : 0.0,
                pool.threads(), core::kernel_lanes(params.kmeans.max_lanes), lloyd, decode_seconds);
    if (std::getenv("KPIX_BENCH_ROUNDS")) {
        // Per round: milliseconds, the fraction of points that needed the full scan, and the
        // points (weight) that changed cluster.
        for (const core::Round& round : r.rounds) {
            std::printf("round ms=%.2f scanned=%.3f changed=%.0f\n", round.seconds * 1000.0,
                        static_cast<double>(round.scanned) / points, round.changed);
        }
    }
    return 0;
}
