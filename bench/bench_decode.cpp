// What opening a photo costs, before and after the decoders made for speed: stb_image with the
// orientation and colour profile on one thread (how every build decoded before), libjpeg-turbo /
// libspng at full size with them on the thread pool, and the DCT-scaled working copy. Runs are
// alternated between the paths; the median of each (wall and CPU time of all threads) is printed
// with the load average.
// usage: kpix-bench-decode FILE [RUNS=3] [WORK_PIXELS=2000000] [THREADS=all]
// (bench/make_decode_photos.py writes the 12 MP phone JPEG and the 18 MP PNG it is measured on)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "core/image.h"
#include "core/thread_pool.h"

namespace {

std::string load_average()
{
    std::ifstream f("/proc/loadavg");
    std::string one, five;
    f >> one >> five;
    return f ? one + " " + five : "unknown";
}

struct Path {
    const char* name;
    core::DecodeOptions options;
    std::vector<double> seconds;
    std::vector<double> cpu_seconds; // all threads: on a loaded machine the wall time says less

    core::DecodeResult last;
};

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: kpix-bench-decode FILE [RUNS=3] [WORK_PIXELS=2000000] [THREADS=all]\n");
        return 2;
    }
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    const size_t work = argc > 3 ? static_cast<size_t>(std::atoll(argv[3])) : 2'000'000;
    const int threads = argc > 4 ? std::atoi(argv[4]) : core::ThreadPool::hardware_threads();
    std::vector<uint8_t> bytes;
    std::string error;
    if (!core::read_file(argv[1], bytes, error)) {
        std::fprintf(stderr, "kpix-bench-decode: %s\n", error.c_str());
        return 2;
    }
    core::ThreadPool pool(threads);
    std::vector<Path> paths(3);
    paths[0].name = "stb_image, one thread (before)";
    paths[0].options.stb_reference = true;
    paths[1].name = "libjpeg-turbo/libspng, full size";
    paths[1].options.pool = &pool;
    paths[2].name = "working copy";
    paths[2].options.pool = &pool;
    paths[2].options.max_pixels = work;
    std::printf("%s: %zu bytes, %d runs alternated, %d threads, load before %s\n", argv[1], bytes.size(), runs,
                pool.threads(), load_average().c_str());
    for (int r = 0; r < runs; ++r) {
        for (Path& p : paths) {
            p.last = core::DecodeResult{};
            const std::clock_t c0 = std::clock();
            const auto t0 = std::chrono::steady_clock::now();
            p.last = core::decode_image(bytes.data(), bytes.size(), p.options);
            p.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            p.cpu_seconds.push_back(static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
            if (!p.last.ok) {
                std::fprintf(stderr, "kpix-bench-decode: %s: %s\n", p.name, p.last.error.c_str());
                return 1;
            }
        }
    }
    for (Path& p : paths) {
        std::sort(p.seconds.begin(), p.seconds.end());
        std::sort(p.cpu_seconds.begin(), p.cpu_seconds.end());
        std::printf("  %-34s %6.3f s median (min %.3f, max %.3f), cpu %.3f s  %d x %d", p.name,
                    p.seconds[p.seconds.size() / 2], p.seconds.front(), p.seconds.back(),
                    p.cpu_seconds[p.cpu_seconds.size() / 2], p.last.image.width, p.last.image.height);
        if (p.last.scale_denom > 1) {
            std::printf(" from 1/%d scale", p.last.scale_denom);
        }
        std::printf("%s%s%s%s\n", p.last.orientation_applied.empty() ? "" : ", ", p.last.orientation_applied.c_str(),
                    p.last.icc_profile.empty() ? "" : ", from ", p.last.icc_profile.c_str());
    }
    std::printf("load after %s\n", load_average().c_str());
    return 0;
}
