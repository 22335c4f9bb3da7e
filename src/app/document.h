// The document: the photo, the parameters, the results and what the user was told, with the work
// that changes them (open, run, compare, apply a link). No GL, SDL or ImGui here, so the app's
// logic is tested on its own (tests/app); the frame shows a Document, it does not own its rules.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/cluster.h"
#include "core/image.h"
#include "core/samples.h"
#include "runner.h"

namespace app {

enum class Status { empty, decoding, running, done, error };
const char* status_name(Status status);

/// Most clusters the app's controls, keys and seed clicks ask for: the engine's own limit.
constexpr int kUiMaxK = core::kMaxK;

struct Document {
    Document();
    ~Document();
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;

    /// Decodes and clusters in the background; its outputs are taken by collect().
    std::unique_ptr<Runner> runner;
    uint64_t job_id = 0;
    Status status = Status::empty;
    /// What went wrong last (shown in red until the next file or run).
    std::string message;

    /// The parameters the controls edit; a run uses a copy. With init "click seeds",
    /// params.seeds are the clicked pixels (positions in the full image), kept in the link.
    core::ClusterParams params;
    /// Position weight restored when RGB+XY is switched back on.
    float last_xy = 1.0f;
    /// The seeds came with a link for the sample it opens: they stay when that photo arrives
    /// (clicked seeds belong to their photo, and a new one clears them).
    bool keep_seeds = false;

    /// The image being shown and its name.
    std::shared_ptr<const core::Image> image;
    std::string image_name;
    /// The built-in sample being shown, or empty for the user's own photo (never put in a link).
    std::string sample;
    /// Sample name of the image being decoded (becomes `sample` when it arrives).
    std::string opening_sample;
    double seconds_decode = 0.0;
    /// What decoding did to the photo: EXIF orientation, the ICC profile converted, notes.
    core::DecodeNotes decode_notes;
    /// The photo's full size, upright (image's own size once the full image is shown).
    int full_width = 0;
    int full_height = 0;
    /// Set while image (and result) are a large JPEG's DCT-scaled working copy, the first result
    /// shown: the file, decoded at full size in the background (and again by a run before then).
    std::shared_ptr<const std::vector<uint8_t>> full_bytes;

    /// The last finished result and the parameters that made it.
    std::shared_ptr<const core::ClusterResult> result;
    core::ClusterParams result_params;

    /// Compare mode: the same k and seed run with the other of RGB / RGB+XY once the main run is
    /// done (the runner does one job at a time), and that second result.
    bool compare = false;
    uint64_t compare_job_id = 0;
    std::shared_ptr<const core::ClusterResult> compare_result;
    core::ClusterParams compare_params;

    /// What the last link could not use (shown until the next link or file).
    std::vector<std::string> link_notes;
    /// The fragment for the parameters and sample shown (what the address bar should say).
    std::string link;
    /// Where the last export went, or why it failed.
    std::string export_note;
};

/// A file's bytes from a drop, a paste or a picker (sample empty), or a built-in sample's bytes:
/// decoded and clustered in the background.
void open_bytes(Document& doc, std::vector<uint8_t> bytes, const std::string& name,
                const std::string& sample = "");
/// A photo the platform decoded itself (the browser, for formats stb cannot read).
void open_pixels(Document& doc, core::Image image, const std::string& name);
/// A file on disk (desktop: command line, drop, the file browser, samples).
void open_path(Document& doc, const std::string& path, const std::string& sample = "");
/// Marks a built-in sample as coming (whatever runs is cancelled) and returns it for the platform
/// to fetch (its bytes come back through open_bytes); nullptr for an unknown name.
const core::Sample* begin_sample(Document& doc, const std::string& name);
/// Applies a URL fragment: its parameters, and with load_sample the sample it names (or the
/// default one when no image is open), else a re-run. Returns the sample to fetch, or nullptr.
/// Bad values keep their defaults and leave a note.
const core::Sample* apply_link(Document& doc, const std::string& fragment, bool load_sample);
/// Re-clusters the current image with doc.params (clicked seeds become the starting centroids).
void run(Document& doc);
/// Stops the running job; the last result stays.
void cancel(Document& doc);

/// One cluster more or fewer (clamped to 1..kUiMaxK), re-run when it changed.
void set_k(Document& doc, int k);
/// Colour only <-> colour and position (the last weight comes back), and a re-run.
void toggle_xy(Document& doc);
/// Compare mode on or off; on with a finished result starts the second run.
void toggle_compare(Document& doc);
/// A click on the image at pixel (x, y) with init "click seeds" (`switch_init`: a shift-click,
/// which also chooses that init) adds a starting centroid at that pixel. False when not taken
/// (also while a first result's working copy is shown: seeds are the full image's pixels).
bool add_seed(Document& doc, int x, int y, bool switch_init);

/// An output the document took, with its display pixels and features for whoever draws them.
struct Taken {
    /// compare mode's second result, not the main run's.
    bool compare = false;
    Output output;
};

/// Takes the runner's finished outputs into the document (stale ones dropped) and returns those
/// taken, oldest first. Call once a frame: without threads this also runs the next stage.
std::vector<Taken> collect(Document& doc);

/// Whether image and result are the working copy of a first result (the full size follows).
inline bool first_result_shown(const Document& doc) { return doc.full_bytes != nullptr; }

/// The keys of the document's link: the parameters and the sample shown (or coming), and the
/// view's light theme when it is on.
std::string current_link(const Document& doc, bool light = false);

} // namespace app
