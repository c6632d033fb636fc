#include "analyzer/loader/loader.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "analyzer/loader/load_file.hpp"
#include "analyzer/loader/snapshot.hpp"
#include "model/input_error.hpp"
#include "model/threads.hpp"

namespace vpcgate::loader {
namespace {

struct InputFile {
  std::string path;     // what we open
  std::string display;  // what we name: joined from the PATH given
};

bool wanted_in_directory(const std::string& name) {
  auto lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  for (const char* ext : {".json", ".yaml", ".yml", ".template"}) {
    std::string_view e = ext;
    if (lower.size() > e.size() && lower.compare(lower.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

std::string join(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

// Directories are identified by device and inode, so that a symbolic link back up the tree (or
// to a directory already read) is not followed twice.
using DirId = std::pair<dev_t, ino_t>;

void walk(const std::string& dir, const std::string& display, std::set<DirId>& seen, std::vector<InputFile>& out) {
  std::vector<std::string> names;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) throw model::InputError(display, "", "cannot read directory: " + ec.message());
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) throw model::InputError(display, "", "cannot read directory: " + ec.message());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    std::string path = join(dir, name);
    std::string shown = join(display, name);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      // A dangling link named like an input is input we cannot read: stop rather than drop it.
      if (wanted_in_directory(name)) throw model::InputError(shown, "", std::string("cannot read: ") + std::strerror(errno));
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      if (!seen.insert({st.st_dev, st.st_ino}).second) continue;
      walk(path, shown, seen, out);
    } else if (S_ISREG(st.st_mode) && wanted_in_directory(name)) {
      out.push_back({path, shown});
    }
  }
}

std::vector<InputFile> collect(const std::vector<std::string>& paths) {
  std::vector<InputFile> files;
  std::set<DirId> seen;
  for (const auto& p : paths) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) throw model::InputError(p, "", std::strerror(errno));
    if (S_ISDIR(st.st_mode)) {
      if (seen.insert({st.st_dev, st.st_ino}).second) walk(p, p, seen, files);
    } else {
      files.push_back({p, p});  // a file named on the command line is read whatever its name
    }
  }
  std::sort(files.begin(), files.end(), [](const InputFile& a, const InputFile& b) { return a.display < b.display; });
  files.erase(std::unique(files.begin(), files.end(),
                          [](const InputFile& a, const InputFile& b) { return a.display == b.display; }),
              files.end());
  return files;
}

// AWS managed policies that the input attaches (or uses as a boundary) but does not hold come
// from the snapshot. Their location is that of the referrer with the bytewise-smallest ARN.
// Customer managed policies are never invented: they stay dangling references.
void add_snapshot_policies(model::Account& account, const LoadOptions& options) {
  std::set<std::string> held;
  for (const auto& p : account.policies) held.insert(p.arn);
  std::map<std::string, std::pair<std::string, model::SourceLoc>> wanted;  // ARN -> referrer ARN, loc
  auto want = [&](const std::string& arn, const std::string& referrer, const model::SourceLoc& loc) {
    if (held.count(arn) != 0 || arn.find(":iam::aws:policy/") == std::string::npos) return;
    auto [it, inserted] = wanted.emplace(arn, std::make_pair(referrer, loc));
    if (!inserted && referrer < it->second.first) it->second = {referrer, loc};
  };
  for (const auto& u : account.users) {
    for (const auto& a : u.attached) want(a.arn, u.arn, u.loc);
    if (u.boundary_arn) want(*u.boundary_arn, u.arn, u.loc);
  }
  for (const auto& g : account.groups) {
    for (const auto& a : g.attached) want(a.arn, g.arn, g.loc);
  }
  for (const auto& r : account.roles) {
    for (const auto& a : r.attached) want(a.arn, r.arn, r.loc);
    if (r.boundary_arn) want(*r.boundary_arn, r.arn, r.loc);
  }
  if (wanted.empty()) return;
  ManagedPolicySnapshot snapshot(options.managed_policy_snapshot.empty() ? default_snapshot_path()
                                                                          : options.managed_policy_snapshot);
  for (const auto& [arn, referrer] : wanted) {
    auto policy = snapshot.find(arn);
    if (!policy) continue;  // unknown to the snapshot too: a dangling reference like any other
    policy->loc = referrer.second;
    account.policies.push_back(std::move(*policy));
  }
}

// Files are parsed in parallel (each worker takes the next file in order) and merged by this
// thread strictly in bytewise file order, so the result, and the error reported when a file is
// unusable or conflicts with an earlier one, are those of a sequential load. A parsed file waits
// for its merge at most a few files ahead of it; its entities then move into the Account, its
// DOM was released when the worker finished it, so no two files' DOMs are held at once per
// worker.
void load_parallel(const std::vector<InputFile>& files, std::size_t workers, Merger& merger) {
  struct Slot {
    std::optional<FileLoad> load;
    std::exception_ptr error;
    bool done = false;
  };
  std::vector<Slot> slots(files.size());
  std::mutex mu;
  std::condition_variable ready;       // a slot was filled
  std::condition_variable room;        // the merge moved on
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::size_t merged = 0;              // guarded by mu
  // Bound how far parsing may run ahead of the merge (memory stays proportional to the window).
  const std::size_t window = 64 * workers;

  auto work = [&] {
    for (;;) {
      std::size_t i = next.fetch_add(1);
      if (i >= files.size() || stop.load()) return;
      {
        std::unique_lock lock(mu);
        room.wait(lock, [&] { return i < merged + window || stop.load(); });
        if (stop.load()) return;
      }
      Slot result;
      try {
        result.load = load_file(files[i].path, files[i].display);
        result.load->prints = digest(std::move(result.load->prints));
      } catch (...) {
        result.error = std::current_exception();
      }
      {
        std::lock_guard lock(mu);
        slots[i] = std::move(result);
        slots[i].done = true;
      }
      ready.notify_all();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t t = 0; t < workers; ++t) threads.emplace_back(work);

  std::exception_ptr failure;
  for (std::size_t i = 0; i < files.size(); ++i) {
    Slot slot;
    {
      std::unique_lock lock(mu);
      ready.wait(lock, [&] { return slots[i].done; });
      slot = std::move(slots[i]);
    }
    if (slot.error) {
      failure = slot.error;
    } else {
      try {
        merger.add(std::move(*slot.load));
      } catch (...) {
        failure = std::current_exception();
      }
    }
    {
      std::lock_guard lock(mu);
      merged = i + 1;
      if (failure) stop.store(true);
    }
    room.notify_all();
    if (failure) break;
  }
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

model::Account load(const std::vector<std::string>& paths, const LoadOptions& options) {
  Merger merger;
  const std::vector<InputFile> files = collect(paths);
  const std::size_t workers = model::thread_budget(files.size());
  if (workers <= 1) {
    for (const auto& f : files) {
      FileLoad part = load_file(f.path, f.display);
      part.prints = digest(std::move(part.prints));
      merger.add(std::move(part));
    }
  } else {
    load_parallel(files, workers, merger);
  }
  model::Account account = std::move(merger).finish();
  add_snapshot_policies(account, options);
  return account;
}

}  // namespace vpcgate::loader
