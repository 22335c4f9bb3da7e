// kpix-cli: clusters photos from the command line with the same engine as the app, writing the
// clustered image and, on request, the stats JSON. Flags use the stats JSON's words.
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/cluster.h"
#include "core/image.h"
#include "core/stats.h"
#include "core/thread_pool.h"

namespace {

constexpr const char* kUsage = R"(usage: kpix-cli INPUT... [options]

Clusters the pixels of each INPUT image with k-means++ and writes the clustered image.

options (defaults in brackets):
  -k, --k K              number of clusters, 1..4096 [8]
  -o, --output PATH      a path ending in .png is the output file (one INPUT only);
                         anything else is an output directory, created if missing,
                         that receives NAME-kK.png for each INPUT [.]
      --outdir DIR       same as -o DIR
      --space NAME       feature space: rgb, linear, lab or oklab [rgb]
      --xy W             weight of pixel position (RGB+XY segmentation), 0..4 [0]
      --xy-weight W      same as --xy
  -s, --scale            position on with weight 1 (same as --xy 1)
      --init NAME        kmeans++ or random [kmeans++]
      --n-init N         independent runs, the lowest inertia is kept [1]
  -r, --rounds N         maximum rounds of Lloyd's algorithm [300] (also --max-iter)
      --tol T            relative tolerance on centroid shift [0.0001]
      --seed S           random seed; the same seed gives the same result [1]
      --threads T        worker threads, 0 = all hardware threads [0]
      --stats-json FILE  write parameters, palette and timings as JSON ('-' = stdout)
  -q, --quiet            print nothing but errors
  -h, --help             this text

exit status: 0 done, 2 bad arguments or unreadable input, 1 could not write output.
)";

struct Options {
    std::vector<std::string> inputs;
    std::string output = ".";
    std::string stats_json;
    core::ClusterParams params;
    int threads = 0;
    bool quiet = false;
};

[[noreturn]] void usage_error(const std::string& message)
{
    std::fprintf(stderr, "kpix-cli: %s\n(see kpix-cli --help)\n", message.c_str());
    std::exit(2);
}

long long parse_int(const std::string& flag, const std::string& text, long long lo, long long hi)
{
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || v < lo || v > hi) {
        usage_error(flag + " takes a whole number from " + std::to_string(lo) + " to " +
                    std::to_string(hi) + ", not '" + text + "'");
    }
    return v;
}

double parse_real(const std::string& flag, const std::string& text, double lo, double hi)
{
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(v) || v < lo || v > hi) {
        usage_error(flag + " takes a number from " + core::json_number(lo) + " to " +
                    core::json_number(hi) + ", not '" + text + "'");
    }
    return v;
}

Options parse_args(int argc, char** argv)
{
    Options o;
    core::KMeansParams& km = o.params.kmeans;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage_error(a + " needs a value");
            }
            return argv[++i];
        };
        if (a == "-h" || a == "--help") {
            std::fputs(kUsage, stdout);
            std::exit(0);
        } else if (a == "-k" || a == "--k") {
            km.k = static_cast<int>(parse_int(a, value(), 1, core::kMaxK));
        } else if (a == "-o" || a == "--output" || a == "--outdir") {
            o.output = value();
        } else if (a == "--space") {
            const std::string v = value();
            if (!core::parse_space(v, o.params.space)) {
                usage_error("--space takes rgb, linear, lab or oklab, not '" + v + "'");
            }
        } else if (a == "--xy" || a == "--xy-weight") {
            o.params.xy = static_cast<float>(parse_real(a, value(), 0.0, 4.0));
        } else if (a == "-s" || a == "--scale") {
            o.params.xy = 1.0f;
        } else if (a == "--init") {
            const std::string v = value();
            if (!core::parse_init(v, km.init)) {
                usage_error("--init takes kmeans++ or random, not '" + v + "'");
            }
        } else if (a == "--n-init" || a == "--n_init") {
            km.n_init = static_cast<int>(parse_int(a, value(), 1, 1000));
        } else if (a == "-r" || a == "--rounds" || a == "--max-iter" || a == "--max_iter") {
            km.max_iter = static_cast<int>(parse_int(a, value(), 1, 100000));
        } else if (a == "--tol") {
            km.tol = parse_real(a, value(), 0.0, 1.0);
        } else if (a == "--seed") {
            km.seed = static_cast<uint64_t>(parse_int(a, value(), 0, INT64_MAX));
        } else if (a == "--threads") {
            o.threads = static_cast<int>(parse_int(a, value(), 0, 256));
        } else if (a == "--stats-json") {
            o.stats_json = value();
        } else if (a == "-q" || a == "--quiet") {
            o.quiet = true;
        } else if (a.size() > 1 && a[0] == '-') {
            usage_error("unknown option " + a);
        } else {
            o.inputs.push_back(a);
        }
    }
    if (o.inputs.empty()) {
        usage_error("no input image");
    }
    return o;
}

bool ends_with_image_extension(const std::string& path)
{
    const size_t dot = path.find_last_of('.');
    const size_t slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return false;
    }
    std::string ext = path.substr(dot + 1);
    for (char& c : ext) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return ext == "png";
}

std::string stem(const std::string& path)
{
    const size_t slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const size_t dot = name.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

} // namespace

int main(int argc, char** argv)
{
    const Options opt = parse_args(argc, argv);
    const bool to_file = ends_with_image_extension(opt.output);
    if (to_file && opt.inputs.size() > 1) {
        usage_error("-o " + opt.output + " names one file, but there are " +
                    std::to_string(opt.inputs.size()) + " inputs: give a directory instead");
    }
    std::string error;
    std::error_code ec;
    if (!to_file && !std::filesystem::is_directory(opt.output) &&
        !std::filesystem::create_directories(opt.output, ec)) {
        std::fprintf(stderr, "kpix-cli: cannot create directory %s: %s\n", opt.output.c_str(),
                     ec.message().c_str());
        return 1;
    }
    core::ThreadPool pool(opt.threads > 0 ? opt.threads : core::ThreadPool::hardware_threads());
    int status = 0;
    std::string all_stats;
    for (const std::string& input : opt.inputs) {
        std::vector<uint8_t> bytes;
        if (!core::read_file(input, bytes, error)) {
            std::fprintf(stderr, "kpix-cli: %s\n", error.c_str());
            status = 2;
            continue;
        }
        const auto t0 = std::chrono::steady_clock::now();
        core::DecodeResult decoded = core::decode_image(bytes.data(), bytes.size());
        const double seconds_decode =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (!decoded.ok) {
            std::fprintf(stderr, "kpix-cli: %s: %s\n", input.c_str(), decoded.error.c_str());
            status = 2;
            continue;
        }
        const core::ClusterResult result =
            core::cluster_image(decoded.image, opt.params, pool, nullptr);
        if (result.k == 0) {
            std::fprintf(stderr, "kpix-cli: %s: %s\n", input.c_str(), result.note.c_str());
            status = 2;
            continue;
        }
        const std::string out_path = to_file
            ? opt.output
            : opt.output + "/" + stem(input) + "-k" + std::to_string(result.k) + ".png";
        const std::vector<uint8_t> clustered = core::render_clustered(result, decoded.image);
        if (!core::write_file(out_path,
                              core::encode_png(clustered.data(), result.width, result.height, 4),
                              error)) {
            std::fprintf(stderr, "kpix-cli: %s\n", error.c_str());
            return 1;
        }
        core::RunInfo info;
        info.source = input;
        info.threads = pool.threads();
        info.seconds_decode = seconds_decode;
        const std::string json = core::stats_json(opt.params, result, info);
        all_stats += (all_stats.empty() ? "" : ",\n") + json;
        if (!opt.quiet) {
            std::printf("%s: %dx%d, k=%d, %d rounds%s, inertia %.6g, %.3f s -> %s\n", input.c_str(),
                        result.width, result.height, result.k, result.iterations,
                        result.converged ? "" : " (not converged)", result.inertia,
                        result.seconds, out_path.c_str());
            if (!result.note.empty()) {
                std::printf("  note: %s\n", result.note.c_str());
            }
        }
    }
    if (!opt.stats_json.empty() && !all_stats.empty()) {
        // One input: the object itself; several: an array of them.
        const std::string text =
            (opt.inputs.size() == 1 ? all_stats : "[" + all_stats + "]") + "\n";
        if (opt.stats_json == "-") {
            std::fputs(text.c_str(), stdout);
        } else if (!core::write_file(opt.stats_json, std::vector<uint8_t>(text.begin(), text.end()),
                                     error)) {
            std::fprintf(stderr, "kpix-cli: %s\n", error.c_str());
            return 1;
        }
    }
    return status;
}
