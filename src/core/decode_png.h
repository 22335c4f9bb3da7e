// PNG through libspng with zlib's inflate (Debian's libraries natively, their Debian sources built
// with emcc for wasm): lossless, so every build gives exactly the pixels stb_image gave.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "image.h"

namespace core {

/// Decodes a PNG (any colour type and bit depth, interlaced or not; tRNS applied; 16-bit samples
/// keep their high byte) into RGBA8. Colour profile and orientation are not applied. CRCs and the
/// zlib checksum are not checked, as stb_image never did. False with a sentence in error for a
/// damaged file or more than max_pixels pixels.
bool decode_png(const uint8_t* data, size_t size, size_t max_pixels, Image& out, std::string& error);

} // namespace core
