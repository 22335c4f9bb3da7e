// Links that reproduce a result: the parameters (and the sample, if the image is one) in a URL
// fragment such as "#sample=coffee&k=8&space=rgb&xy=0&seed=1&init=kmeans%2B%2B&n_init=1", with the
// stats JSON's key names. Parsing is forgiving: unknown keys are ignored, bad values keep the
// default and add a note.
#pragma once

#include <string>
#include <vector>

#include "cluster.h"

namespace core {

/// Longest fragment read; a longer one is ignored whole, with a note.
constexpr size_t kMaxFragmentLength = 4096;

struct LinkState {
    ClusterParams params;
    /// A built-in sample's name, or empty (the user's own photo is never in a link).
    std::string sample;
    /// How the page looks, not how it clusters: the light theme (for projectors), as "theme=light"
    /// at the end of the fragment; the default dark theme is not written. The CLI ignores it.
    bool light = false;
};

struct ParsedLink {
    LinkState state;
    /// One short sentence per value that was not taken.
    std::vector<std::string> notes;
};

/// Parses a fragment (with or without its leading '#') over the given defaults.
ParsedLink parse_link(const std::string& fragment, const LinkState& defaults);

/// The fragment for a state, without the leading '#': every parameter of the table in its order
/// (seeds only when there are some), percent-encoded.
std::string format_link(const LinkState& state);

/// Escapes every byte but the unreserved ones (A-Z a-z 0-9 - _ . ~) and those in keep.
std::string percent_encode(const std::string& s, const char* keep = "");
/// Decodes %XX escapes; a bad escape is kept as it is. '+' stays '+'.
std::string percent_decode(const std::string& s);

} // namespace core
