// The app's spoken side: sentences for the page's live region and its hidden description.
#include "announce.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/colour.h"
#include "hook_json.h"

namespace app {
namespace {

/// Inertia as a listener hears it: whole numbers once large ("12345678", not "1.23e+07").
std::string number(double value)
{
    char text[64];
    std::snprintf(text, sizeof text, value >= 1000.0 ? "%.0f" : "%.4g", value);
    return text;
}

/// "#aabbcc 23 %": palette entry i and its share (under 1 %, one decimal).
std::string colour(const core::ClusterResult& r, int i)
{
    const double percent = r.shares[static_cast<size_t>(i)] * 100.0;
    char text[48];
    std::snprintf(text, sizeof text, percent >= 1.0 ? "#%02x%02x%02x %.0f %%" : "#%02x%02x%02x %.1f %%",
                  r.palette[static_cast<size_t>(i) * 3], r.palette[static_cast<size_t>(i) * 3 + 1],
                  r.palette[static_cast<size_t>(i) * 3 + 2], percent);
    return text;
}

/// The first `most` palette entries, comma separated, and how many more there are.
std::string colours(const core::ClusterResult& r, int most)
{
    const int k = std::min(r.k, static_cast<int>(r.shares.size()));
    std::string out;
    for (int i = 0; i < std::min(k, most); ++i) {
        out += (i ? ", " : "") + colour(r, i);
    }
    if (k > most) {
        out += " and " + std::to_string(k - most) + " more";
    }
    return out;
}

/// A sample by its name ("coffee"), a photo by its file's name.
std::string name_of(const Document& doc)
{
    if (!doc.sample.empty()) {
        return doc.sample;
    }
    return doc.image_name.empty() ? std::string("the photo") : doc.image_name;
}

/// "Round 5 of 33, assign step." or "Round 33 of 33, final result."
std::string round_line(const Document& doc, const ReplayShown& replay)
{
    const RoundShown shown = round_shown(replay.position, replay.last_position, doc.result->iterations);
    const std::string of = "Round " + std::to_string(shown.round) + " of " +
                           std::to_string(doc.result->iterations);
    return std::string(shown.phase) == "final" ? of + ", final result." : of + ", " + shown.phase + " step.";
}

/// "coffee: 8 colours after 33 rounds, inertia 12345678. Largest shares: ..."
std::string result_line(const Document& doc, const ReplayShown& replay)
{
    const core::ClusterResult& r = *doc.result;
    std::string line = name_of(doc) + ": " + std::to_string(r.k) + (r.k == 1 ? " colour" : " colours") +
                       " after " + std::to_string(r.iterations) + (r.iterations == 1 ? " round" : " rounds") +
                       ", inertia " + number(r.inertia) + ". Largest shares: " + colours(r, kLiveColours) + ".";
    if (!r.note.empty()) {
        line += " " + r.note;
    }
    if (!replay.playing && replay.position < replay.last_position) {
        line += " " + round_line(doc, replay);
    }
    return line;
}

/// "Compare: colour only, inertia X after N rounds; colour and position, inertia Y after M rounds."
std::string compare_line(const Document& doc)
{
    const bool main_rgb = doc.result_params.xy <= 0.0f;
    const core::ClusterResult& rgb = main_rgb ? *doc.result : *doc.compare_result;
    const core::ClusterResult& xy = main_rgb ? *doc.compare_result : *doc.result;
    return "Compare: colour only, inertia " + number(rgb.inertia) + " after " + std::to_string(rgb.iterations) +
           " rounds; colour and position, inertia " + number(xy.inertia) + " after " +
           std::to_string(xy.iterations) + " rounds.";
}

/// What the document is doing, when it is not showing a message.
std::string status_line(const Document& doc, const ReplayShown& replay)
{
    switch (doc.status) {
    case Status::decoding:
        return doc.opening_sample.empty() ? "Opening the photo..." : "Opening the sample " + doc.opening_sample + "...";
    case Status::running:
        return "Clustering " + name_of(doc) + " into " + std::to_string(doc.params.kmeans.k) + " colours...";
    case Status::done: return doc.result ? result_line(doc, replay) : "";
    case Status::empty:
    case Status::error: break;
    }
    return "";
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string out;
    for (const std::string& line : lines) {
        out += (out.empty() ? "" : " ") + line;
    }
    return out;
}

} // namespace

std::string describe_result(const Document& doc, const ReplayShown& replay)
{
    if (!doc.result) {
        return "";
    }
    const core::ClusterResult& r = *doc.result;
    const core::ClusterParams& p = doc.result_params;
    std::string text = name_of(doc) + ", " + std::to_string(r.width) + " x " + std::to_string(r.height) +
                       " pixels: " + std::to_string(r.k) + (r.k == 1 ? " colour" : " colours") + " in " +
                       core::space_name(p.space) + (p.xy > 0.0f ? ", colour and position" : ", colour only") +
                       ", " + std::to_string(r.iterations) + (r.iterations == 1 ? " round" : " rounds") +
                       (r.converged ? " (converged)" : "") + ", inertia " + number(r.inertia) + ". ";
    if (replay.playing) {
        text += "Playing the rounds. ";
    } else {
        std::string shown = round_line(doc, replay);
        shown[0] = 'r'; // "Showing round 5 of 33, ..."
        text += "Showing " + shown + " ";
    }
    text += "Palette, largest share first: " + colours(r, kSpokenColours) + ".";
    if (doc.compare && doc.compare_result) {
        text += " " + compare_line(doc);
    }
    return text;
}

bool Announcer::Key::operator==(const Key& o) const
{
    return status == o.status && message == o.message && image_name == o.image_name && result == o.result &&
           compare_result == o.compare_result && compare == o.compare && link_notes == o.link_notes &&
           export_note == o.export_note && position == o.position && playing == o.playing;
}

bool Announcer::update(const Document& doc, const ReplayShown& replay)
{
    Key key;
    key.status = doc.status;
    key.message = doc.message;
    key.image_name = doc.image_name;
    key.result = doc.result.get();
    key.compare_result = doc.compare_result.get();
    key.compare = doc.compare;
    key.link_notes = doc.link_notes;
    key.export_note = doc.export_note;
    // While playing, the round changes twice a second: nothing is said until it stops.
    key.playing = replay.playing;
    key.position = replay.playing ? -1 : replay.position;
    if (m_started && key == m_key) {
        return false;
    }
    const bool first = !m_started;
    const Key before = std::exchange(m_key, std::move(key));
    m_started = true;
    const Key& now = m_key;

    Spoken next;
    next.description = describe_result(doc, replay);
    // The live line says what changed, the most important change first.
    if (!doc.message.empty() && (first || now.message != before.message)) {
        next.live = doc.message;
        next.error = true;
    } else if (first || now.status != before.status || now.result != before.result ||
               now.image_name != before.image_name || (now.message.empty() && !before.message.empty())) {
        next.live = status_line(doc, replay);
        if (now.link_notes != before.link_notes && !doc.link_notes.empty()) {
            // A link with bad values and its sample arrive together.
            next.live += (next.live.empty() ? "" : " ") + joined(doc.link_notes);
        }
    } else if (now.compare_result != before.compare_result && doc.compare && doc.compare_result) {
        next.live = compare_line(doc);
    } else if (now.link_notes != before.link_notes && !doc.link_notes.empty()) {
        next.live = joined(doc.link_notes);
    } else if (now.export_note != before.export_note && !doc.export_note.empty()) {
        next.live = doc.export_note;
    } else if (doc.result && doc.status == Status::done && !replay.playing &&
               (now.position != before.position || now.playing != before.playing)) {
        next.live = round_line(doc, replay);
    }
    const bool changed = !next.live.empty() || next.description != m_spoken.description;
    m_spoken = std::move(next);
    return changed;
}

} // namespace app
