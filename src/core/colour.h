// Colour spaces for the features: sRGB, linear-light RGB, CIE L*a*b* and Oklab, each scaled so
// that its axes have comparable spans, with conversions from 8-bit sRGB and back.
#pragma once

#include <cstdint>
#include <string>

namespace core {

/// Feature spaces. Every one is 3-dimensional; the scaling makes tol and the xy weight behave
/// alike in all of them:
///   rgb     sRGB as stored, 0..255 per axis.
///   linear  linear-light sRGB (the sRGB transfer function undone), 0..255 per axis.
///   lab     CIE L*a*b* (D65 white, sRGB primaries): L* 0..100, a* and b* about -108..98.
///   oklab   Oklab (Ottosson 2020) times 100: L 0..100, a and b about -31..28.
enum class Space { rgb, linear, lab, oklab };

/// The name used in the stats JSON, the CLI and the URL ("rgb", "linear", "lab", "oklab").
const char* space_name(Space space);
bool parse_space(const std::string& name, Space& space);

/// S, the span of the space's colour axes that the position features are scaled to: the range
/// of the lightness-like first axis over the sRGB gamut, 255 for rgb and linear, 100 for lab and
/// oklab (as scaled above).
float space_span(Space space);

/// An 8-bit sRGB colour in the space (out: 3 floats). Computed in double with only IEEE-exact
/// operations (+ - * / sqrt and a Newton cube root), so it is bit-identical natively and in wasm.
void srgb8_to_space(Space space, const uint8_t* rgb, float* out);

/// A point of the space back to 8-bit sRGB: clamped to the gamut per channel, rounded.
void space_to_srgb8(Space space, const float* in, uint8_t* rgb);

/// The pieces, in double, unscaled (sRGB and linear 0..1, Lab as CIE defines it, Oklab with
/// L 0..1). Exposed for the tests against published values.
double srgb_to_linear(double v);
double linear_to_srgb(double v);
void linear_to_lab(const double* rgb, double* lab);
void lab_to_linear(const double* lab, double* rgb);
void linear_to_oklab(const double* rgb, double* lab);
void oklab_to_linear(const double* lab, double* rgb);

/// Cube root of any finite x by Newton's method from an exact power-of-two start: reproducible
/// everywhere (std::cbrt is not guaranteed to round the same way in glibc and in musl).
double exact_cbrt(double x);

} // namespace core
