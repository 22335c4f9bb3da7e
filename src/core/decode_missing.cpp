// The decoders a build was made without (CMake defines KPIX_NO_HEIF, KPIX_NO_WEBP or KPIX_NO_TIFF
// for this file alone): each refuses with a sentence naming the format, so the page can offer
// the file to the browser's own decoder instead.
#include "decode_codec.h"

namespace core {
namespace {

[[maybe_unused]] bool missing(const std::string& format, std::string& error)
{
    error = "This build of kpix cannot decode " + format + " files.";
    return false;
}

} // namespace

bool codec_built(const std::string& format)
{
#ifdef KPIX_NO_HEIF
    if (format == "heic" || format == "heif" || format == "avif") return false;
#endif
#ifdef KPIX_NO_WEBP
    if (format == "webp") return false;
#endif
#ifdef KPIX_NO_TIFF
    if (format == "tiff") return false;
#endif
    return !format.empty();
}

#ifdef KPIX_NO_HEIF
bool heif_info(const uint8_t*, size_t, const std::string& format, CodecInfo& out)
{
    return missing(format, out.error);
}

bool decode_heif(const uint8_t*, size_t, const std::string& format, size_t, CodecDecode& out)
{
    return missing(format, out.error);
}
#endif

#ifdef KPIX_NO_WEBP
bool webp_info(const uint8_t*, size_t, CodecInfo& out)
{
    return missing("webp", out.error);
}

bool decode_webp(const uint8_t*, size_t, size_t, CodecDecode& out)
{
    return missing("webp", out.error);
}
#endif

#ifdef KPIX_NO_TIFF
bool tiff_info(const uint8_t*, size_t, CodecInfo& out)
{
    return missing("tiff", out.error);
}

bool decode_tiff(const uint8_t*, size_t, size_t, CodecDecode& out)
{
    return missing("tiff", out.error);
}
#endif

} // namespace core
