// The clustering parameters, each named, ranged, defaulted and documented once. The CLI's flags,
// its --help, the link's keys and the app's widget limits all ask this table; names are the stats
// JSON's words (k, space, xy, seed, init, n_init, max_iter, tol, work_pixels, seeds).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace core {

struct ClusterParams;
struct Image;

/// Photos with more pixels are clustered on an area-averaged copy of this many, then every pixel
/// takes its nearest final centroid. One default for the app, the page, links and the CLI, so a
/// link reproduces in the CLI what the app showed: 2 MP keeps a 40 MP photo interactive (and in
/// wasm's memory) while every sample and most screen images are clustered whole; the inertia of
/// the full-size result is within a few per cent of clustering every pixel. 0 = the full image.
constexpr size_t kDefaultWorkPixels = 2'000'000;

/// A given starting centre (init "given"): a colour, a pixel position, or both. Written
/// "#rrggbb", "@x:y" (that pixel's colour: the app's shift-clicked seeds) or "#rrggbb@x:y".
struct Seed {
    bool has_colour = false;
    uint8_t rgb[3] = {0, 0, 0};
    bool has_position = false;
    /// Pixel column and row in the full-size image, 0 at the top left.
    int x = 0;
    int y = 0;

    bool operator==(const Seed& o) const;
    bool operator!=(const Seed& o) const { return !(*this == o); }
};

/// Largest pixel coordinate a seed may name (the longest side kpix decodes is below it).
constexpr int kMaxSeedCoordinate = 65535;

enum class ParamKind { whole, real, choice, seeds };

/// One parameter: its name everywhere, its range, default and help.
struct ParamSpec {
    /// The stats JSON's key, the link's key and (with '-' for '_') the CLI's long flag.
    const char* name;
    ParamKind kind;
    /// whole: the range; seeds: the count's range.
    uint64_t whole_lo;
    uint64_t whole_hi;
    /// real: the range.
    double real_lo;
    double real_hi;
    /// choice: the accepted names, as a sentence ("rgb, linear, lab or oklab").
    const char* choices;
    /// The CLI: its short flag ('\0' for none), further long spellings (space-separated, without
    /// "--", listed in --help as "also") and the value's placeholder.
    char short_flag;
    const char* aliases;
    const char* value_name;
    /// A sentence or two for --help (which wraps it); the range and the default are added from
    /// the fields.
    const char* help;
};

/// Every parameter, in --help's order.
const std::vector<ParamSpec>& param_table();
/// The entry named name (the stats JSON's word), or nullptr.
const ParamSpec* find_param(const std::string& name);

/// "a whole number from 1 to 4096", "rgb, linear, lab or oklab", ...: what a value must be.
std::string param_rule(const ParamSpec& spec);
/// The default value, as param_text writes it.
std::string param_default(const ParamSpec& spec);

/// Reads text as spec's value into params; false (params unchanged) when it is not a value in
/// range. Whole numbers are plain digits; reals are finite decimals.
bool set_param(const ParamSpec& spec, const std::string& text, ClusterParams& params);
/// params' value of spec as text that set_param reads back to the identical value.
std::string param_text(const ParamSpec& spec, const ClusterParams& params);

/// "#ff0000,@10:20,#00ff00@3:4" -> seeds; false on anything else (or more than the table allows).
bool parse_seeds(const std::string& text, std::vector<Seed>& out);
std::string format_seeds(const std::vector<Seed>& seeds);

/// Empty when every parameter is in its range and they agree with each other; else a sentence
/// naming the first problem. Given seeds need init "given" and k equal to their number, and with
/// position (xy > 0) every seed needs a position; init "given" needs seeds.
std::string validate(const ClusterParams& params);

/// Fills params.kmeans.given_centroids from params.seeds for this image (the seeds' features in
/// the working space, as cluster() computes a pixel's); nothing to do without seeds. False
/// (and error) when a seed names a pixel outside the image.
bool seed_centroids(ClusterParams& params, const Image& image, std::string& error);

} // namespace core
