// Colour profiles: the ICC profile a JPEG or PNG carries, and converting its pixels to sRGB with
// Little CMS 2, so every colour downstream (clusters, palettes, exports) is in one space.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "image.h"

namespace core {

/// The embedded ICC profile of a JPEG (APP2 "ICC_PROFILE\0" chunks, joined in sequence order) or
/// a PNG (iCCP, inflated). Empty when there is none; when there is one that cannot be put
/// together (chunks missing or repeated, bad zlib data) also empty, with a sentence in note.
std::vector<uint8_t> embedded_icc_profile(const uint8_t* data, size_t size, std::string& note);

struct ProfileConversion {
    /// True when the pixels are in sRGB now: converted, or left as they were when the conversion
    /// moves no colour of a probe set by more than lcms2's rounding (an sRGB profile).
    bool converted = false;
    /// The profile's description ("Display P3"), or "unnamed profile" when it has none.
    std::string description;
    /// Why the profile was not used, for the user; empty when it was.
    std::string note;
};

/// Converts RGBA8 pixels from the given RGB profile to sRGB (relative colorimetric), alpha
/// untouched. A profile lcms2 rejects, or one for other than RGB data, leaves the pixels as they
/// are and says why in note. A conversion that moves none of about 6,000 probe colours (greys,
/// ramps, a 16-level grid) by more than one level, lcms2's own rounding (an sRGB profile), is
/// taken as the identity and the pixels are not touched. Slices of
/// pixels are shared out over pool when one is given; the result is the same without.
ProfileConversion convert_to_srgb(Image& image, const uint8_t* icc, size_t size, ThreadPool* pool = nullptr);

} // namespace core
