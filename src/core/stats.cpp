// Writing the stats JSON by hand: a dozen keys do not justify a JSON library.
#include "stats.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace core {

std::string json_string(const std::string& s)
{
    std::string out = "\"";
    for (unsigned char ch : s) {
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (ch < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", ch);
                out += buf;
            } else {
                out += static_cast<char>(ch);
            }
        }
    }
    return out + "\"";
}

std::string json_number(double v)
{
    if (!std::isfinite(v)) {
        return "null";
    }
    char buf[40];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v) {
            break;
        }
    }
    return buf;
}

std::string json_number(float v)
{
    if (!std::isfinite(v)) {
        return "null";
    }
    char buf[40];
    for (int precision = 6; precision <= 9; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, static_cast<double>(v));
        if (std::strtof(buf, nullptr) == v) {
            break;
        }
    }
    return buf;
}

std::string stats_json(const ClusterParams& params, const ClusterResult& result, const RunInfo& info)
{
    const KMeansParams& km = params.kmeans;
    std::string j = "{";
    auto key = [&](const char* name) {
        if (j.size() > 1) {
            j += ",";
        }
        j += "\"";
        j += name;
        j += "\":";
    };
    key("source"); j += json_string(info.source);
    key("width"); j += std::to_string(result.width);
    key("height"); j += std::to_string(result.height);
    key("orientation"); j += std::to_string(info.decode.orientation);
    key("icc_profile"); j += json_string(info.decode.icc_profile);
    key("k"); j += std::to_string(result.k);
    key("k_requested"); j += std::to_string(km.k);
    key("space"); j += json_string(space_name(params.space));
    key("xy"); j += json_number(params.xy);
    key("init"); j += json_string(init_name(km.init));
    key("n_init"); j += std::to_string(km.n_init);
    key("max_iter"); j += std::to_string(km.max_iter);
    key("tol"); j += json_number(km.tol);
    key("seed"); j += std::to_string(km.seed);
    key("iterations"); j += std::to_string(result.iterations);
    key("inertia"); j += json_number(result.inertia);
    key("converged"); j += result.converged ? "true" : "false";
    key("distinct_colours"); j += std::to_string(result.distinct_colours);
    key("seconds_decode"); j += json_number(info.seconds_decode);
    key("seconds_cluster"); j += json_number(result.seconds);
    key("threads"); j += std::to_string(info.threads);
    key("note"); j += json_string(result.note);
    key("palette");
    j += "[";
    for (int c = 0; c < result.k; ++c) {
        if (c > 0) {
            j += ",";
        }
        const uint8_t* p = result.palette.data() + 3 * static_cast<size_t>(c);
        j += "[" + std::to_string(p[0]) + "," + std::to_string(p[1]) + "," + std::to_string(p[2]) +
            "," + json_number(result.shares[c]) + "]";
    }
    j += "]";
    key("inertia_per_round");
    j += "[";
    for (size_t r = 0; r < result.rounds.size(); ++r) {
        if (r > 0) {
            j += ",";
        }
        j += json_number(result.rounds[r].inertia);
    }
    j += "]}";
    return j;
}

} // namespace core
