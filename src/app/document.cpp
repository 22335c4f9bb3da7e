// The document's rules: which job is current, what a new photo, a link, a seed click or compare
// mode change, and what a finished output replaces.
#include "document.h"

#include <algorithm>

#include "core/params.h"
#include "core/link.h"

namespace app {
namespace {

/// Queues a new photo's job (bytes or pixels) with the current parameters.
void submit_open(Document& doc, Job job)
{
    job.params = doc.params;
    if (job.params.kmeans.init == core::Init::given) {
        // A new photo has no seeds yet: it opens with k-means++ until seeds are clicked (a link's
        // seeds for it run once it has arrived, see collect).
        job.params.kmeans.init = core::Init::kmeanspp;
        job.params.seeds.clear();
    }
    doc.message.clear();
    doc.status = Status::decoding;
    doc.job_id = doc.runner->submit(std::move(job));
}

/// Compare mode's second run: the finished run's parameters with position switched over.
void start_compare(Document& doc)
{
    if (!doc.result || !doc.image) {
        return;
    }
    Job job;
    job.image = doc.image;
    job.name = doc.image_name;
    job.params = doc.result_params;
    job.params.xy = doc.result_params.xy > 0.0f ? 0.0f : (doc.last_xy > 0.0f ? doc.last_xy : 1.0f);
    doc.compare_result.reset();
    doc.compare_job_id = doc.runner->submit(std::move(job));
}

} // namespace

const char* status_name(Status status)
{
    switch (status) {
    case Status::empty: return "empty";
    case Status::decoding: return "decoding";
    case Status::running: return "running";
    case Status::done: return "done";
    case Status::error: return "error";
    }
    return "error";
}

Document::Document() : runner(std::make_unique<Runner>()) {}

Document::~Document() = default;

void open_bytes(Document& doc, std::vector<uint8_t> bytes, const std::string& name, const std::string& sample)
{
    doc.opening_sample = sample;
    if (sample.empty()) {
        doc.link_notes.clear();
        doc.keep_seeds = false;
    }
    Job job;
    job.bytes = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
    job.name = name;
    // A link's seeds are the full photo's pixels: that run waits for the full size.
    job.first_result = !doc.keep_seeds;
    submit_open(doc, std::move(job));
}

void open_pixels(Document& doc, core::Image image, const std::string& name)
{
    doc.opening_sample.clear();
    doc.link_notes.clear();
    doc.keep_seeds = false;
    Job job;
    job.pixels = std::make_shared<core::Image>(std::move(image));
    job.name = name;
    submit_open(doc, std::move(job));
}

void open_path(Document& doc, const std::string& path, const std::string& sample)
{
    std::vector<uint8_t> bytes;
    std::string error;
    if (!core::read_file(path, bytes, error)) {
        doc.status = Status::error;
        doc.message = error;
        return;
    }
    const size_t slash = path.find_last_of('/');
    open_bytes(doc, std::move(bytes), slash == std::string::npos ? path : path.substr(slash + 1), sample);
}

const core::Sample* begin_sample(Document& doc, const std::string& name)
{
    const core::Sample* sample = core::find_sample(name);
    if (!sample) {
        return nullptr;
    }
    // Whatever runs now is superseded; the hook and the link show the sample as coming.
    doc.runner->cancel();
    doc.job_id = 0;
    doc.opening_sample = sample->name;
    doc.status = Status::decoding;
    doc.message.clear();
    return sample;
}

const core::Sample* apply_link(Document& doc, const std::string& fragment, bool load_sample)
{
    core::LinkState defaults;
    const core::ParsedLink parsed = core::parse_link(fragment, defaults);
    doc.params = parsed.state.params;
    doc.link_notes = parsed.notes;
    if (!load_sample) {
        return nullptr;
    }
    const bool other_sample = !parsed.state.sample.empty() && parsed.state.sample != doc.sample;
    if (other_sample || !doc.image) {
        doc.keep_seeds = !doc.params.seeds.empty();
        return begin_sample(doc, other_sample ? parsed.state.sample : core::kDefaultSample);
    }
    run(doc);
    return nullptr;
}

void run(Document& doc)
{
    if (!doc.image) {
        return;
    }
    Job job;
    job.name = doc.image_name;
    job.params = doc.params;
    if (first_result_shown(doc)) {
        // The full size has not arrived: the working copy first again, then the full decode.
        job.working_copy = doc.image;
        job.bytes = doc.full_bytes;
    } else {
        job.image = doc.image;
    }
    if (doc.params.kmeans.init == core::Init::given) {
        if (first_result_shown(doc)) {
            doc.message = "Seeds are placed on the full-size photo: Run again once it is shown.";
            return;
        }
        if (doc.params.seeds.empty()) {
            doc.message = "Click the original to place seeds, then Run.";
            return;
        }
        // The clicked pixels' features in the working space are the starting centroids.
        job.params.kmeans.k = static_cast<int>(doc.params.seeds.size());
        std::string error;
        if (!core::seed_centroids(job.params, *doc.image, error)) {
            doc.message = "The seeds do not fit this photo: " + error + ".";
            return;
        }
        doc.params.kmeans.k = job.params.kmeans.k;
    } else {
        job.params.seeds.clear(); // kept for init "click seeds", but not this run's
    }
    doc.message.clear();
    doc.status = Status::running;
    doc.compare_result.reset();
    doc.compare_job_id = 0;
    doc.job_id = doc.runner->submit(std::move(job));
}

void cancel(Document& doc)
{
    doc.runner->cancel();
    doc.job_id = 0;
    doc.status = doc.result ? Status::done : Status::empty;
    doc.message = "Cancelled: press Run to cluster again.";
}

void set_k(Document& doc, int k)
{
    k = std::clamp(k, 1, kUiMaxK);
    if (k != doc.params.kmeans.k) {
        doc.params.kmeans.k = k;
        run(doc);
    }
}

void toggle_xy(Document& doc)
{
    if (doc.params.xy > 0.0f) {
        doc.last_xy = doc.params.xy;
        doc.params.xy = 0.0f;
    } else {
        doc.params.xy = doc.last_xy > 0.0f ? doc.last_xy : 1.0f;
    }
    run(doc);
}

void toggle_compare(Document& doc)
{
    doc.compare = !doc.compare;
    doc.compare_result.reset();
    doc.compare_job_id = 0;
    if (doc.compare && doc.result && doc.status == Status::done) {
        start_compare(doc);
    }
}

bool add_seed(Document& doc, int x, int y, bool switch_init)
{
    std::vector<core::Seed>& seeds = doc.params.seeds;
    if (!doc.image || first_result_shown(doc) || static_cast<int>(seeds.size()) >= kUiMaxK) {
        return false;
    }
    if (doc.params.kmeans.init != core::Init::given) {
        if (!switch_init) {
            return false;
        }
        doc.params.kmeans.init = core::Init::given;
        seeds.clear();
    }
    core::Seed seed;
    seed.has_position = true;
    seed.x = std::clamp(x, 0, doc.image->width - 1);
    seed.y = std::clamp(y, 0, doc.image->height - 1);
    seeds.push_back(seed);
    return true;
}

std::vector<Taken> collect(Document& doc)
{
    std::vector<Taken> taken;
    for (Output& out : doc.runner->take_outputs()) {
        if (out.job_id != 0 && out.job_id == doc.compare_job_id) {
            if (out.kind == Output::Kind::clustered) {
                doc.compare_result = out.result;
                doc.compare_params = out.params;
                taken.push_back(Taken{true, std::move(out)});
            }
            doc.compare_job_id = 0;
            continue;
        }
        if (out.job_id != doc.job_id) {
            continue; // superseded by a newer job
        }
        switch (out.kind) {
        case Output::Kind::failed:
            doc.status = Status::error;
            doc.message = out.error;
            break;
        case Output::Kind::decoded:
            doc.image = out.image;
            doc.image_name = out.name;
            doc.sample = doc.opening_sample;
            doc.seconds_decode = out.seconds_decode;
            doc.decode_notes = out.decode_notes;
            doc.full_width = out.full_width;
            doc.full_height = out.full_height;
            doc.full_bytes = out.first ? out.bytes : nullptr;
            doc.result.reset();
            doc.status = Status::running;
            if (doc.keep_seeds) {
                doc.keep_seeds = false;
                taken.push_back(Taken{false, std::move(out)});
                run(doc); // the link's seeds, on the photo they were made for
                continue;
            }
            doc.params.seeds.clear();
            break;
        case Output::Kind::clustered:
            doc.result = out.result;
            doc.result_params = out.params;
            if (out.first) {
                break; // the job goes on to the full size: still running
            }
            if (!out.original.rgba.empty()) {
                // The full image, decoded after the first result, arrives with its result.
                doc.image = out.image;
                doc.full_bytes.reset();
                doc.seconds_decode = out.seconds_decode;
            }
            doc.status = Status::done;
            if (doc.compare) {
                start_compare(doc);
            }
            break;
        }
        taken.push_back(Taken{false, std::move(out)});
    }
    return taken;
}

std::string current_link(const Document& doc, bool light)
{
    core::LinkState link;
    link.light = light;
    link.params = doc.params;
    if (link.params.kmeans.init != core::Init::given) {
        link.params.seeds.clear(); // kept for a return to "click seeds", not part of this result
    } else if (link.params.seeds.empty()) {
        link.params.kmeans.init = core::Init::kmeanspp; // what runs until seeds are clicked
    }
    link.sample = doc.status == Status::decoding ? doc.opening_sample : doc.sample;
    return core::format_link(link);
}

} // namespace app
