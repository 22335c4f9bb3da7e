// The parameter table and the one reading, writing and validating of every parameter. Defaults
// are ClusterParams' own initialisers (read here, never repeated); ranges live only in the table.
#include "params.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "cluster.h"
#include "colour.h"
#include "features.h"
#include "image.h"
#include "stats.h"

namespace core {

bool Seed::operator==(const Seed& o) const
{
    return has_colour == o.has_colour && has_position == o.has_position &&
        (!has_colour || (rgb[0] == o.rgb[0] && rgb[1] == o.rgb[1] && rgb[2] == o.rgb[2])) &&
        (!has_position || (x == o.x && y == o.y));
}

namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

const std::vector<ParamSpec> kTable = {
    {"k", ParamKind::whole, 1, static_cast<uint64_t>(kMaxK), 0, 0, "", 'k', "", "K",
     "number of clusters"},
    {"space", ParamKind::choice, 0, 0, 0, 0, "rgb, linear, lab or oklab", '\0', "", "NAME",
     "feature space"},
    {"xy", ParamKind::real, 0, 0, 0.0, 1000.0, "", '\0', "xy-weight", "W",
     "weight of pixel position (RGB+XY segmentation); 0 = colour only, 1 = the longest side "
     "spans the colour axes' range"},
    {"seed", ParamKind::whole, 0, kU64Max, 0, 0, "", '\0', "", "S",
     "random seed; the same seed gives the same result"},
    {"init", ParamKind::choice, 0, 0, 0, 0, "kmeans++, random or grid", '\0', "", "NAME",
     "how the first centres are chosen (--seeds gives them); grid: k centres on a regular "
     "lattice over the image, each moved to the lowest colour gradient in its 3 x 3 "
     "neighbourhood (SLIC's seeding), for position runs (colour only falls back to kmeans++)"},
    {"n_init", ParamKind::whole, 1, 1000, 0, 0, "", '\0', "", "N",
     "independent runs, the lowest inertia is kept"},
    {"max_iter", ParamKind::whole, 1, 100000, 0, 0, "", 'r', "rounds", "N",
     "maximum rounds of Lloyd's algorithm"},
    {"tol", ParamKind::real, 0, 0, 0.0, 1.0, "", '\0', "", "T",
     "relative tolerance on centroid shift"},
    {"work_pixels", ParamKind::whole, 0, kMaxPixels, 0, 0, "", '\0', "", "N",
     "cluster a copy downscaled (area average) to at most N pixels, then give every "
     "full-size pixel its nearest final centroid; 0 = the full image (not used by --sweep)"},
    {"seeds", ParamKind::seeds, 1, static_cast<uint64_t>(kMaxK), 0, 0, "", '\0', "", "LIST",
     "given starting centres instead of --init, comma-separated: colours \"#ff0000\", "
     "pixel positions \"@x:y\" (that pixel's colour) or both \"#ff0000@x:y\"; k becomes "
     "their number; with position (--xy) each needs @x:y"},
};

/// Plain digits only (no sign, no space), in [lo, hi].
bool parse_whole(const std::string& text, uint64_t lo, uint64_t hi, uint64_t& out)
{
    if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos) {
        return false;
    }
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (*end != '\0' || errno != 0 || v < lo || v > hi) {
        return false;
    }
    out = v;
    return true;
}

/// A finite decimal number in [lo, hi]; no leading space, no hex, inf or nan.
bool parse_real(const std::string& text, double lo, double hi, double& out)
{
    if (text.empty() || text.size() > 32 ||
        text.find_first_not_of("0123456789.eE+-") != std::string::npos) {
        return false;
    }
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v) || v < lo || v > hi) {
        return false;
    }
    out = v;
    return true;
}

uint64_t whole_value(const std::string& name, const ClusterParams& p)
{
    if (name == "k") return static_cast<uint64_t>(p.kmeans.k);
    if (name == "seed") return p.kmeans.seed;
    if (name == "n_init") return static_cast<uint64_t>(p.kmeans.n_init);
    if (name == "max_iter") return static_cast<uint64_t>(p.kmeans.max_iter);
    return p.work_pixels;
}

void set_whole(const std::string& name, uint64_t v, ClusterParams& p)
{
    if (name == "k") p.kmeans.k = static_cast<int>(v);
    else if (name == "seed") p.kmeans.seed = v;
    else if (name == "n_init") p.kmeans.n_init = static_cast<int>(v);
    else if (name == "max_iter") p.kmeans.max_iter = static_cast<int>(v);
    else p.work_pixels = static_cast<size_t>(v);
}

int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// "#rrggbb", "#rgb" (the '#' optional), "@x:y" or both.
bool parse_seed(std::string item, Seed& seed)
{
    seed = Seed{};
    const size_t at = item.find('@');
    if (at != std::string::npos) {
        const std::string where = item.substr(at + 1);
        const size_t colon = where.find(':');
        uint64_t x = 0;
        uint64_t y = 0;
        if (colon == std::string::npos ||
            !parse_whole(where.substr(0, colon), 0, kMaxSeedCoordinate, x) ||
            !parse_whole(where.substr(colon + 1), 0, kMaxSeedCoordinate, y)) {
            return false;
        }
        seed.has_position = true;
        seed.x = static_cast<int>(x);
        seed.y = static_cast<int>(y);
        item.erase(at);
    }
    if (!item.empty() && item[0] == '#') {
        item.erase(0, 1);
    }
    if (item.empty()) {
        return seed.has_position;
    }
    if (item.size() != 6 && item.size() != 3) {
        return false;
    }
    const int per = item.size() == 6 ? 2 : 1;
    for (int q = 0; q < 3; ++q) {
        int v = 0;
        for (int i = 0; i < per; ++i) {
            const int h = hex_digit(item[static_cast<size_t>(q * per + i)]);
            if (h < 0) {
                return false;
            }
            v = v * 16 + h;
        }
        seed.rgb[q] = static_cast<uint8_t>(per == 2 ? v : v * 17);
    }
    seed.has_colour = true;
    return true;
}

} // namespace

const std::vector<ParamSpec>& param_table()
{
    return kTable;
}

const ParamSpec* find_param(const std::string& name)
{
    for (const ParamSpec& spec : kTable) {
        if (name == spec.name) {
            return &spec;
        }
    }
    return nullptr;
}

std::string param_rule(const ParamSpec& spec)
{
    switch (spec.kind) {
    case ParamKind::whole:
        return "a whole number from " + std::to_string(spec.whole_lo) + " to " +
            std::to_string(spec.whole_hi);
    case ParamKind::real:
        return "a number from " + json_number(spec.real_lo) + " to " + json_number(spec.real_hi);
    case ParamKind::choice:
        return spec.choices;
    case ParamKind::seeds:
        return "colours #rrggbb and/or positions @x:y, comma-separated, at most " +
            std::to_string(spec.whole_hi);
    }
    return "";
}

std::string param_default(const ParamSpec& spec)
{
    return param_text(spec, ClusterParams{});
}

bool parse_seeds(const std::string& text, std::vector<Seed>& out)
{
    std::vector<Seed> seeds;
    size_t at = 0;
    while (at <= text.size()) {
        const size_t comma = std::min(text.find(',', at), text.size());
        std::string item = text.substr(at, comma - at);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        Seed seed;
        if (!parse_seed(item, seed) || seeds.size() >= static_cast<size_t>(kMaxK)) {
            return false;
        }
        seeds.push_back(seed);
        at = comma + 1;
    }
    out = std::move(seeds);
    return !out.empty();
}

std::string format_seeds(const std::vector<Seed>& seeds)
{
    std::string out;
    for (const Seed& s : seeds) {
        if (!out.empty()) {
            out += ',';
        }
        if (s.has_colour) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "#%02x%02x%02x", s.rgb[0], s.rgb[1], s.rgb[2]);
            out += hex;
        }
        if (s.has_position) {
            out += "@" + std::to_string(s.x) + ":" + std::to_string(s.y);
        }
    }
    return out;
}

bool set_param(const ParamSpec& spec, const std::string& text, ClusterParams& params)
{
    const std::string name = spec.name;
    switch (spec.kind) {
    case ParamKind::whole: {
        uint64_t v = 0;
        if (!parse_whole(text, spec.whole_lo, spec.whole_hi, v)) {
            return false;
        }
        set_whole(name, v, params);
        return true;
    }
    case ParamKind::real: {
        double v = 0.0;
        if (!parse_real(text, spec.real_lo, spec.real_hi, v)) {
            return false;
        }
        if (name == "xy") {
            // strtof, not (float)strtod: json_number(float) writes the shortest text strtof
            // reads back to the same float, and a double rounded to float can differ.
            params.xy = std::strtof(text.c_str(), nullptr);
        } else {
            params.kmeans.tol = v;
        }
        return true;
    }
    case ParamKind::choice:
        if (name == "space") {
            return parse_space(text, params.space);
        }
        if (text == "given") {
            params.kmeans.init = Init::given;
            return true;
        }
        return parse_init(text, params.kmeans.init);
    case ParamKind::seeds:
        return parse_seeds(text, params.seeds);
    }
    return false;
}

std::string param_text(const ParamSpec& spec, const ClusterParams& params)
{
    const std::string name = spec.name;
    switch (spec.kind) {
    case ParamKind::whole:
        return std::to_string(whole_value(name, params));
    case ParamKind::real:
        return name == "xy" ? json_number(params.xy) : json_number(params.kmeans.tol);
    case ParamKind::choice:
        return name == "space" ? space_name(params.space) : init_name(params.kmeans.init);
    case ParamKind::seeds:
        return format_seeds(params.seeds);
    }
    return "";
}

std::string validate(const ClusterParams& params)
{
    for (const ParamSpec& spec : kTable) {
        const std::string name = spec.name;
        bool ok = true;
        if (spec.kind == ParamKind::whole) {
            const uint64_t v = whole_value(name, params);
            // k, n_init and max_iter are ints: a negative one must not pass as a huge uint64.
            const bool negative = (name == "k" && params.kmeans.k < 0) ||
                (name == "n_init" && params.kmeans.n_init < 0) ||
                (name == "max_iter" && params.kmeans.max_iter < 0);
            ok = !negative && v >= spec.whole_lo && v <= spec.whole_hi;
        } else if (spec.kind == ParamKind::real) {
            const double v = name == "xy" ? static_cast<double>(params.xy) : params.kmeans.tol;
            ok = std::isfinite(v) && v >= spec.real_lo && v <= spec.real_hi;
        }
        if (!ok) {
            return name + " is " + param_rule(spec) + ", not " + param_text(spec, params);
        }
    }
    const std::vector<Seed>& seeds = params.seeds;
    const Init init = params.kmeans.init;
    if (seeds.empty()) {
        if (init == Init::given && params.kmeans.given_centroids.empty()) {
            return "init given needs seeds";
        }
        return "";
    }
    if (seeds.size() > static_cast<size_t>(kMaxK)) {
        return "at most " + std::to_string(kMaxK) + " seeds";
    }
    if (init != Init::given) {
        return std::string("seeds are given, but init is ") + init_name(init);
    }
    if (params.kmeans.k != static_cast<int>(seeds.size())) {
        return "k is " + std::to_string(params.kmeans.k) + " but " + std::to_string(seeds.size()) +
            " seeds are given";
    }
    for (const Seed& s : seeds) {
        if (!s.has_colour && !s.has_position) {
            return "a seed needs a colour or a position";
        }
        if (s.has_position && (s.x < 0 || s.y < 0 || s.x > kMaxSeedCoordinate ||
                               s.y > kMaxSeedCoordinate)) {
            return "a seed's position is outside 0.." + std::to_string(kMaxSeedCoordinate);
        }
        if (params.xy > 0.0f && !s.has_position) {
            return "with position (xy > 0) every seed needs a position (@x:y)";
        }
    }
    return "";
}

bool seed_centroids(ClusterParams& params, const Image& image, std::string& error)
{
    if (params.seeds.empty()) {
        return true;
    }
    const int d = feature_dimension(params);
    std::vector<float>& out = params.kmeans.given_centroids;
    out.clear();
    // The same float operations as features.cpp's position_scale and feature_of.
    const float scale = position_scale(image, params);
    for (const Seed& s : params.seeds) {
        if (s.has_position && (s.x >= image.width || s.y >= image.height)) {
            error = "the seed @" + std::to_string(s.x) + ":" + std::to_string(s.y) +
                " is outside the " + std::to_string(image.width) + " x " +
                std::to_string(image.height) + " image";
            return false;
        }
        const size_t i = static_cast<size_t>(s.y) * static_cast<size_t>(image.width) +
            static_cast<size_t>(s.x);
        const uint8_t* rgb = s.has_colour ? s.rgb : image.rgba.data() + 4 * i;
        float f[5] = {0, 0, 0, 0, 0};
        srgb8_to_space(params.space, rgb, f);
        if (d == 5) {
            position_features(scale, static_cast<size_t>(s.x), static_cast<size_t>(s.y), f + 3);
        }
        out.insert(out.end(), f, f + d);
    }
    return true;
}

} // namespace core
