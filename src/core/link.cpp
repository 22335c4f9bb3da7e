// The URL fragment, both ways. Every value is read by the parameter table (params.h), as the
// CLI's flags are, so a link and the CLI accept exactly the same values.
#include "link.h"

#include <cstring>

#include "params.h"
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

std::string percent_encode(const std::string& s, const char* keep)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (is_unreserved(c) || (c != 0 && std::strchr(keep, c) != nullptr)) {
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
    ClusterParams& p = r.state.params;
    bool init_given = false;
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
        auto bad = [&](const std::string& rule) {
            r.notes.push_back("Ignored " + shown(key) + "=" + shown(value) + " (" + rule + ").");
        };
        if (key == "sample") {
            if (find_sample(value)) {
                r.state.sample = value;
            } else {
                bad("not a sample's name");
            }
        } else if (key == "theme") {
            if (value == "light" || value == "dark") {
                r.state.light = value == "light";
            } else {
                bad("theme is light or dark");
            }
        } else if (key == "init" && value == "given") {
            init_given = true; // the seeds decide, below
        } else if (const ParamSpec* spec = find_param(key)) {
            if (!set_param(*spec, value, p)) {
                bad(key + " is " + param_rule(*spec));
            }
        }
        // Unknown keys are ignored quietly: links from newer versions still open.
    }
    // Given seeds are the start: init becomes "given" and k their number.
    if (!p.seeds.empty()) {
        p.kmeans.init = Init::given;
        p.kmeans.k = static_cast<int>(p.seeds.size());
    } else if (init_given) {
        r.notes.push_back("Ignored init=given (no seeds in the link).");
    }
    const std::string problem = validate(p);
    if (!problem.empty()) {
        r.notes.push_back("Ignored the seeds (" + problem + ").");
        p.seeds.clear();
        p.kmeans.init = defaults.params.kmeans.init;
        p.kmeans.k = defaults.params.kmeans.k;
    }
    return r;
}

std::string format_link(const LinkState& state)
{
    std::string f;
    if (!state.sample.empty()) {
        f += "sample=" + percent_encode(state.sample) + "&";
    }
    const ClusterParams& p = state.params;
    for (const ParamSpec& spec : param_table()) {
        const std::string name = spec.name;
        if (name == "seeds" && p.seeds.empty()) {
            continue;
        }
        // The seeds' ',', ':' and '@' may stand in a fragment as they are (RFC 3986's pchar):
        // "seeds=ff0000@10:20,@3:4" reads better than its escaped form.
        const std::string value = param_text(spec, p);
        f += (name == "k" ? "" : "&") + name + "=" +
            (name == "seeds" ? percent_encode(value, ",:@") : percent_encode(value));
    }
    if (state.light) {
        f += "&theme=light";
    }
    return f;
}

} // namespace core
