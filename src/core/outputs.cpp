// The pictures and palette files made from a clustering. One function per output, with options
// where the app and the CLI differ (the app's GIF is scaled down, the CLI's may be dithered).
#include "outputs.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "k_gallery.h"
#include "render.h"
#include "stats.h"
#include "thread_pool.h"

namespace core {
namespace {

std::string hex_colour(const uint8_t* c)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c[0], c[1], c[2]);
    return buf;
}

std::string percent(double share)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * share);
    return buf;
}

} // namespace

std::vector<uint16_t> round_indices(const Image& image, const ClusterResult& result,
                                    const ClusterParams& params, int round, bool dither,
                                    ThreadPool& pool)
{
    const bool last = round == result.iterations && result.labels.size() == image.pixels();
    if (!dither) {
        return last ? result.labels : round_labels(result, image, params, round, pool);
    }
    const std::vector<uint8_t> palette =
        last ? result.palette : round_palette(result, params, round);
    return dither_floyd_steinberg(image, palette.data(), result.k);
}

std::vector<uint8_t> clustered_png(const Image& image, const uint16_t* indices,
                                   const std::vector<uint8_t>& palette)
{
    std::vector<uint8_t> rgba = render_palette(image, indices, palette.data());
    if (has_transparent(image)) {
        return encode_png(rgba.data(), image.width, image.height, 4);
    }
    // Opaque: RGB in place, a quarter fewer bytes to deflate.
    for (size_t i = 0; i < image.pixels(); ++i) {
        std::copy_n(rgba.begin() + 4 * i, 3, rgba.begin() + 3 * i);
    }
    return encode_png(rgba.data(), image.width, image.height, 3);
}

std::vector<uint8_t> clustered_png_indexed(const Image& image, const uint16_t* indices,
                                           const std::vector<uint8_t>& palette)
{
    const int k = static_cast<int>(palette.size() / 3);
    const bool transparent = has_transparent(image);
    if (k + (transparent ? 1 : 0) > 256) {
        return {};
    }
    if (!transparent) {
        return encode_png_indexed(indices, image.width, image.height, palette.data(), nullptr, k);
    }
    // Transparent pixels take entry k, alpha 0.
    std::vector<uint8_t> bytes(indices, indices + image.pixels());
    std::vector<uint8_t> entries = palette;
    entries.insert(entries.end(), {0, 0, 0});
    std::vector<uint8_t> alpha(static_cast<size_t>(k), 255);
    alpha.push_back(0);
    for (size_t i = 0; i < image.pixels(); ++i) {
        if (image.rgba[4 * i + 3] < kAlphaThreshold) {
            bytes[i] = static_cast<uint8_t>(k);
        }
    }
    return encode_png_indexed(bytes.data(), image.width, image.height, entries.data(), alpha.data(),
                              static_cast<int>(entries.size() / 3));
}

std::vector<uint8_t> rounds_gif(const Image& image, const ClusterResult& result,
                                const ClusterParams& params, const RoundsGifOptions& options,
                                ThreadPool& pool)
{
    const bool scaled = options.max_side > 0 &&
                        std::max(image.width, image.height) > options.max_side;
    const Image small = scaled ? scaled_to_fit(image, options.max_side) : Image{};
    const Image& frame_image = scaled ? small : image;
    const int k = result.k;
    const bool transparent = k < 256 && has_transparent(frame_image);
    auto palette_of = [&](int round) {
        std::vector<uint8_t> palette = round_palette(result, params, round);
        if (transparent) {
            palette.insert(palette.end(), {0, 0, 0});
        }
        return palette;
    };
    GifEncoder gif(frame_image.width, frame_image.height, palette_of(result.iterations));
    for (int round = 0; round < round_count(result); ++round) {
        GifFrame f;
        f.palette = palette_of(round);
        // Position features (xy) are scaled with the image, so a scaled frame's labels match
        // the full-size ones.
        const std::vector<uint16_t> idx =
            round_indices(frame_image, result, params, round, options.dither, pool);
        f.indices.assign(idx.begin(), idx.end());
        if (transparent) {
            f.transparent = k;
            for (size_t i = 0; i < frame_image.pixels(); ++i) {
                if (frame_image.rgba[4 * i + 3] < kAlphaThreshold) {
                    f.indices[i] = static_cast<uint8_t>(k);
                }
            }
        }
        f.delay_cs = round == result.iterations ? 4 * options.delay_cs : options.delay_cs;
        gif.add_frame(f);
    }
    return gif.finish();
}

std::vector<uint8_t> encode_label_map(const ClusterResult& result)
{
    return encode_png_grey(result.labels.data(), result.width, result.height,
                           result.k <= 256 ? 8 : 16);
}

std::string file_extension(const std::string& path)
{
    const size_t dot = path.find_last_of('.');
    const size_t slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return "";
    }
    std::string ext = path.substr(dot + 1);
    for (char& c : ext) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return ext;
}

bool palette_format_from_path(const std::string& path, PaletteFormat& format)
{
    const std::string ext = file_extension(path);
    if (ext == "gpl") {
        format = PaletteFormat::gpl;
    } else if (ext == "json") {
        format = PaletteFormat::json;
    } else if (ext == "css") {
        format = PaletteFormat::css;
    } else if (ext == "txt") {
        format = PaletteFormat::txt;
    } else {
        return false;
    }
    return true;
}

std::string palette_text(const ClusterResult& result, PaletteFormat format, const std::string& name)
{
    std::string s;
    char buf[64];
    switch (format) {
    case PaletteFormat::gpl:
        s = "GIMP Palette\nName: " + name + "\nColumns: 8\n# kpix, largest share first\n";
        for (int c = 0; c < result.k; ++c) {
            const uint8_t* p = result.palette.data() + 3 * c;
            std::snprintf(buf, sizeof buf, "%3d %3d %3d\t", p[0], p[1], p[2]);
            s += buf + hex_colour(p) + " " + percent(result.shares[c]) + "\n";
        }
        break;
    case PaletteFormat::json: {
        Json colours = Json::array();
        for (int c = 0; c < result.k; ++c) {
            const uint8_t* p = result.palette.data() + 3 * c;
            colours.push_back(Json{{"hex", hex_colour(p)},
                                   {"rgb", {p[0], p[1], p[2]}},
                                   {"share", json_value(result.shares[c])}});
        }
        s = json_text(Json{{"name", name}, {"colours", std::move(colours)}}) + "\n";
        break;
    }
    case PaletteFormat::css:
        s = "/* kpix palette of " + name + ", largest share first */\n:root {\n";
        for (int c = 0; c < result.k; ++c) {
            s += "  --kpix-" + std::to_string(c + 1) + ": " +
                 hex_colour(result.palette.data() + 3 * c) + "; /* " +
                 percent(result.shares[c]) + " */\n";
        }
        s += "}\n";
        break;
    case PaletteFormat::txt:
        for (int c = 0; c < result.k; ++c) {
            s += hex_colour(result.palette.data() + 3 * c) + " " + percent(result.shares[c]) + "\n";
        }
        break;
    }
    return s;
}

} // namespace core
