// JPEG through libjpeg-turbo (Debian's library natively, its Debian source built with emcc for
// wasm): the accurate integer IDCT in every build, so native and wasm give the same pixels, and
// DCT-domain scaling (1/2, 1/4, 1/8) for working copies that never need the full-size decode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "image.h"

namespace core {

struct JpegDecode {
    /// The pixels, RGBA8, as stored (no orientation or colour profile applied).
    Image image;
    /// The scale they were decoded at: 1/scale_denom of the stored size (1, 2, 4 or 8).
    int scale_denom = 1;
    /// The stored size at full scale.
    int full_width = 0;
    int full_height = 0;
    /// Why decoding failed, for the user.
    std::string error;
    /// Damaged data that still gave a picture, for the user; empty when none.
    std::string note;
};

/// The DCT scale a working copy of at least min_pixels is decoded at: the largest of 8, 4 and 2
/// that divides a w x h picture (each side rounded up) down to at least min_pixels pixels; 1 when
/// none does or min_pixels is 0.
int jpeg_scale_for(size_t w, size_t h, size_t min_pixels);

/// Decodes a JPEG into RGBA8 (greyscale, YCbCr, RGB, CMYK and YCCK; baseline, progressive and
/// arithmetic coded). min_pixels 0: at full size. Otherwise at the smallest of 1/8, 1/4 and 1/2
/// of its size (each side rounded up) that still has at least min_pixels pixels, or at full size
/// when none has. False, with the error, for a damaged file, a file cut short, more than
/// max_pixels pixels at full size, or a 12-bit JPEG.
bool decode_jpeg(const uint8_t* data, size_t size, size_t min_pixels, size_t max_pixels, JpegDecode& out);

} // namespace core
