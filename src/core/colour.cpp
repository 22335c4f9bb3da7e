// Colour conversions for the feature spaces. Everything runs in double and uses only operations
// that IEEE 754 rounds exactly (+ - * / sqrt) plus Newton roots with a fixed number of steps, so a
// colour converts to the same floats natively and in wasm, whatever the C library's pow or cbrt do.
#include "colour.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace core {

const char* space_name(Space space)
{
    switch (space) {
    case Space::rgb: return "rgb";
    case Space::linear: return "linear";
    case Space::lab: return "lab";
    case Space::oklab: return "oklab";
    }
    return "rgb";
}

bool parse_space(const std::string& name, Space& space)
{
    for (Space s : {Space::rgb, Space::linear, Space::lab, Space::oklab}) {
        if (name == space_name(s)) {
            space = s;
            return true;
        }
    }
    return false;
}

float space_span(Space space)
{
    switch (space) {
    case Space::rgb:
    case Space::linear: return 255.0f;
    case Space::lab:
    case Space::oklab: return 100.0f;
    }
    return 255.0f;
}

double exact_cbrt(double x)
{
    if (x == 0.0 || !std::isfinite(x)) {
        return x;
    }
    const bool negative = x < 0.0;
    int e = 0;
    const double m = std::frexp(negative ? -x : x, &e); // exact: m in [0.5, 1)
    int r = e % 3;
    if (r < 0) {
        r += 3;
    }
    const int q = (e - r) / 3;
    const double a = std::ldexp(m, r); // exact: a in [0.5, 4), cbrt(a) in [0.79, 1.59)
    double y = 0.7 + 0.23 * a;         // within 3% of the root on that range
    for (int i = 0; i < 6; ++i) {      // quadratic convergence: 3e-2 -> 1e-3 -> 1e-6 -> 1e-12 -> ...
        y = (2.0 * y + a / (y * y)) / 3.0;
    }
    y = std::ldexp(y, q);
    return negative ? -y : y;
}

namespace {

/// Fifth root of a in (0, 1] by Newton's method (for the sRGB exponent 2.4 = 2 + 2/5).
double fifth_root_unit(double a)
{
    int e = 0;
    const double m = std::frexp(a, &e); // a = m * 2^e, e <= 1
    int r = e % 5;
    if (r < 0) {
        r += 5;
    }
    const int q = (e - r) / 5;
    const double b = std::ldexp(m, r); // b in [0.5, 16), fifth root in [0.87, 1.75)
    double y = 1.75;                   // above the root: Newton then decreases monotonically
    for (int i = 0; i < 12; ++i) {
        const double y2 = y * y;
        y = (4.0 * y + b / (y2 * y2)) / 5.0;
    }
    return std::ldexp(y, q);
}

// sRGB (IEC 61966-2-1) primaries and D65 white: linear RGB -> XYZ, as Bruce Lindbloom tabulates it.
constexpr double kRgbToXyz[9] = {
    0.4124564, 0.3575761, 0.1804375,
    0.2126729, 0.7151522, 0.0721750,
    0.0193339, 0.1191920, 0.9503041,
};

struct Matrices {
    std::array<double, 9> xyz_to_rgb{};
    std::array<double, 3> white{}; // XYZ of RGB (1, 1, 1), so white is exactly L* = 100, a* = b* = 0
};

const Matrices& matrices()
{
    static const Matrices m = [] {
        Matrices r;
        const double* a = kRgbToXyz;
        const double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) +
            a[2] * (a[3] * a[7] - a[4] * a[6]);
        r.xyz_to_rgb = {
            (a[4] * a[8] - a[5] * a[7]) / det, (a[2] * a[7] - a[1] * a[8]) / det,
            (a[1] * a[5] - a[2] * a[4]) / det, (a[5] * a[6] - a[3] * a[8]) / det,
            (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
            (a[3] * a[7] - a[4] * a[6]) / det, (a[1] * a[6] - a[0] * a[7]) / det,
            (a[0] * a[4] - a[1] * a[3]) / det,
        };
        for (int i = 0; i < 3; ++i) {
            r.white[i] = a[3 * i] + a[3 * i + 1] + a[3 * i + 2];
        }
        return r;
    }();
    return m;
}

void mul3(const double* m, const double* v, double* out)
{
    const double x = v[0], y = v[1], z = v[2];
    out[0] = m[0] * x + m[1] * y + m[2] * z;
    out[1] = m[3] * x + m[4] * y + m[5] * z;
    out[2] = m[6] * x + m[7] * y + m[8] * z;
}

// CIE 15: the L*a*b* companding function and its inverse, with the exact rational constants.
constexpr double kLabEpsilon = 216.0 / 24389.0;
constexpr double kLabKappa = 24389.0 / 27.0;

double lab_f(double t)
{
    return t > kLabEpsilon ? exact_cbrt(t) : (kLabKappa * t + 16.0) / 116.0;
}

double lab_f_inverse(double f)
{
    const double f3 = f * f * f;
    return f3 > kLabEpsilon ? f3 : (116.0 * f - 16.0) / kLabKappa;
}

// Björn Ottosson, "A perceptual color space for image processing" (2020): linear sRGB -> LMS,
// LMS' -> Oklab, and the inverses, as published there.
constexpr double kOkM1[9] = {
    0.4122214708, 0.5363325363, 0.0514459929,
    0.2119034982, 0.6806995451, 0.1073969566,
    0.0883024619, 0.2817188376, 0.6299787005,
};
constexpr double kOkM2[9] = {
    0.2104542553, 0.7936177850, -0.0040720468,
    1.9779984951, -2.4285922050, 0.4505937099,
    0.0259040371, 0.7827717662, -0.8086757660,
};
constexpr double kOkM2Inverse[9] = {
    1.0, 0.3963377774, 0.2158037573,
    1.0, -0.1055613458, -0.0638541728,
    1.0, -0.0894841775, -1.2914855480,
};
constexpr double kOkM1Inverse[9] = {
    4.0767416621, -3.3077115913, 0.2309699292,
    -1.2684380046, 2.6097574011, -0.3413193965,
    -0.0041960863, -0.7034186147, 1.7076147010,
};

/// srgb_to_linear of every 8-bit value, computed once.
const std::array<double, 256>& linear_table()
{
    static const std::array<double, 256> t = [] {
        std::array<double, 256> r{};
        for (int i = 0; i < 256; ++i) {
            r[i] = srgb_to_linear(i / 255.0);
        }
        return r;
    }();
    return t;
}

uint8_t to_byte(double v)
{
    return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

} // namespace

double srgb_to_linear(double v)
{
    if (v <= 0.04045) {
        return v / 12.92;
    }
    const double x = (v + 0.055) / 1.055;
    const double r = fifth_root_unit(std::min(x, 1.0));
    return x * x * r * r; // x^2.4 = x^2 * x^(2/5)
}

double linear_to_srgb(double v)
{
    if (v <= 0.0031308) {
        return 12.92 * v;
    }
    const double t = exact_cbrt(std::sqrt(std::sqrt(v))); // v^(1/12)
    const double t2 = t * t;
    return 1.055 * (t2 * t2 * t) - 0.055; // v^(5/12) = v^(1/2.4)
}

void linear_to_lab(const double* rgb, double* lab)
{
    const Matrices& m = matrices();
    double xyz[3];
    mul3(kRgbToXyz, rgb, xyz);
    const double fx = lab_f(xyz[0] / m.white[0]);
    const double fy = lab_f(xyz[1] / m.white[1]);
    const double fz = lab_f(xyz[2] / m.white[2]);
    lab[0] = 116.0 * fy - 16.0;
    lab[1] = 500.0 * (fx - fy);
    lab[2] = 200.0 * (fy - fz);
}

void lab_to_linear(const double* lab, double* rgb)
{
    const Matrices& m = matrices();
    const double fy = (lab[0] + 16.0) / 116.0;
    const double fx = fy + lab[1] / 500.0;
    const double fz = fy - lab[2] / 200.0;
    const double xyz[3] = {lab_f_inverse(fx) * m.white[0], lab_f_inverse(fy) * m.white[1],
                           lab_f_inverse(fz) * m.white[2]};
    mul3(m.xyz_to_rgb.data(), xyz, rgb);
}

void linear_to_oklab(const double* rgb, double* lab)
{
    double lms[3];
    mul3(kOkM1, rgb, lms);
    for (double& v : lms) {
        v = exact_cbrt(v);
    }
    mul3(kOkM2, lms, lab);
}

void oklab_to_linear(const double* lab, double* rgb)
{
    double lms[3];
    mul3(kOkM2Inverse, lab, lms);
    for (double& v : lms) {
        v = v * v * v;
    }
    mul3(kOkM1Inverse, lms, rgb);
}

void srgb8_to_space(Space space, const uint8_t* rgb, float* out)
{
    if (space == Space::rgb) {
        for (int q = 0; q < 3; ++q) {
            out[q] = rgb[q];
        }
        return;
    }
    const std::array<double, 256>& lin = linear_table();
    const double linear[3] = {lin[rgb[0]], lin[rgb[1]], lin[rgb[2]]};
    double v[3] = {0.0, 0.0, 0.0};
    switch (space) {
    case Space::rgb: break;
    case Space::linear:
        for (int q = 0; q < 3; ++q) {
            v[q] = 255.0 * linear[q];
        }
        break;
    case Space::lab: linear_to_lab(linear, v); break;
    case Space::oklab:
        linear_to_oklab(linear, v);
        for (double& c : v) {
            c *= 100.0;
        }
        break;
    }
    for (int q = 0; q < 3; ++q) {
        out[q] = static_cast<float>(v[q]);
    }
}

void space_to_srgb8(Space space, const float* in, uint8_t* rgb)
{
    double linear[3] = {0.0, 0.0, 0.0};
    switch (space) {
    case Space::rgb:
        for (int q = 0; q < 3; ++q) {
            rgb[q] = to_byte(in[q]);
        }
        return;
    case Space::linear:
        for (int q = 0; q < 3; ++q) {
            linear[q] = in[q] / 255.0;
        }
        break;
    case Space::lab: {
        const double lab[3] = {in[0], in[1], in[2]};
        lab_to_linear(lab, linear);
        break;
    }
    case Space::oklab: {
        const double lab[3] = {in[0] / 100.0, in[1] / 100.0, in[2] / 100.0};
        oklab_to_linear(lab, linear);
        break;
    }
    }
    for (int q = 0; q < 3; ++q) {
        rgb[q] = to_byte(255.0 * linear_to_srgb(std::clamp(linear[q], 0.0, 1.0)));
    }
}

} // namespace core
