// `vpcgate scan PATH... [options]` (CONTRACT.md): load -> graph -> checks -> findings -> report.
#include "analyzer/cli/scan.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "analyzer/cli/commands.hpp"
#include "analyzer/cli/suppressions.hpp"
#include "analyzer/graph/graph.hpp"
#include "analyzer/loader/loader.hpp"
#include "model/input_error.hpp"
#include "model/threads.hpp"

namespace vpcgate::cli {
namespace {

std::set<std::string> split_ids(const std::vector<std::string>& raw) {
  std::set<std::string> out;
  for (const auto& item : raw) {
    std::stringstream ss(item);
    std::string id;
    while (std::getline(ss, id, ',')) {
      auto b = id.find_first_not_of(" \t");
      auto e = id.find_last_not_of(" \t");
      if (b == std::string::npos) continue;
      out.insert(id.substr(b, e - b + 1));
    }
  }
  return out;
}

bool is_sagemaker_api_service(const std::string& service) {
  // com.amazonaws.<region>.sagemaker.api
  const std::string prefix = "com.amazonaws.";
  const std::string suffix = ".sagemaker.api";
  return service.size() > prefix.size() + suffix.size() && service.rfind(prefix, 0) == 0 &&
         service.compare(service.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         service.find('.', prefix.size()) == service.size() - suffix.size();
}

// Accounts that own entities in the input.
std::set<std::string> input_accounts(const model::Account& a) {
  std::set<std::string> out;
  auto add_arn = [&](const std::string& arn) {
    auto acct = model::arn_account(arn);
    if (!acct.empty() && acct != "aws") out.insert(acct);
  };
  for (const auto& u : a.users) add_arn(u.arn);
  for (const auto& g : a.groups) add_arn(g.arn);
  for (const auto& r : a.roles) add_arn(r.arn);
  for (const auto& p : a.policies)
    if (!p.aws_managed) add_arn(p.arn);
  for (const auto& n : a.notebooks) add_arn(n.arn);
  for (const auto& j : a.training_jobs) add_arn(j.arn);
  for (const auto& j : a.processing_jobs) add_arn(j.arn);
  for (const auto& m : a.models) add_arn(m.arn);
  for (const auto& d : a.domains) add_arn(d.arn);
  auto add_owner = [&](const std::string& id) {
    if (!id.empty()) out.insert(id);
  };
  for (const auto& v : a.vpcs) add_owner(v.owner_id);
  for (const auto& s : a.subnets) add_owner(s.owner_id);
  for (const auto& e : a.vpc_endpoints) add_owner(e.owner_id);
  return out;
}

// The organisation named in the SCP ARNs: arn:aws:organizations::MGMT:policy/o-xxxx/...
std::optional<std::string> org_from_scps(const model::Account& a) {
  std::set<std::string> orgs;
  for (const auto& scp : a.scps) {
    auto pos = scp.arn.find(":policy/o-");
    if (pos == std::string::npos) continue;
    auto start = pos + 8;
    auto end = scp.arn.find('/', start);
    orgs.insert(scp.arn.substr(start, end == std::string::npos ? std::string::npos : end - start));
  }
  if (orgs.empty()) return std::nullopt;
  return *orgs.begin();
}

std::set<std::string> load_baseline(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw model::InputError(file, "", "cannot read the baseline file");
  std::stringstream buf;
  buf << in.rdbuf();
  auto j = model::parse_json_text(buf.str(), file);
  if (!j.is_object() || !j.contains("findings") || !j["findings"].is_array())
    throw model::InputError(file, "/findings", "expected a vpcgate JSON report with a \"findings\" list");
  std::set<std::string> ids;
  const auto& list = j["findings"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_object() || !list[i].contains("id") || !list[i]["id"].is_string())
      throw model::InputError(file, fmt::format("/findings/{}/id", i), "expected a string");
    ids.insert(list[i]["id"].get<std::string>());
  }
  return ids;
}

void resolve_options(const ScanRequest& req, const model::Account& account, checks::ScanOptions& opt) {
  std::map<std::string, std::string> endpoint_vpc;
  for (const auto& e : account.vpc_endpoints) endpoint_vpc[e.id] = e.vpc_id;
  if (!req.approved_vpces.empty()) {
    opt.approved_vpces.insert(req.approved_vpces.begin(), req.approved_vpces.end());
  } else {
    for (const auto& e : account.vpc_endpoints)
      if (e.type == "Interface" && is_sagemaker_api_service(e.service_name)) opt.approved_vpces.insert(e.id);
  }
  if (!req.approved_vpcs.empty()) {
    opt.approved_vpcs.insert(req.approved_vpcs.begin(), req.approved_vpcs.end());
  } else {
    for (const auto& id : opt.approved_vpces) {
      auto it = endpoint_vpc.find(id);
      if (it != endpoint_vpc.end() && !it->second.empty()) opt.approved_vpcs.insert(it->second);
    }
  }
  opt.trusted_accounts = input_accounts(account);
  opt.trusted_accounts.insert(req.trusted_accounts.begin(), req.trusted_accounts.end());
  opt.org_id = req.org_id ? req.org_id : org_from_scps(account);
}

// Progress on stderr for scans that take more than a second, on a terminal only (issue 8): one
// line, rewritten in place as the phase changes, erased when the scan ends. Never when stderr is
// not a terminal (CI logs, pipes), so machine output and logs stay clean.
std::atomic<const char*> current_phase{nullptr};

void set_phase(const char* phase) { current_phase.store(phase); }

class ProgressLine {
 public:
  ProgressLine() {
    if (!isatty(STDERR_FILENO)) return;
    thread_ = std::thread([this] { loop(); });
  }
  ~ProgressLine() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
    set_phase(nullptr);
  }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void loop() {
    auto start = std::chrono::steady_clock::now();
    const char* shown = nullptr;
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return done_; })) {
      if (std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) continue;
      const char* phase = current_phase.load();
      if (phase == nullptr || phase == shown) continue;
      shown = phase;
      auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "\r\033[Kvpcgate: %s (%.0fs)", phase, secs);
      std::fflush(stderr);
    }
    if (shown != nullptr) {
      std::fputs("\r\033[K", stderr);
      std::fflush(stderr);
    }
  }
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

// VPCGATE_PHASE_TIMES=1 prints the wall time of each phase to stderr (bench/run-e2e reads it):
// load (files -> model), graph, analyses (the checks), report (findings -> report -> bytes out).
struct PhaseTimes {
  using Clock = std::chrono::steady_clock;
  Clock::time_point start = Clock::now();
  double load = 0, graph = 0, analyses = 0, report = 0;
  static double since(Clock::time_point& t) {
    auto now = Clock::now();
    double s = std::chrono::duration<double>(now - t).count();
    t = now;
    return s;
  }
};
PhaseTimes phase_times;

bool phase_times_wanted() {
  const char* v = std::getenv("VPCGATE_PHASE_TIMES");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

// Runs the checks on several threads, each into a sink of its own, and hands their findings and
// notes to `sink` in registry order: the same findings in the same order as one after another
// (a check's findings keep their order; report::sort_findings is stable).
void run_checks(const std::vector<const checks::Check*>& selected, const checks::CheckContext& ctx,
                checks::FindingSink& sink) {
  std::vector<checks::FindingSink> sinks(selected.size());
  std::vector<double> seconds(selected.size(), 0);
  model::parallel_for(selected.size(), [&](std::size_t i) {
    auto t = PhaseTimes::Clock::now();
    selected[i]->run(ctx, sinks[i]);
    seconds[i] = PhaseTimes::since(t);
  });
  if (phase_times_wanted()) {
    // The slowest checks (wall time on their thread; the presigned checks share one analysis,
    // which the first of them to run pays for).
    std::vector<std::size_t> order(selected.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return seconds[a] > seconds[b]; });
    std::string line;
    for (std::size_t k = 0; k < order.size() && k < 5; ++k)
      line += fmt::format(" {} {:.3f}", selected[order[k]]->info().id, seconds[order[k]]);
    std::fprintf(stderr, "vpcgate: slowest checks (s):%s\n", line.c_str());
  }
  for (auto& s : sinks) {
    for (auto& f : s.take_findings()) sink.add(std::move(f));
    for (auto& n : s.notes()) sink.note(std::move(n));
  }
}

// What infrastructure-as-code inputs left unresolved, by subject (ARN or ID), so that every
// finding whose verdict went through such a subject names the value that was assumed.
std::map<std::string, std::vector<std::string>> assumed_by_subject(const model::Account& a) {
  std::map<std::string, std::vector<std::string>> out;
  auto add = [&](const std::string& key, const std::vector<std::string>& lines) {
    if (key.empty() || lines.empty()) return;
    auto& v = out[key];
    v.insert(v.end(), lines.begin(), lines.end());
  };
  for (const auto& x : a.policies) add(x.arn, x.assumed);
  for (const auto& x : a.users) add(x.arn, x.assumed);
  for (const auto& x : a.groups) add(x.arn, x.assumed);
  for (const auto& x : a.roles) add(x.arn, x.assumed);
  for (const auto& x : a.vpcs) add(x.id, x.assumed);
  for (const auto& x : a.subnets) add(x.id, x.assumed);
  for (const auto& x : a.route_tables) add(x.id, x.assumed);
  for (const auto& x : a.security_groups) add(x.id, x.assumed);
  for (const auto& x : a.network_acls) add(x.id, x.assumed);
  for (const auto& x : a.vpc_endpoints) add(x.id, x.assumed);
  for (const auto& x : a.notebooks) add(x.arn, x.assumed);
  for (const auto& x : a.models) add(x.arn, x.assumed);
  for (const auto& x : a.domains) add(x.arn, x.assumed);
  return out;
}

void append_assumptions(checks::Finding& f, const std::map<std::string, std::vector<std::string>>& assumed) {
  if (assumed.empty()) return;
  std::set<std::string> subjects{f.resource};
  if (f.principal) subjects.insert(*f.principal);
  const auto& ev = f.evidence;
  auto collect = [&](const char* list, const char* field) {
    if (!ev.is_object() || !ev.contains(list) || !ev[list].is_array()) return;
    for (const auto& item : ev[list])
      if (item.is_object() && item.contains(field) && item[field].is_string())
        subjects.insert(item[field].get<std::string>());
  };
  collect("path", "id");
  collect("statements", "policy");
  collect("chain", "to");
  std::set<std::string> lines;
  for (const auto& s : subjects) {
    auto it = assumed.find(s);
    if (it != assumed.end()) lines.insert(it->second.begin(), it->second.end());
  }
  if (lines.empty()) return;
  std::string text;
  for (const auto& l : lines) text += (text.empty() ? "" : "; ") + l;
  f.detail += " Assumed where the input leaves a value unknown: " + text + ".";
}

}  // namespace

std::string today_utc() {
  if (const char* forced = std::getenv("VPCGATE_TODAY"); forced && *forced) return forced;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

ScanResult run_scan(const ScanRequest& req) {
  // Check selection first: an unknown ID is a usage error before any input is read.
  std::set<std::string> known;
  for (const auto& info : checks::all_check_infos()) known.insert(info.id);
  if (req.only_checks)
    for (const auto& id : *req.only_checks)
      if (!known.count(id)) throw UsageError(fmt::format("--checks: unknown check \"{}\" (see `vpcgate checks`)", id));
  for (const auto& id : req.skip_checks)
    if (!known.count(id)) throw UsageError(fmt::format("--skip-checks: unknown check \"{}\" (see `vpcgate checks`)", id));
  auto selected = [&](const std::string& id) {
    return (!req.only_checks || req.only_checks->count(id)) && !req.skip_checks.count(id);
  };

  std::vector<SuppressionRule> suppressions;
  if (req.config_file) suppressions = load_suppressions(*req.config_file);
  std::optional<std::set<std::string>> baseline;
  if (req.baseline_file) baseline = load_baseline(*req.baseline_file);

  phase_times = PhaseTimes{};
  set_phase("loading the input");
  // The model, the graph and the analyses (ctx's cache) are never freed: freeing them took a
  // tenth of a large scan's time and serves nobody, the process ends after the report (run_scan
  // runs once per process). They stay reachable from `kept` (leak checkers do not count them).
  static auto* kept = new std::vector<const void*>;
  auto* account_ptr = new model::Account(loader::load(req.paths));
  kept->push_back(account_ptr);
  model::Account& account = *account_ptr;
  set_phase("building the graph");
  phase_times.load = PhaseTimes::since(phase_times.start);
  auto* graph_ptr = new graph::Graph(account);
  kept->push_back(graph_ptr);
  graph::Graph& graph = *graph_ptr;
  phase_times.graph = PhaseTimes::since(phase_times.start);
  auto* options_ptr = new checks::ScanOptions;
  kept->push_back(options_ptr);
  checks::ScanOptions& options = *options_ptr;
  resolve_options(req, account, options);
  auto* ctx_ptr = new checks::CheckContext{graph, options, {}, {}};
  kept->push_back(ctx_ptr);
  checks::CheckContext& ctx = *ctx_ptr;
  checks::FindingSink sink;
  const auto all_checks = checks::all_checks();
  std::vector<const checks::Check*> to_run;
  for (const auto& check : all_checks)
    if (selected(check->info().id)) to_run.push_back(check.get());
  set_phase("running the checks");
  run_checks(to_run, ctx, sink);
  set_phase("writing the report");
  phase_times.analyses = PhaseTimes::since(phase_times.start);

  std::vector<checks::Finding> findings = sink.take_findings();
  auto assumed = assumed_by_subject(account);
  for (auto& f : findings) append_assumptions(f, assumed);
  if (selected("suppression-expired")) {
    for (const auto& rule : suppressions) {
      if (!suppression_expired(rule, req.today)) continue;
      checks::Finding f;
      f.check = "suppression-expired";
      f.severity = checks::Severity::Low;
      f.resource = rule.resource.value_or(rule.principal.value_or(rule.check));
      f.title = fmt::format("Suppression of {} for {} expired on {}", rule.check, f.resource, rule.expires);
      f.detail = fmt::format("The suppression \"{}\" applied until {} (UTC); it suppresses nothing now, so the "
                             "findings it covered count again.", rule.reason, rule.expires);
      f.evidence = checks::Json{{"expired", rule.expires}};
      f.location = rule.loc;
      f.remediation = "Fix the finding it covered, or renew the suppression with a new reason and expiry date.";
      findings.push_back(std::move(f));
    }
  }

  ScanResult result;
  auto& report = result.report;
  report.version = VPCGATE_VERSION;
  report.inputs = report::inputs_json(account);
  report.notes = sink.notes();
  report.has_baseline = baseline.has_value();
  std::set<std::string> seen_ids;
  for (auto& f : findings) {
    report::ReportedFinding rf;
    rf.id = report::finding_id(f);
    rf.finding = std::move(f);
    for (const auto& rule : suppressions) {
      if (suppression_expired(rule, req.today)) continue;
      if (suppression_matches(rule, rf.finding)) {
        rf.suppressed = report::Suppression{rule.reason, rule.expires};
        break;
      }
    }
    if (baseline) rf.is_new = !baseline->count(rf.id);
    seen_ids.insert(rf.id);
    report.findings.push_back(std::move(rf));
  }
  report::sort_findings(report.findings);
  auto& s = report.summary;
  for (const auto& rf : report.findings) {
    if (rf.suppressed) {
      ++s.suppressed;
      continue;
    }
    switch (rf.finding.severity) {
      case checks::Severity::Critical: ++s.critical; break;
      case checks::Severity::High: ++s.high; break;
      case checks::Severity::Medium: ++s.medium; break;
      case checks::Severity::Low: ++s.low; break;
    }
    if (rf.is_new.value_or(false)) ++s.new_;
  }
  if (baseline)
    for (const auto& id : *baseline)
      if (!seen_ids.count(id)) ++s.resolved;
  return result;
}

namespace {

struct ScanCliOptions {
  ScanRequest request;
  std::vector<std::string> checks, skip_checks;
  std::string format = "text";
  std::string output;
  std::string fail_on = "low";
  std::string config;
};

}  // namespace

void register_scan(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ScanCliOptions>();
  auto* cmd = app.add_subcommand("scan", "Scan an account export, templates or plans for SageMaker isolation gaps");
  cmd->add_option("paths", opts->request.paths, "Files and directories to read")->required();
  cmd->add_option("--format", opts->format, "text, json, sarif, markdown or html")
      ->check(CLI::IsMember({"text", "json", "sarif", "markdown", "html"}));
  cmd->add_option("--output", opts->output, "Write the report to FILE instead of stdout");
  cmd->add_option("--fail-on", opts->fail_on, "Lowest severity that makes the exit status 1")
      ->check(CLI::IsMember({"critical", "high", "medium", "low", "none"}));
  cmd->add_option("--baseline", opts->request.baseline_file, "A previous --format json report");
  cmd->add_option("--config", opts->config, "Suppressions file (default: .vpcgate.yaml if present)");
  cmd->add_option("--checks", opts->checks, "Run only these checks (comma-separated)");
  cmd->add_option("--skip-checks", opts->skip_checks, "Do not run these checks (comma-separated)");
  cmd->add_option("--approved-vpce", opts->request.approved_vpces, "Approved VPC endpoint ID (repeatable)");
  cmd->add_option("--approved-vpc", opts->request.approved_vpcs, "Approved VPC ID (repeatable)");
  cmd->add_option("--trusted-account", opts->request.trusted_accounts, "Trusted account ID (repeatable)");
  cmd->add_option("--org-id", opts->request.org_id, "The organisation ID (o-...)");
  cmd->callback([opts, &exit_code] {
    auto& req = opts->request;
    if (!opts->checks.empty()) req.only_checks = split_ids(opts->checks);
    req.skip_checks = split_ids(opts->skip_checks);
    if (!opts->config.empty()) {
      req.config_file = opts->config;
    } else if (std::filesystem::exists(".vpcgate.yaml")) {
      req.config_file = ".vpcgate.yaml";
    }
    req.today = today_utc();
    std::optional<ProgressLine> progress;
    progress.emplace();
    ScanResult result = run_scan(req);
    const auto& report = result.report;

    std::string text;
    if (opts->format == "json") {
      text = report::render_json(report);
    } else if (opts->format == "sarif") {
      text = report::render_sarif(report);
    } else if (opts->format == "markdown") {
      text = report::render_markdown(report);
    } else if (opts->format == "html") {
      text = report::render_html(report);
    } else {
      bool color = opts->output.empty() && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
      text = report::render_text(report, color);
    }
    progress.reset();  // the line is erased before the report is written
    if (opts->output.empty()) {
      std::cout << text;
      std::cout.flush();
    } else {
      std::ofstream out(opts->output, std::ios::binary | std::ios::trunc);
      if (!out) throw UsageError(fmt::format("--output: cannot write \"{}\"", opts->output));
      out << text;
      if (!out) throw UsageError(fmt::format("--output: cannot write \"{}\"", opts->output));
    }
    phase_times.report = PhaseTimes::since(phase_times.start);
    if (phase_times_wanted()) {
      const auto& t = phase_times;
      std::cerr << fmt::format("vpcgate: phase times (s): load {:.3f} graph {:.3f} analyses {:.3f} report {:.3f}\n",
                               t.load, t.graph, t.analyses, t.report);
    }

    exit_code = 0;
    if (opts->fail_on != "none") {
      auto threshold = *checks::severity_from_string(opts->fail_on);
      for (const auto& rf : report.findings) {
        if (rf.suppressed) continue;
        if (report.has_baseline && !rf.is_new.value_or(true)) continue;
        if (static_cast<int>(rf.finding.severity) <= static_cast<int>(threshold)) {
          exit_code = 1;
          break;
        }
      }
    }
  });
}

}  // namespace vpcgate::cli
