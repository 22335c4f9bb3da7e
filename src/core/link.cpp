// The URL fragment, both ways. Every value is validated against the same ranges as the CLI's
// flags, so a link can never ask the engine for something the CLI would refuse.
#include "link.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "samples.h"
#include "stats.h"

namespace core {
namespace {

bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~';
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool parse_whole(const std::string& text, long long lo, long long hi, long long& out)
{
    if (text.empty() || text.size() > 20) {
        return false;
    }
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (*end != '\0' || errno != 0 || v < lo || v > hi) {
        return false;
    }
    out = v;
    return true;
}

bool parse_real(const std::string& text, double lo, double hi, double& out)
{
    if (text.empty() || text.size() > 32) {
        return false;
    }
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v) || v < lo || v > hi) {
        return false;
    }
    out = v;
    return true;
}

/// Shortened for notes: a long or odd value is not echoed whole.
std::string shown(const std::string& value)
{
    std::string out;
    for (char c : value.substr(0, 24)) {
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    }
    return value.size() > 24 ? out + "..." : out;
}

} // namespace

std::string percent_encode(const std::string& s)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (is_unreserved(c)) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string percent_decode(const std::string& s)
{
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

ParsedLink parse_link(const std::string& fragment, const LinkState& defaults)
{
    ParsedLink r;
    r.state = defaults;
    std::string text = fragment;
    if (!text.empty() && text[0] == '#') {
        text.erase(0, 1);
    }
    if (text.size() > kMaxFragmentLength) {
        r.notes.push_back("The link is too long (" + std::to_string(text.size()) +
                          " characters); its settings were ignored.");
        return r;
    }
    KMeansParams& km = r.state.params.kmeans;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('&', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        const std::string pair = text.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) {
            continue;
        }
        const size_t eq = pair.find('=');
        const std::string key = percent_decode(pair.substr(0, eq));
        const std::string value = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1));
        auto bad = [&](const char* rule) {
            r.notes.push_back("Ignored " + shown(key) + "=" + shown(value) + " (" + rule + ").");
        };
        long long whole = 0;
        double real = 0.0;
        if (key == "sample") {
            if (find_sample(value)) {
                r.state.sample = value;
            } else {
                bad("not a sample's name");
            }
        } else if (key == "k") {
            if (parse_whole(value, 1, kMaxK, whole)) {
                km.k = static_cast<int>(whole);
            } else {
                bad("k is a whole number from 1 to 4096");
            }
        } else if (key == "seed") {
            if (parse_whole(value, 0, (1LL << 53), whole)) {
                km.seed = static_cast<uint64_t>(whole);
            } else {
                bad("seed is a whole number from 0");
            }
        } else if (key == "space") {
            if (!parse_space(value, r.state.params.space)) {
                bad("unknown colour space");
            }
        } else if (key == "xy") {
            if (parse_real(value, 0.0, 4.0, real)) {
                r.state.params.xy = static_cast<float>(real);
            } else {
                bad("xy is a number from 0 to 4");
            }
        } else if (key == "init") {
            if (!parse_init(value, km.init)) {
                bad("init is kmeans++ or random");
            }
        } else if (key == "n_init") {
            if (parse_whole(value, 1, 100, whole)) {
                km.n_init = static_cast<int>(whole);
            } else {
                bad("n_init is a whole number from 1 to 100");
            }
        } else if (key == "max_iter") {
            if (parse_whole(value, 1, 10000, whole)) {
                km.max_iter = static_cast<int>(whole);
            } else {
                bad("max_iter is a whole number from 1 to 10000");
            }
        } else if (key == "tol") {
            if (parse_real(value, 0.0, 1.0, real)) {
                km.tol = real;
            } else {
                bad("tol is a number from 0 to 1");
            }
        }
        // Unknown keys are ignored quietly: links from newer versions still open.
    }
    return r;
}

std::string format_link(const LinkState& state)
{
    const KMeansParams& km = state.params.kmeans;
    std::string f;
    if (!state.sample.empty()) {
        f += "sample=" + percent_encode(state.sample) + "&";
    }
    f += "k=" + std::to_string(km.k);
    f += "&space=" + percent_encode(space_name(state.params.space));
    f += "&xy=" + percent_encode(json_number(state.params.xy));
    f += "&seed=" + std::to_string(km.seed);
    f += "&init=" + percent_encode(init_name(km.init));
    f += "&n_init=" + std::to_string(km.n_init);
    f += "&max_iter=" + std::to_string(km.max_iter);
    f += "&tol=" + percent_encode(json_number(km.tol));
    return f;
}

} // namespace core
