// kpix-cli's flags onto core's parameter table, the CLI's own options, and --help, whose
// clustering section is printed from the table.
#include "options.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/colour.h"
#include "core/k_gallery.h"
#include "core/link.h"
#include "core/outputs.h"
#include "core/params.h"
#include "core/samples.h"
#include "core/stats.h"
#include "core/version.h"
#include "platform/paths.h"

namespace cli {
namespace {

constexpr const char* kUsageHead = R"(usage: kpix-cli INPUT... [options]
       kpix-cli --sample NAME [options]

Clusters the pixels of each INPUT image with k-means++ and writes the clustered image.
Several inputs are processed in turn (a progress bar on a terminal, a line each otherwise).
An INPUT '-' is read from stdin; '--' ends the options (every later argument is an INPUT).
Long options also take --name=VALUE, and '_' for '-' (--n_init, --max_iter: the stats JSON's words).
Short options also take their value attached, and -s and -g an optional True or False, as in
k-meanz: "kpix-cli photo.jpg -k10 -r5 -s False" works as it does there.

clustering (the stats JSON's and the links' words; defaults in brackets):
)";

constexpr const char* kUsageCli = R"(  -s, --scale [True]     position on with weight 1 (same as --xy 1)
  -s False               position on, in pixel units as k-meanz has it: xy is the image's longest
                         side over the colour range (640 / 255 for a 640 px wide photo in rgb),
                         said in a note
      --link TEXT        the parameters (and the sample) of a kpix link, such as
                         "sample=chelsea&k=3&xy=1" (the part after '#'); flags after it change
                         them. The stats JSON's "link" is the link of each run
      --threads T        worker threads, 0 = all hardware threads [0]

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
                         is created if missing); '-' writes the PNG to stdout;
                         anything else is an output directory, created if missing,
                         that receives NAME-kK.png for each INPUT [.]
      --outdir DIR       same as -o DIR
      --indexed          write the output PNG as indexed (PLTE; 1, 2, 4 or 8 bits a pixel) when
                         k <= 256 [truecolour]
      --sizes            also encode the PNG that is not written (indexed or truecolour) to
                         report both sizes; the line says what that cost [off]
      --dither           Floyd-Steinberg error diffusion onto the palette (in sRGB) for every
                         image written [off]
  -g, --generate-all [True|False]
                         also write every round, NAME-round-000.png (the starting centroids) to
                         NAME-round-N.png (N rounds), next to the output
      --gif FILE.gif     an animated GIF of the rounds, looping (k <= 256; one INPUT only)
      --gif-delay CS     hundredths of a second per GIF frame; the last shows 4 times as long [50]
      --palette FILE     the palette with shares, largest first; format by extension:
                         .gpl (GIMP), .json, .css (custom properties), .txt (hex list)
      --labels FILE.png  the label map: each pixel's cluster as grey, 8-bit (k <= 256) or 16-bit
      --stats-json FILE  write parameters, palette, timings and PNG sizes as JSON ('-' = stdout)
                         (when stdout carries the JSON or the PNG, every other line goes to
                         stderr)
      --sample NAME      cluster a built-in sample photo: coffee, chelsea, astronaut,
                         rocket, hubble_deep_field (scikit-image's, CC0 / public domain)
  -q, --quiet            print nothing but errors
  -h, --help             this text
      --version          kpix-cli's version

Unless --quiet, each image's line reports the size of the original file and of the PNG written
(bytes_original, bytes_png_truecolour or bytes_png_indexed in the stats JSON, the other null);
with --sizes both PNG sizes.

exit status: 0 done; 1 an output could not be written; 2 bad arguments, or an input that could
not be read or clustered (the other inputs are still processed).
)";

constexpr size_t kFlagColumn = 25;
constexpr size_t kHelpWidth = 99;

/// Whether -X takes a value that may be attached (-k10): the table's short flags, -o, and -s
/// and -g with their True/False.
bool short_with_value(char x)
{
    for (const core::ParamSpec& spec : core::param_table()) {
        if (spec.short_flag == x) {
            return true;
        }
    }
    return x == 'o' || x == 's' || x == 'g';
}

/// k-meanz's booleans: True/False (also true/false, T/F, in any case).
bool parse_bool(std::string text, bool& out)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (text == "true" || text == "t") {
        out = true;
        return true;
    }
    if (text == "false" || text == "f") {
        out = false;
        return true;
    }
    return false;
}

/// The table's "name" as a long flag: "n_init" -> "--n-init".
std::string long_flag(const std::string& name)
{
    std::string flag = "--" + name;
    std::replace(flag.begin(), flag.end(), '_', '-');
    return flag;
}

/// Whether a (already '_' -> '-') names spec: its long flag, an alias or its short flag.
bool names_param(const std::string& a, const core::ParamSpec& spec)
{
    if (a == long_flag(spec.name) || (spec.short_flag && a == std::string{'-', spec.short_flag})) {
        return true;
    }
    const std::string aliases = std::string(" ") + spec.aliases + " ";
    return a.size() > 2 && aliases.find(" " + a.substr(2) + " ") != std::string::npos;
}

/// The clustering section of --help, one entry per parameter of the table.
std::string table_help()
{
    std::string out;
    for (const core::ParamSpec& spec : core::param_table()) {
        std::string flags = spec.short_flag ? std::string("  -") + spec.short_flag + ", " : "      ";
        flags += long_flag(spec.name) + " " + spec.value_name;
        flags.resize(std::max(kFlagColumn, flags.size() + 1), ' ');
        std::string help = spec.help;
        switch (spec.kind) {
        case core::ParamKind::whole:
            help += ", " + std::to_string(spec.whole_lo) + ".." + std::to_string(spec.whole_hi);
            break;
        case core::ParamKind::real:
            help += ", " + core::json_number(spec.real_lo) + ".." + core::json_number(spec.real_hi);
            break;
        case core::ParamKind::choice:
            help += ": " + std::string(spec.choices);
            break;
        case core::ParamKind::seeds:
            break;
        }
        if (spec.kind != core::ParamKind::seeds) {
            help += " [" + core::param_default(spec) + "]";
        }
        if (*spec.aliases) {
            std::string also;
            const std::string aliases = spec.aliases;
            size_t at = 0;
            while (at < aliases.size()) {
                const size_t space = std::min(aliases.find(' ', at), aliases.size());
                also += (also.empty() ? "" : ", ") + long_flag(aliases.substr(at, space - at));
                at = space + 1;
            }
            help += " (also " + also + ")";
        }
        // Word-wrapped to the help's width, continuation lines under the first.
        std::string text;
        size_t line = 0;
        size_t at = 0;
        while (at < help.size()) {
            const size_t gap = std::min(help.find_first_of(" \n", at), help.size());
            const std::string word = help.substr(at, gap - at);
            if (line > 0 && line + 1 + word.size() > kHelpWidth - kFlagColumn) {
                text += "\n" + std::string(kFlagColumn, ' ');
                line = 0;
            }
            text += (line > 0 ? " " : "") + word;
            line += (line > 0 ? 1 : 0) + word.size();
            at = gap + 1;
        }
        out += flags + text + "\n";
    }
    return out;
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

void parse_metrics(const std::string& v, Options& o)
{
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
}

/// The path of a built-in sample, or a usage error.
std::string sample_path(const std::string& name)
{
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
    return dir + "/" + sample->file;
}

/// The checks that need every option: seeds against k and position, one-file outputs.
void check_together(Options& o, bool k_given)
{
    core::KMeansParams& km = o.params.kmeans;
    const bool seeds = !o.params.seeds.empty();
    if (seeds) {
        const int count = static_cast<int>(o.params.seeds.size());
        if (k_given && km.k != count) {
            usage_error("-k " + std::to_string(km.k) + " but --seeds gives " +
                        std::to_string(count) + " seeds");
        }
        km.k = count;
        km.init = core::Init::given;
    }
    const std::string problem = core::validate(o.params);
    if (!problem.empty()) {
        usage_error(problem);
    }
    if (o.sweep_lo > 0 && (!o.gif.empty() || !o.palette.empty() || !o.labels.empty() ||
                           o.generate_all || seeds)) {
        usage_error("--sweep writes no images: it cannot be used with --gif, --palette, "
                    "--labels, -g or --seeds");
    }
    if (o.grid_lo > 0 && (o.sweep_lo > 0 || !o.gif.empty() || !o.palette.empty() ||
                          !o.labels.empty() || o.generate_all || seeds)) {
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
}

} // namespace

[[noreturn]] void usage_error(const std::string& message)
{
    std::fprintf(stderr, "kpix-cli: %s\n(see kpix-cli --help)\n", message.c_str());
    std::exit(2);
}

bool has_extension(const std::string& path, const std::string& wanted)
{
    return core::file_extension(path) == wanted;
}

Options parse_args(int argc, char** argv)
{
    Options o;
    bool k_given = false;
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
        } else if (a.size() > 2 && a[0] == '-' && short_with_value(a[1])) {
            // k-meanz's (argparse's) short options with the value attached: -k10 -r5 -sFalse.
            inline_value = a.substr(2);
            has_inline = true;
            a.erase(2);
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
        // -s and -g take k-meanz's optional True/False: bare, they mean True.
        auto optional_bool = [&]() -> bool {
            bool b = true;
            if (has_inline) {
                has_inline = false;
                if (!parse_bool(inline_value, b)) {
                    usage_error(a + " takes True or False, not '" + inline_value + "'");
                }
            } else if (i + 1 < argc && parse_bool(argv[i + 1], b)) {
                ++i;
            }
            return b;
        };
        const core::ParamSpec* param = nullptr;
        for (const core::ParamSpec& spec : core::param_table()) {
            if (names_param(a, spec)) {
                param = &spec;
            }
        }
        if (a == "--" && !has_inline) {
            // Everything after "--" is an INPUT, even when it starts with '-'.
            o.inputs.insert(o.inputs.end(), argv + i + 1, argv + argc);
            break;
        }
        if (a == "--version") {
            std::printf("kpix-cli %s\n", core::kVersion);
            std::exit(0);
        } else if (a == "-h" || a == "--help") {
            std::fputs(kUsageHead, stdout);
            std::fputs(table_help().c_str(), stdout);
            std::fputs(kUsageCli, stdout);
            std::exit(0);
        } else if (param) {
            const std::string v = value();
            if (!core::set_param(*param, v, o.params)) {
                usage_error(a + " takes " + core::param_rule(*param) + ", not '" + v + "'");
            }
            k_given = k_given || std::string(param->name) == "k";
            o.xy_pixels = o.xy_pixels && std::string(param->name) != "xy";
        } else if (a == "--link") {
            core::LinkState start;
            start.params = o.params;
            const core::ParsedLink link = core::parse_link(value(), start);
            if (!link.notes.empty()) {
                usage_error("--link: " + link.notes[0]);
            }
            o.params = link.state.params;
            o.xy_pixels = false;
            if (!link.state.sample.empty()) {
                o.inputs.push_back(sample_path(link.state.sample));
            }
        } else if (a == "-o" || a == "--output" || a == "--outdir") {
            o.output = value();
        } else if (a == "-s" || a == "--scale") {
            // Position on either way; -s False keeps k-meanz's unscaled pixel units (image_params).
            o.xy_pixels = !optional_bool();
            o.params.xy = 1.0f;
        } else if (a == "--threads") {
            o.threads = static_cast<int>(parse_int(a, value(), 0, 256));
        } else if (a == "--sweep") {
            parse_range(a, value(), core::kMaxSweep, o.sweep_lo, o.sweep_hi);
        } else if (a == "--grid") {
            parse_range(a, value(), core::kMaxGridTiles, o.grid_lo, o.grid_hi);
        } else if (a == "--metrics") {
            parse_metrics(value(), o);
        } else if (a == "--stats-json") {
            o.stats_json = value();
        } else if (a == "--indexed") {
            o.indexed = true;
        } else if (a == "--sizes") {
            o.sizes = true;
        } else if (a == "--dither") {
            o.dither = true;
        } else if (a == "-g" || a == "--generate-all") {
            o.generate_all = optional_bool();
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
            o.inputs.push_back(sample_path(value()));
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
    check_together(o, k_given);
    if (o.output == "-" && o.stats_json == "-") {
        usage_error("-o - and --stats-json - would both write to stdout: give one of them a file");
    }
    return o;
}

bool image_params(const Options& options, const core::Image& image, core::ClusterParams& params,
                  std::string& note, std::string& error)
{
    params = options.params;
    note.clear();
    if (options.xy_pixels) {
        const int side = std::max(image.width, image.height);
        params.xy = static_cast<float>(side) / core::space_span(params.space);
        char text[160];
        std::snprintf(text, sizeof text,
                      "-s False: position in pixel units, as k-meanz has it (xy = %s: the "
                      "longest side, %d px, over the colour range %g)",
                      core::json_number(params.xy).c_str(), side,
                      static_cast<double>(core::space_span(params.space)));
        note = text;
    }
    return core::seed_centroids(params, image, error);
}

} // namespace cli
