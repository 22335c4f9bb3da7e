// kpix-cli: clusters photos from the command line with the same engine as the app, writing the
// clustered image and, on request, the rounds, an animated GIF, the palette, the label map and the
// stats JSON. The flags and --help are options.cpp's (over core's parameter table), '-' for stdin
// and stdout streams.cpp's; this file runs each input.
#include <algorithm>
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
#include "core/link.h"
#include "core/outputs.h"
#include "core/render.h"
#include "core/samples.h"
#include "core/stats.h"
#include "core/thread_pool.h"
#include "core/version.h"
#include "core/worker.h"
#include "options.h"
#include "streams.h"

namespace {

using cli::Options;
using cli::has_extension;
using cli::usage_error;

std::string stem(const std::string& path)
{
    if (path == "-") {
        return "stdin";
    }
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

/// Runs work(progress) on a core::Worker while the bar is redrawn, or work(nullptr) directly when
/// there is no bar. show_round: the bar also shows progress.round (a clustering's rounds).
template <class Work>
auto with_bar(ProgressBar& bar, const std::string& label, bool show_round, Work work)
{
    if (!bar.enabled()) {
        return work(nullptr);
    }
    decltype(work(nullptr)) result;
    core::Worker worker;
    worker.submit([&](core::Progress& progress) {
        result = work(&progress);
        return false;
    });
    // Without a thread, step() does the work here and the loop ends.
    for (worker.step(); worker.busy(); worker.step()) {
        const core::Progress& progress = worker.progress();
        bar.draw(label, progress.fraction.load(), show_round ? progress.round.load() : 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    bar.clear();
    return result;
}

/// Clusters on a worker thread while the bar is redrawn, or directly when there is no bar.
core::ClusterResult cluster_with_bar(const core::Image& image, const core::ClusterParams& params,
                                     core::ThreadPool& pool, ProgressBar& bar,
                                     const std::string& label)
{
    return with_bar(bar, label, true, [&](core::Progress* progress) {
        return core::cluster(image, params, pool, progress);
    });
}

bool write_text(const std::string& path, const std::string& text, std::string& error)
{
    return cli::write_output(path, std::vector<uint8_t>(text.begin(), text.end()), error);
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
    if (!cli::write_output(out_path, core::encode_png(picture.rgba.data(), picture.width,
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
    Options opt = cli::parse_args(argc, argv);
    // -s False and position seeds depend on each image: opt.params is set per image from these.
    const Options given = opt;
    // Lines for people go to stderr when stdout carries the PNG or the JSON.
    cli::reserve_stdout_for_data(opt.output == "-" || opt.stats_json == "-");
    const bool to_file = has_extension(opt.output, "png") || opt.output == "-";
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
        if (!cli::read_input(input, bytes, error)) {
            std::fprintf(stderr, "kpix-cli: %s\n", error.c_str());
            status = 2;
            continue;
        }
        const auto t0 = std::chrono::steady_clock::now();
        core::DecodeOptions decode_options;
        decode_options.pool = &pool;
        core::DecodeResult decoded = core::decode_image(bytes.data(), bytes.size(), decode_options);
        const double seconds_decode =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        // The file is not needed once decoded: only its size is reported.
        const size_t bytes_original = bytes.size();
        std::vector<uint8_t>().swap(bytes);
        if (!decoded.ok) {
            std::fprintf(stderr, "kpix-cli: %s: %s\n", input.c_str(), decoded.error.c_str());
            status = 2;
            continue;
        }
        const core::Image& image = decoded.image;
        std::string note;
        if (!cli::image_params(given, image, opt.params, note, error)) {
            std::fprintf(stderr, "kpix-cli: %s: %s\n", input.c_str(), error.c_str());
            status = 2;
            continue;
        }
        if (!note.empty() && !opt.quiet) {
            std::printf("%s: note: %s\n", input.c_str(), note.c_str());
        }
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
            cluster_with_bar(image, opt.params, pool, bar, counter + stem(input));
        if (result.k == 0) {
            std::fprintf(stderr, "kpix-cli: %s: %s\n", input.c_str(), result.note.c_str());
            status = 2;
            continue;
        }
        const std::string name = stem(input);
        const std::string out_path = to_file
            ? opt.output
            : opt.output + "/" + name + "-k" + std::to_string(result.k) + ".png";

        // The result's own labels unless dithered: no second full-size copy of them.
        const std::vector<uint16_t> dithered =
            opt.dither ? core::round_indices(image, result, opt.params, result.iterations, true, pool)
                       : std::vector<uint16_t>{};
        const uint16_t* idx = opt.dither ? dithered.data() : result.labels.data();
        // Only the PNG that is written is encoded, unless --sizes asks for both.
        std::vector<uint8_t> png_indexed;
        std::vector<uint8_t> png_true;
        if (opt.indexed) {
            png_indexed = core::clustered_png_indexed(image, idx, result.palette);
        }
        const bool write_indexed = !png_indexed.empty();
        if (!write_indexed) {
            png_true = core::clustered_png(image, idx, result.palette);
        }
        double seconds_sizes = 0.0;
        if (opt.sizes) {
            const auto t_sizes = std::chrono::steady_clock::now();
            if (write_indexed) {
                png_true = core::clustered_png(image, idx, result.palette);
            } else if (!opt.indexed) {
                png_indexed = core::clustered_png_indexed(image, idx, result.palette);
            }
            seconds_sizes =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t_sizes).count();
        }
        bool ok = cli::write_output(out_path, write_indexed ? png_indexed : png_true, error);
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
        info.decode = decoded;
        core::Json json = core::stats_json(opt.params, result, info);
        // The CLI's own fields go at the end of the object: the link, output options, PNG sizes.
        core::LinkState link;
        link.params = opt.params;
        json["link"] = core::format_link(link);
        json["version"] = core::kVersion;
        json["dither"] = opt.dither;
        json["work_pixels"] = opt.params.work_pixels;
        json["bytes_original"] = bytes_original;
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
                        kilobytes(bytes_original).c_str(), write_indexed ? "indexed" : "truecolour",
                        kilobytes(written.size()).c_str(),
                        100.0 * static_cast<double>(written.size()) / bytes_original);
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
        if (!write_text(opt.stats_json, text, error)) {
            std::fprintf(stderr, "kpix-cli: %s\n", error.c_str());
            return 1;
        }
    }
    return status;
}
