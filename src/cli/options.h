// kpix-cli's command line: the options, their parsing and --help. The clustering parameters are
// read, ranged and documented by core's parameter table (core/params.h); this file only maps
// flags onto it and adds the CLI's own (outputs, sweep, grid, threads) and k-meanz's spellings.
#pragma once

#include <string>
#include <vector>

#include "core/choose_k.h"
#include "core/cluster.h"

namespace cli {

struct Options {
    /// Image files; "-" is standard input.
    std::vector<std::string> inputs;
    /// A .png file, "-" (standard output) or a directory.
    std::string output = ".";
    std::string stats_json;
    std::string palette;
    std::string labels;
    std::string gif;
    /// Every clustering parameter, including work_pixels and the given seeds.
    core::ClusterParams params;
    /// -s False (k-meanz): position in pixel units, so xy is set per image (see image_params).
    bool xy_pixels = false;
    int threads = 0;
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

/// Reads argv; prints --help or --version and exits 0, or a message and exits 2 on a bad
/// argument.
Options parse_args(int argc, char** argv);

/// Prints "kpix-cli: message" and the --help hint to stderr, and exits 2.
[[noreturn]] void usage_error(const std::string& message);

/// The parameters for one image: -s False's xy (the image's longest side over the colour range)
/// and the seeds' starting centroids. note says what -s False chose; false (and error) when a
/// seed lies outside the image.
bool image_params(const Options& options, const core::Image& image, core::ClusterParams& params,
                  std::string& note, std::string& error);

/// Whether path's extension is wanted (lower case), in any case.
bool has_extension(const std::string& path, const std::string& wanted);

} // namespace cli
