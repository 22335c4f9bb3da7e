// The GIF89a encoder: an animation that loops forever, written one frame at a time with our own
// variable-width LZW. What goes into the frames (the rounds of a clustering) is outputs.h's.
#pragma once

#include <cstdint>
#include <vector>

namespace core {

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

} // namespace core
