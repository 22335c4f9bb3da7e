// What a clustering is saved as, for the app and the CLI alike: the clustered picture as a
// truecolour or indexed PNG (any round, dithered or not), an animated GIF of the rounds, the label
// map, and the palette as GIMP, JSON, CSS or text. Bytes only: files and downloads are the caller's.
// The encoders are png.h and gif.h; the stats, sweep and grid JSON are stats.h's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster.h"
#include "gif.h"
#include "png.h"

namespace core {

class ThreadPool;

/// Palette index of every pixel in round `round` (0..iterations; iterations is the result
/// itself): the round's labels, or with dither the image diffused (Floyd-Steinberg, sRGB) onto that
/// round's palette. params: the ones the result was clustered with.
std::vector<uint16_t> round_indices(const Image& image, const ClusterResult& result,
                                    const ClusterParams& params, int round, bool dither,
                                    ThreadPool& pool);

/// The image's pixels in their palette colours as a truecolour PNG: RGB when every pixel is
/// opaque, RGBA when some are transparent (alpha < kAlphaThreshold; written as 0, 0, 0, 0).
/// indices: image.pixels(), each < palette.size() / 3.
std::vector<uint8_t> clustered_png(const Image& image, const uint16_t* indices,
                                   const std::vector<uint8_t>& palette);

/// The same pixels as an indexed PNG; transparent pixels take one more palette entry (alpha 0).
/// Empty when that makes more than 256 entries.
std::vector<uint8_t> clustered_png_indexed(const Image& image, const uint16_t* indices,
                                           const std::vector<uint8_t>& palette);

struct RoundsGifOptions {
    /// Longest side of the frames: the image is scaled to fit (nearest neighbour), so that a big
    /// photo's GIF stays small and quick to build; 0 = full size.
    int max_side = 0;
    /// Hundredths of a second per frame; the last frame (the result) shows four times as long.
    int delay_cs = 50;
    /// Floyd-Steinberg onto each round's palette.
    bool dither = false;
};

/// An animated GIF of every round (k <= 256; at most 65535 pixels a side after scaling), each
/// frame that round's picture in that round's palette (the result's palette is the global table).
/// Transparent pixels stay transparent when k < 256 leaves an entry for them.
std::vector<uint8_t> rounds_gif(const Image& image, const ClusterResult& result,
                                const ClusterParams& params, const RoundsGifOptions& options,
                                ThreadPool& pool);

/// The label map: each pixel's cluster index as grey, 8-bit when k <= 256, else 16-bit.
std::vector<uint8_t> encode_label_map(const ClusterResult& result);

enum class PaletteFormat { gpl, json, css, txt };

/// The format named by a file's extension (.gpl, .json, .css, .txt, any case); false if none.
bool palette_format_from_path(const std::string& path, PaletteFormat& format);

/// A file name's extension in lower case, without the dot ("" if the last part has none).
std::string file_extension(const std::string& path);

/// The palette (largest share first) with each colour's share, as text in the given format.
/// name: what the palette is called (GIMP's "Name:", the JSON "name", the CSS comment).
std::string palette_text(const ClusterResult& result, PaletteFormat format, const std::string& name);

} // namespace core
