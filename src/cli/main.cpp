// kpix-cli: clusters photos from the command line with the same engine as the app, writing the
// clustered image and, on request, the rounds, an animated GIF, the palette, the label map and the
// stats JSON. A superset of k-meanz's flags; long flags use the stats JSON's words.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "core/choose_k.h"
#include "core/cluster.h"
#include "core/image.h"
#include "core/k_gallery.h"
#include "core/outputs.h"
#include "core/render.h"
#include "core/samples.h"
#include "core/stats.h"
#include "core/thread_pool.h"
#include "core/work_resolution.h"
#include "platform/paths.h"

namespace {

constexpr const char* kUsage = R"(usage: kpix-cli INPUT... [options]
       kpix-cli --sample NAME [options]

Clusters the pixels of each INPUT image with k-means++ and writes the clustered image.
Several inputs are processed in turn (a progress bar on a terminal, a line each otherwise).
Long options also take --name=VALUE, and '_' for '-' (--n_init, --max_iter: the stats JSON's words).

clustering (defaults in brackets):
  -k, --k K              number of clusters, 1..4096 [8]
      --space NAME       feature space: rgb, linear, lab or oklab [rgb]
      --xy W             weight of pixel position (RGB+XY segmentation), 0..4 [0]
      --xy-weight W      same as --xy
  -s, --scale            position on with weight 1 (same as --xy 1)
      --init NAME        kmeans++ or random [kmeans++]
      --seeds LIST       starting colours instead of --init, e.g. "#ff0000,#00ff00,#0000ff";
                         k becomes their number (colour only, not with --xy)
      --n-init N         independent runs, the lowest inertia is kept [1]
  -r, --rounds N         maximum rounds of Lloyd's algorithm [300] (also --max-iter)
      --tol T            relative tolerance on centroid shift [0.0001]
      --seed S           random seed; the same seed gives the same result [1]
      --threads T        worker threads, 0 = all hardware threads [0]
      --work-pixels N    cluster a copy downscaled (area average) to at most N pixels, then
                         give every full-size pixel its nearest final centroid; 0 = cluster
                         the full image [0] (not used by --sweep)

choosing k (instead of writing images):
      --sweep LO..HI     cluster at every k from LO to HI (2 <= LO <= HI, at most 64 values),
                         print inertia and the scores per k and the k each metric suggests
      --metrics LIST     scores to compute: elbow, silhouette, gap [elbow,silhouette,gap];
                         silhouette and gap use a sample of 5000 pixels
      --grid LO..HI      the k-grid: the image recoloured at every k from LO to HI
                         (2 <= LO <= HI, at most 64 values) as thumbnails in one PNG (-o FILE.png,
                         or NAME-grid.png in the -o directory). Tiles are at most 256 px on their
                         longest side, in k order row by row, ceil(sqrt(tiles)) columns (3 x 3
                         for 2..10), 6 px apart, each with "k=K" in a 14 px strip under it; the
                         stats JSON's "grid" gives each tile's k, inertia and position
Pixels with alpha below 128 take no part in the clustering and stay transparent.

output:
  -o, --output PATH      a path ending in .png is the output file (one INPUT only; its folder
                         is created if missing);
                         anything else is an output directory, created if missing,
                         that receives NAME-kK.png for each INPUT [.]
      --outdir DIR       same as -o DIR
      --indexed          write the output PNG as indexed (PLTE; 1, 2, 4 or 8 bits a pixel) when
                         k <= 256 [truecolour]
      --sizes            also encode the PNG that is not written (indexed or truecolour) to
                         report both sizes; the line says what that cost [off]
      --dither           Floyd-Steinberg error diffusion onto the palette (in sRGB) for every
                         image written [off]
  -g, --generate-all     also write every round, NAME-round-000.png (the starting centroids) to
                         NAME-round-N.png (N rounds), next to the output
      --gif FILE.gif     an animated GIF of the rounds, looping (k <= 256; one INPUT only)
      --gif-delay CS     hundredths of a second per GIF frame; the last shows 4 times as long [50]
      --palette FILE     the palette with shares, largest first; format by extension:
                         .gpl (GIMP), .json, .css (custom properties), .txt (hex list)
      --labels FILE.png  the label map: each pixel's cluster as grey, 8-bit (k <= 256) or 16-bit
      --stats-json FILE  write parameters, palette, timings and PNG sizes as JSON ('-' = stdout)
      --sample NAME      cluster a built-in sample photo: coffee, chelsea, astronaut,
                         rocket, hubble_deep_field (scikit-image's, CC0 / public domain)
  -q, --quiet            print nothing but errors
  -h, --help             this text

Unless --quiet, each image's line reports the size of the original file and of the PNG written
(bytes_original, bytes_png_truecolour or bytes_png_indexed in the stats JSON, the other null);
with --sizes both PNG sizes.

exit status: 0 done, 2 bad arguments or unreadable input, 1 could not write output.
)";

struct Options {
    std::vector<std::string> inputs;
    std::string output = ".";
    std::string stats_json;
    std::string palette;
    std::string labels;
    std::string gif;
    core::ClusterParams params;
    int threads = 0;
    /// --work-pixels: cluster a copy of at most this many pixels; 0 = the full image.
    size_t work_pixels = 0;
    int gif_delay_cs = 50;
    bool quiet = false;
    bool indexed = false;
    /// --sizes: encode the PNG that is not written too, for the size report.
    bool sizes = false;
    bool dither = false;
    bool generate_all = false;
    /// --sweep: the range of k, 0 when not sweeping.
    int sweep_lo = 0;
    int sweep_hi = 0;
    bool metric_elbow = true;
    core::ChooseKOptions choose;
    /// --grid: the range of k, 0 when not making a grid.
    int grid_lo = 0;
    int grid_hi = 0;
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

/// "LO..HI" with 2 <= LO <= HI and at most max_values values of k, or a usage error naming flag.
void parse_range(const std::string& flag, const std::string& v, int max_values, int& lo, int& hi)
{
    const size_t dots = v.find("..");
    if (dots == std::string::npos) {
        usage_error(flag + " takes a range LO..HI such as 2..16, not '" + v + "'");
    }
    lo = static_cast<int>(parse_int(flag + " LO", v.substr(0, dots), 2, core::kMaxK));
    hi = static_cast<int>(parse_int(flag + " HI", v.substr(dots + 2), 2, core::kMaxK));
    if (hi < lo || hi - lo + 1 > max_values) {
        usage_error(flag + " needs LO <= HI and at most " + std::to_string(max_values) +
                    " values of k, not '" + v + "'");
    }
}

/// Whether path's extension is wanted (lower case), in any case.
bool has_extension(const std::string& path, const std::string& wanted)
{
    return core::file_extension(path) == wanted;
}

/// "#ff0000,#0f0,00ff00" -> 3 * count floats in rgb; false on anything else.
bool parse_seeds(const std::string& text, std::vector<float>& out)
{
    out.clear();
    size_t at = 0;
    while (at <= text.size()) {
        const size_t comma = std::min(text.find(',', at), text.size());
        std::string item = text.substr(at, comma - at);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty() && item[0] == '#') {
            item.erase(0, 1);
        }
        if ((item.size() != 6 && item.size() != 3) ||
            item.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
            return false;
        }
        const int per = item.size() == 6 ? 2 : 1;
        for (int q = 0; q < 3; ++q) {
            const int v = std::stoi(item.substr(static_cast<size_t>(q * per), per), nullptr, 16);
            out.push_back(static_cast<float>(per == 2 ? v : v * 17));
        }
        at = comma + 1;
    }
    return !out.empty();
}

Options parse_args(int argc, char** argv)
{
    Options o;
    core::KMeansParams& km = o.params.kmeans;
    bool k_given = false;
    std::string seeds;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        // --name=value, and the stats JSON's spelling with '_' for the flag's '-'.
        std::string inline_value;
        bool has_inline = false;
        if (a.rfind("--", 0) == 0) {
            const size_t eq = a.find('=');
            if (eq != std::string::npos) {
                inline_value = a.substr(eq + 1);
                has_inline = true;
                a.erase(eq);
            }
            std::replace(a.begin(), a.end(), '_', '-');
        }
        auto value = [&]() -> std::string {
            if (has_inline) {
                has_inline = false;
                return inline_value;
            }
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
            k_given = true;
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
        } else if (a == "--seeds") {
            seeds = value();
            if (!parse_seeds(seeds, km.given_centroids)) {
                usage_error("--seeds takes colours like \"#ff0000,#00ff00\", not '" + seeds + "'");
            }
        } else if (a == "--n-init") {
            km.n_init = static_cast<int>(parse_int(a, value(), 1, 1000));
        } else if (a == "-r" || a == "--rounds" || a == "--max-iter") {
            km.max_iter = static_cast<int>(parse_int(a, value(), 1, 100000));
        } else if (a == "--tol") {
            km.tol = parse_real(a, value(), 0.0, 1.0);
        } else if (a == "--seed") {
            km.seed = static_cast<uint64_t>(parse_int(a, value(), 0, INT64_MAX));
        } else if (a == "--threads") {
            o.threads = static_cast<int>(parse_int(a, value(), 0, 256));
        } else if (a == "--work-pixels") {
            o.work_pixels = static_cast<size_t>(parse_int(a, value(), 0, static_cast<long long>(core::kMaxPixels)));
        } else if (a == "--sweep") {
            parse_range(a, value(), core::kMaxSweep, o.sweep_lo, o.sweep_hi);
        } else if (a == "--grid") {
            parse_range(a, value(), core::kMaxGridTiles, o.grid_lo, o.grid_hi);
        } else if (a == "--metrics") {
            const std::string v = value();
            o.metric_elbow = o.choose.silhouette = o.choose.gap = false;
            size_t at = 0;
            while (at <= v.size()) {
                const size_t comma = std::min(v.find(',', at), v.size());
                const std::string m = v.substr(at, comma - at);
                if (m == "elbow") {
                    o.metric_elbow = true;
                } else if (m == "silhouette") {
                    o.choose.silhouette = true;
                } else if (m == "gap") {
                    o.choose.gap = true;
                } else {
                    usage_error("--metrics takes elbow, silhouette and gap, not '" + m + "'");
                }
                at = comma + 1;
            }
        } else if (a == "--stats-json") {
            o.stats_json = value();
        } else if (a == "--indexed") {
            o.indexed = true;
        } else if (a == "--sizes") {
            o.sizes = true;
        } else if (a == "--dither") {
            o.dither = true;
        } else if (a == "-g" || a == "--generate-all") {
            o.generate_all = true;
        } else if (a == "--gif") {
            o.gif = value();
        } else if (a == "--gif-delay") {
            o.gif_delay_cs = static_cast<int>(parse_int(a, value(), 1, 10000));
        } else if (a == "--palette") {
            o.palette = value();
            core::PaletteFormat format = core::PaletteFormat::txt;
            if (!core::palette_format_from_path(o.palette, format)) {
                usage_error("--palette names a .gpl, .json, .css or .txt file, not '" + o.palette + "'");
            }
        } else if (a == "--labels") {
            o.labels = value();
            if (!has_extension(o.labels, "png")) {
                usage_error("--labels names a .png file, not '" + o.labels + "'");
            }
        } else if (a == "--sample") {
            const std::string name = value();
            const core::Sample* sample = core::find_sample(name);
            if (!sample) {
                std::string names;
                for (const core::Sample& known : core::kSamples) {
                    names += names.empty() ? known.name : std::string(", ") + known.name;
                }
                usage_error("--sample takes one of " + names + ", not '" + name + "'");
            }
            const std::string dir = platform::samples_dir();
            if (dir.empty()) {
                std::fprintf(stderr, "kpix-cli: the sample photos were not found next to kpix-cli "
                                     "(samples/), in share/kpix/samples or in $KPIX_SAMPLES_DIR\n");
                std::exit(2);
            }
            o.inputs.push_back(dir + "/" + sample->file);
        } else if (a == "-q" || a == "--quiet") {
            o.quiet = true;
        } else if (a.size() > 1 && a[0] == '-') {
            usage_error("unknown option " + a);
        } else {
            o.inputs.push_back(a);
        }
        if (has_inline) {
            usage_error(a + " takes no value");
        }
    }
    if (o.inputs.empty()) {
        usage_error("no input image (name a file, or try --sample coffee)");
    }
    if (!seeds.empty()) {
        const int count = static_cast<int>(km.given_centroids.size() / 3);
        if (k_given && km.k != count) {
            usage_error("-k " + std::to_string(km.k) + " but --seeds gives " +
                        std::to_string(count) + " colours");
        }
        if (o.params.xy > 0.0f) {
            usage_error("--seeds gives colours only; it cannot be used with --xy or -s");
        }
        if (count > core::kMaxK) {
            usage_error("--seeds gives more than " + std::to_string(core::kMaxK) + " colours");
        }
        km.k = count;
        km.init = core::Init::given;
    }
    if (o.sweep_lo > 0 && (!o.gif.empty() || !o.palette.empty() || !o.labels.empty() ||
                           o.generate_all || !seeds.empty())) {
        usage_error("--sweep writes no images: it cannot be used with --gif, --palette, "
                    "--labels, -g or --seeds");
    }
    if (o.grid_lo > 0 && (o.sweep_lo > 0 || !o.gif.empty() || !o.palette.empty() ||
                          !o.labels.empty() || o.generate_all || !seeds.empty())) {
        usage_error("--grid writes the grid only: it cannot be used with --sweep, --gif, "
                    "--palette, --labels, -g or --seeds");
    }
    if (!o.gif.empty() && !has_extension(o.gif, "gif")) {
        usage_error("--gif names a .gif file, not '" + o.gif + "'");
    }
    if (!o.gif.empty() && km.k > 256) {
        usage_error("--gif needs k <= 256 (a GIF has at most 256 colours), not " +
                    std::to_string(km.k));
    }
    for (const std::string* one : {&o.gif, &o.palette, &o.labels}) {
        if (!one->empty() && o.inputs.size() > 1) {
            usage_error(*one + " names one file, but there are " +
                        std::to_string(o.inputs.size()) + " inputs: give one input at a time");
        }
    }
    return o;
}

std::string stem(const std::string& path)
{
    const size_t slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const size_t dot = name.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

std::string kilobytes(size_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1000.0);
    return buf;
}

/// A terminal progress bar on stderr, redrawn in place; nothing when stderr is not a terminal.
class ProgressBar {
public:
    explicit ProgressBar(bool enabled) : m_enabled(enabled) {}

    bool enabled() const { return m_enabled; }

    void draw(const std::string& label, float fraction, int round)
    {
        if (!m_enabled) {
            return;
        }
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(std::clamp(fraction, 0.0f, 1.0f) * kWidth);
        std::fprintf(stderr, "\r\033[K%s [%s%s] round %d", label.c_str(),
                     std::string(static_cast<size_t>(filled), '#').c_str(),
                     std::string(static_cast<size_t>(kWidth - filled), '.').c_str(), round);
        std::fflush(stderr);
    }

    void clear()
    {
        if (m_enabled) {
            std::fputs("\r\033[K", stderr);
            std::fflush(stderr);
        }
    }

private:
    bool m_enabled = false;
};

/// Runs work(progress) on a worker thread while the bar is redrawn, or work(nullptr) directly when
/// there is no bar. show_round: the bar also shows progress.round (a clustering's rounds).
template <class Work>
auto with_bar(ProgressBar& bar, const std::string& label, bool show_round, Work work)
{
    if (!bar.enabled()) {
        return work(nullptr);
    }
    core::Progress progress;
    decltype(work(nullptr)) result;
    std::atomic<bool> done{false};
    std::thread worker([&] {
        result = work(&progress);
        done = true;
    });
    while (!done) {
        bar.draw(label, progress.fraction.load(), show_round ? progress.round.load() : 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    worker.join();
    bar.clear();
    return result;
}

/// Clusters on a worker thread while the bar is redrawn, or directly when there is no bar.
core::ClusterResult cluster_with_bar(const core::Image& image, const core::ClusterParams& params,
                                     size_t work_pixels, core::ThreadPool& pool, ProgressBar& bar,
                                     const std::string& label)
{
    return with_bar(bar, label, true, [&](core::Progress* progress) {
        return core::cluster_work_resolution(image, params, work_pixels, pool, progress);
    });
}

bool write_text(const std::string& path, const std::string& text, std::string& error)
{
    return core::write_file(path, std::vector<uint8_t>(text.begin(), text.end()), error);
}

/// -g: one truecolour PNG per round into dir, NAME-round-NNN.png, dithered when asked; false
/// (and error) if one cannot be written.
bool write_rounds(const Options& opt, const core::Image& image, const core::ClusterResult& result,
                  core::ThreadPool& pool, const std::string& dir, const std::string& name,
                  std::string& error)
{
    for (int round = 0; round < core::round_count(result); ++round) {
        const std::vector<uint16_t> idx =
            core::round_indices(image, result, opt.params, round, opt.dither, pool);
        char number[16];
        std::snprintf(number, sizeof number, "%03d", round);
        const std::string path = dir + "/" + name + "-round-" + number + ".png";
        const std::vector<uint8_t> palette = core::round_palette(result, opt.params, round);
        if (!core::write_file(path, core::clustered_png(image, idx.data(), palette), error)) {
            return false;
        }
    }
    return true;
}

/// --sweep for one image: the table on stdout (unless quiet) and the stats JSON object (null on
/// failure).
core::Json run_sweep(const Options& opt, const std::string& input, const core::Image& image,
                      core::ThreadPool& pool, ProgressBar& bar, const std::string& label)
{
    core::SweepResult r;
    r = with_bar(bar, label, false, [&](core::Progress* progress) {
        return core::sweep_k(image, opt.params, opt.sweep_lo, opt.sweep_hi, opt.choose, pool, progress);
    });
    if (r.points.empty()) {
        std::fprintf(stderr, "kpix-cli: %s: %s\n", input.c_str(), r.note.c_str());
        return nullptr;
    }
    const int elbow = opt.metric_elbow ? r.elbow : 0;
    double seconds = 0.0;
    if (!opt.quiet) {
        std::printf("%s: %dx%d, k = %d..%d\n", input.c_str(), image.width, image.height,
                    opt.sweep_lo, opt.sweep_hi);
        std::printf("%4s %14s %6s %10s %18s\n", "k", "inertia", "rounds", "silhouette", "gap +- s");
    }
    for (size_t i = 0; i < r.points.size(); ++i) {
        const core::SweepPoint& p = r.points[i];
        seconds += p.seconds;
        if (!opt.quiet) {
            char sil[32] = "-";
            char gap[48] = "-";
            if (opt.choose.silhouette) {
                std::snprintf(sil, sizeof sil, "%.4f", p.silhouette);
            }
            if (opt.choose.gap) {
                std::snprintf(gap, sizeof gap, "%.4f +- %.4f", p.gap, p.gap_sd);
            }
            std::printf("%4d %14.6g %6d %10s %18s%s\n", p.k, p.inertia, p.iterations, sil, gap,
                        p.k_used < p.k ? "  (fewer colours: k reduced)" : "");
        }
    }
    if (!opt.quiet) {
        std::printf("suggested k:");
        if (elbow) {
            std::printf(" elbow %d", elbow);
        }
        if (r.silhouette) {
            std::printf(" silhouette %d", r.silhouette);
        }
        if (r.gap) {
            std::printf(" gap %d", r.gap);
        }
        std::printf("  (clustering %.3f s)\n", seconds);
    }
    return core::sweep_json(input, image, opt.params, opt.choose, r, opt.metric_elbow);
}

/// --grid for one image: the composed grid written to out_path, a line on stdout (unless quiet),
/// and the stats JSON object; null on failure (status set: 2 bad input, 1 cannot write).
core::Json run_grid(const Options& opt, const std::string& input, const core::Image& image,
                    const std::string& out_path, core::ThreadPool& pool, ProgressBar& bar,
                    const std::string& label, int& status)
{
    core::GridOptions options;
    core::KGrid grid;
    grid = with_bar(bar, label, false, [&](core::Progress* progress) {
        return core::k_grid(image, opt.params, opt.grid_lo, opt.grid_hi, options, pool, progress);
    });
    if (grid.tiles.empty()) {
        std::fprintf(stderr, "kpix-cli: %s: %s\n", input.c_str(), grid.note.c_str());
        status = 2;
        return nullptr;
    }
    const core::GridLayout layout = core::grid_layout(grid);
    const core::Image picture = core::compose_grid(grid, layout);
    std::string error;
    if (!core::write_file(out_path, core::encode_png(picture.rgba.data(), picture.width,
                                                     picture.height, 4),
                          error)) {
        std::fprintf(stderr, "kpix-cli: %s\n", error.c_str());
        status = 1;
        return nullptr;
    }
    if (!opt.quiet) {
        std::printf("%s: %dx%d, k-grid %d..%d, %dx%d tiles -> %s\n", input.c_str(), image.width,
                    image.height, opt.grid_lo, opt.grid_hi, layout.columns, layout.rows,
                    out_path.c_str());
        for (const core::GridTile& t : grid.tiles) {
            std::printf("  k = %3d  inertia %.6g  %d rounds%s\n", t.k, t.inertia, t.iterations,
                        t.k_used < t.k ? "  (fewer colours: k reduced)" : "");
        }
    }
    return core::grid_json(input, image, opt.params, grid, layout, out_path);
}

} // namespace

int main(int argc, char** argv)
{
    const Options opt = parse_args(argc, argv);
    const bool to_file = has_extension(opt.output, "png");
    if (to_file && opt.inputs.size() > 1) {
        usage_error("-o " + opt.output + " names one file, but there are " +
                    std::to_string(opt.inputs.size()) + " inputs: give a directory instead");
    }
    std::string error;
    std::error_code ec;
    // -g frames go next to the output: into the directory, or beside the output file.
    std::string frames_dir = opt.output;
    if (to_file) {
        const std::string parent = std::filesystem::path(opt.output).parent_path().string();
        frames_dir = parent.empty() ? "." : parent;
    }
    if (!std::filesystem::is_directory(frames_dir) &&
        !std::filesystem::create_directories(frames_dir, ec)) {
        std::fprintf(stderr, "kpix-cli: cannot create directory %s: %s\n", frames_dir.c_str(),
                     ec.message().c_str());
        return 1;
    }
    core::ThreadPool pool(opt.threads > 0 ? opt.threads : core::ThreadPool::hardware_threads());
    ProgressBar bar(!opt.quiet && isatty(fileno(stderr)) != 0);
    const size_t count = opt.inputs.size();
    int status = 0;
    core::Json all_stats = core::Json::array();
    for (size_t n = 0; n < count; ++n) {
        const std::string& input = opt.inputs[n];
        const std::string counter =
            count > 1 ? "[" + std::to_string(n + 1) + "/" + std::to_string(count) + "] " : "";
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
        const core::Image& image = decoded.image;
        if (opt.sweep_lo > 0) {
            core::Json json = run_sweep(opt, input, image, pool, bar, counter + stem(input));
            if (json.is_null()) {
                status = 2;
                continue;
            }
            all_stats.push_back(std::move(json));
            continue;
        }
        if (opt.grid_lo > 0) {
            const std::string grid_path = to_file ? opt.output : opt.output + "/" + stem(input) + "-grid.png";
            core::Json json = run_grid(opt, input, image, grid_path, pool, bar,
                                       counter + stem(input), status);
            if (json.is_null()) {
                if (status == 1) {
                    return 1;
                }
                continue;
            }
            all_stats.push_back(std::move(json));
            continue;
        }
        const core::ClusterResult result =
            cluster_with_bar(image, opt.params, opt.work_pixels, pool, bar, counter + stem(input));
        if (result.k == 0) {
            std::fprintf(stderr, "kpix-cli: %s: %s\n", input.c_str(), result.note.c_str());
            status = 2;
            continue;
        }
        const std::string name = stem(input);
        const std::string out_path = to_file
            ? opt.output
            : opt.output + "/" + name + "-k" + std::to_string(result.k) + ".png";

        const std::vector<uint16_t> idx =
            core::round_indices(image, result, opt.params, result.iterations, opt.dither, pool);
        // Only the PNG that is written is encoded, unless --sizes asks for both.
        std::vector<uint8_t> png_indexed;
        std::vector<uint8_t> png_true;
        if (opt.indexed) {
            png_indexed = core::clustered_png_indexed(image, idx.data(), result.palette);
        }
        const bool write_indexed = !png_indexed.empty();
        if (!write_indexed) {
            png_true = core::clustered_png(image, idx.data(), result.palette);
        }
        double seconds_sizes = 0.0;
        if (opt.sizes) {
            const auto t_sizes = std::chrono::steady_clock::now();
            if (write_indexed) {
                png_true = core::clustered_png(image, idx.data(), result.palette);
            } else if (!opt.indexed) {
                png_indexed = core::clustered_png_indexed(image, idx.data(), result.palette);
            }
            seconds_sizes =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t_sizes).count();
        }
        bool ok = core::write_file(out_path, write_indexed ? png_indexed : png_true, error);
        if (ok && opt.generate_all) {
            ok = write_rounds(opt, image, result, pool, frames_dir, name, error);
        }
        if (ok && !opt.gif.empty()) {
            if (image.width > 65535 || image.height > 65535) {
                std::fprintf(stderr, "kpix-cli: %s: a GIF is at most 65535 pixels a side\n",
                             input.c_str());
                return 1;
            }
            core::RoundsGifOptions gif;
            gif.delay_cs = opt.gif_delay_cs;
            gif.dither = opt.dither;
            ok = core::write_file(opt.gif, core::rounds_gif(image, result, opt.params, gif, pool), error);
        }
        if (ok && !opt.labels.empty()) {
            ok = core::write_file(opt.labels, core::encode_label_map(result), error);
        }
        if (ok && !opt.palette.empty()) {
            core::PaletteFormat format = core::PaletteFormat::txt;
            core::palette_format_from_path(opt.palette, format);
            ok = write_text(opt.palette, core::palette_text(result, format, name), error);
        }
        if (!ok) {
            std::fprintf(stderr, "kpix-cli: %s\n", error.c_str());
            return 1;
        }

        core::RunInfo info;
        info.source = input;
        info.threads = pool.threads();
        info.seconds_decode = seconds_decode;
        info.orientation = decoded.orientation;
        info.icc_profile = decoded.icc_profile;
        core::Json json = core::stats_json(opt.params, result, info);
        // The CLI's own fields go at the end of the object: output options and the PNG sizes.
        json["dither"] = opt.dither;
        json["work_pixels"] = opt.work_pixels;
        json["bytes_original"] = bytes.size();
        json["bytes_png_truecolour"] =
            png_true.empty() ? core::Json(nullptr) : core::Json(png_true.size());
        json["bytes_png_indexed"] =
            png_indexed.empty() ? core::Json(nullptr) : core::Json(png_indexed.size());
        all_stats.push_back(std::move(json));
        if (!opt.quiet) {
            std::printf("%s%s: %dx%d, k=%d, %d rounds%s, inertia %.6g, %.3f s -> %s\n",
                        counter.c_str(), input.c_str(), result.width, result.height, result.k,
                        result.iterations, result.converged ? "" : " (not converged)",
                        result.inertia, result.seconds, out_path.c_str());
            const std::vector<uint8_t>& written = write_indexed ? png_indexed : png_true;
            std::printf("  sizes: original %s, PNG %s %s (%.0f%% of original)",
                        kilobytes(bytes.size()).c_str(), write_indexed ? "indexed" : "truecolour",
                        kilobytes(written.size()).c_str(),
                        100.0 * static_cast<double>(written.size()) / bytes.size());
            const std::vector<uint8_t>& other = write_indexed ? png_true : png_indexed;
            if (opt.sizes && !other.empty()) {
                std::printf(", PNG %s %s (%.0f%% of the %s; encoded for this report in %.3f s)",
                            write_indexed ? "truecolour" : "indexed", kilobytes(other.size()).c_str(),
                            100.0 * static_cast<double>(other.size()) / written.size(),
                            write_indexed ? "indexed" : "truecolour", seconds_sizes);
            }
            std::printf("\n");
            if (!decoded.orientation_applied.empty()) {
                std::printf("  note: %s (EXIF orientation %d)\n",
                            decoded.orientation_applied.c_str(), decoded.orientation);
            }
            if (!decoded.icc_profile.empty()) {
                std::printf("  note: colours converted from %s to sRGB\n", decoded.icc_profile.c_str());
            }
            if (!decoded.note.empty()) {
                std::printf("  note: %s\n", decoded.note.c_str());
            }
            if (opt.indexed && png_indexed.empty()) {
                std::printf("  note: k = %d is too many colours for an indexed PNG: truecolour "
                            "written\n", result.k);
            }
            if (!result.note.empty()) {
                std::printf("  note: %s\n", result.note.c_str());
            }
        }
    }
    if (!opt.stats_json.empty() && !all_stats.empty()) {
        // One input: the object itself; several: an array of them.
        const std::string text = core::json_text(count == 1 ? all_stats[0] : all_stats) + "\n";
        if (opt.stats_json == "-") {
            std::fputs(text.c_str(), stdout);
        } else if (!write_text(opt.stats_json, text, error)) {
            std::fprintf(stderr, "kpix-cli: %s\n", error.c_str());
            return 1;
        }
    }
    return status;
}
