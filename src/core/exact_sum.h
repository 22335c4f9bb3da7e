// Order-free sums: every term is rounded once to a multiple of 2^-Fraction and added as a
// 128-bit integer, so a total has the same bits whatever the order and grouping of its terms
// (threads, tiles, a sum kept up to date by adding and taking away single terms), natively and
// in wasm. The k-means files use it where a plain double sum would tie the result to one order.
#pragma once

#include <cmath>
#include <cstdint>

namespace core {

/// Below this magnitude round_small is exact.
constexpr double kRoundSmallLimit = 0x1p51;

/// x rounded to the nearest integer, ties to even, for |x| < kRoundSmallLimit: adding and taking
/// away 1.5 * 2^52 leaves no fraction bits, so two additions do what nearbyint does in the
/// default rounding mode, without its library call (the same bits natively and in wasm; it
/// needs IEEE double arithmetic, no -ffast-math).
inline int64_t round_small(double x)
{
    constexpr double kRound = 0x1.8p52;
    return static_cast<int64_t>((x + kRound) - kRound);
}

/// A sum of doubles counted in units of 2^-Fraction. Each term is rounded to nearest once
/// (exact when it is a multiple of the unit: integers, and floats of magnitude at least
/// 2^(24 - Fraction)); after that, adding is integer addition: associative, and subtract()
/// of a term added before restores the previous total bit for bit. Range: |term| * 2^Fraction
/// and the running total must stay below 2^126 (Fraction 40: totals up to about 2^86).
template <int Fraction>
class ExactSum {
public:
    static_assert(Fraction >= 0 && Fraction <= 100, "unit out of range");

    /// 2^Fraction: scaling by it is exact (a power of two).
    static constexpr double kUnitsPerOne = [] {
        double u = 1.0;
        for (int i = 0; i < Fraction; ++i) {
            u *= 2.0;
        }
        return u;
    }();

    /// One unit, 2^-Fraction (exact).
    static constexpr double kOneUnit = 1.0 / kUnitsPerOne;

    /// The term as a count of units (rounded to nearest, ties to even).
    static __int128 units(double term)
    {
        const double scaled = term * kUnitsPerOne;
        if (std::fabs(scaled) < kRoundSmallLimit) {
            return round_small(scaled);
        }
        return static_cast<__int128>(std::nearbyint(scaled));
    }

    void add(double term) { total_ += units(term); }
    void subtract(double term) { total_ -= units(term); }
    void add_units(__int128 u) { total_ += u; }

    ExactSum& operator+=(const ExactSum& other)
    {
        total_ += other.total_;
        return *this;
    }
    ExactSum& operator-=(const ExactSum& other)
    {
        total_ -= other.total_;
        return *this;
    }

    /// The total, rounded once to the nearest double.
    double value() const { return value_of(total_); }
    /// A count of units as a double, rounded once to nearest. A count that fits 64 bits converts
    /// from int64_t: the same rounding of the same integer, without the 128-bit conversion that
    /// wasm calls a library function for; scaling by a power of two is exact.
    static double value_of(__int128 units)
    {
        const int64_t low = static_cast<int64_t>(units);
        const double whole = low == units ? static_cast<double>(low) : static_cast<double>(units);
        return whole * kOneUnit;
    }
    __int128 total_units() const { return total_; }
    bool operator==(const ExactSum& other) const { return total_ == other.total_; }
    bool operator<(const ExactSum& other) const { return total_ < other.total_; }

private:
    __int128 total_ = 0;
};

} // namespace core
