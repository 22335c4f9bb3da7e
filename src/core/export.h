// What a clustering can be saved as, beyond the clustered truecolour PNG: an indexed PNG with a
// palette, a label map, an animated GIF of the rounds, and the palette as GIMP, JSON, CSS or text.
// Byte encoders only (no files, no platform code); the PNG container and the GIF LZW are our own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cluster.h"

namespace core {

/// CRC-32 as PNG and zlib define it (polynomial 0xEDB88320), continuing from crc (0 to start).
uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

/// An 8-bit indexed PNG (colour type 3) with a PLTE chunk, and a tRNS chunk when alpha is given.
/// indices: width * height, each < colours; palette: colours * 3 (sRGB); alpha: colours or nullptr
/// (all opaque); colours: 1..256. IDAT is compressed with stb_image_write's zlib deflate.
std::vector<uint8_t> encode_png_indexed(const uint8_t* indices, int width, int height,
                                        const uint8_t* palette, const uint8_t* alpha, int colours);

/// A greyscale PNG (colour type 0) of width * height values, bit_depth 8 (values <= 255) or 16.
std::vector<uint8_t> encode_png_grey(const uint16_t* values, int width, int height, int bit_depth);

/// The label map: each pixel's cluster index as grey, 8-bit when k <= 256, else 16-bit.
std::vector<uint8_t> encode_label_map(const ClusterResult& result);

/// One frame of an animated GIF, the size of the whole animation.
struct GifFrame {
    /// Palette index of every pixel, width * height.
    std::vector<uint8_t> indices;
    /// Colours of this frame, colours * 3 (sRGB), 1..256 colours.
    std::vector<uint8_t> palette;
    /// How long the frame shows, in hundredths of a second.
    int delay_cs = 50;
    /// Palette index drawn as transparent, or -1 for none.
    int transparent = -1;
};

/// Writes a GIF89a that loops forever (NETSCAPE2.0, loop count 0) one frame at a time, so that
/// only the compressed file is held, never every frame. Width and height: 1..65535.
class GifEncoder {
public:
    /// global_palette (colours * 3, 1..256 colours) is the global colour table; a frame whose
    /// palette differs carries its own local table.
    GifEncoder(int width, int height, const std::vector<uint8_t>& global_palette);
    void add_frame(const GifFrame& frame);
    /// The whole file, trailer included; the encoder is spent afterwards.
    std::vector<uint8_t> finish();

private:
    std::vector<uint8_t> m_out;
    std::vector<uint8_t> m_global;
    int m_global_bits = 1;
    int m_width = 0;
    int m_height = 0;
};

/// All frames at once, the first frame's palette as the global table.
std::vector<uint8_t> encode_gif(const std::vector<GifFrame>& frames, int width, int height);

enum class PaletteFormat { gpl, json, css, txt };

/// The format named by a file's extension (.gpl, .json, .css, .txt, any case); false if none.
bool palette_format_from_path(const std::string& path, PaletteFormat& format);

/// A file name's extension in lower case, without the dot ("" if the last part has none).
std::string file_extension(const std::string& path);

/// The palette (largest share first) with each colour's share, as text in the given format.
/// name: what the palette is called (GIMP's "Name:", the JSON "name", the CSS comment).
std::string palette_text(const ClusterResult& result, PaletteFormat format, const std::string& name);

} // namespace core
