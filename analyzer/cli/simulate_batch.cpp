// `vpcgate simulate --requests FILE` (see simulate_batch.hpp for the two paths).
#include "analyzer/cli/simulate_batch.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "analyzer/cli/simdjson_policy.hpp"
#include "model/input_error.hpp"
#include "model/policy.hpp"
#include "model/threads.hpp"

namespace vpcgate::cli {
namespace batch_detail {
namespace {

using nlohmann::json;

// ---- the exact path -------------------------------------------------------------------------

// Owns the parsed documents of one line; PolicySet points into it.
struct Documents {
  std::vector<std::unique_ptr<model::PolicyDocument>> docs;
  const model::PolicyDocument* keep(model::PolicyDocument d) {
    docs.push_back(std::make_unique<model::PolicyDocument>(std::move(d)));
    return docs.back().get();
  }
};

const model::PolicyDocument* line_doc(Documents& store, const json& j, const std::string& pointer) {
  try {
    return store.keep(model::parse_policy_json(j, "", pointer));
  } catch (const model::InputError& e) {
    throw LineError{e.where().empty() ? e.message() : e.where() + ": " + e.message()};
  }
}

std::string scalar(const json& v, const std::string& pointer) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  throw LineError{pointer + ": expected a string, number or boolean"};
}

std::optional<std::string> optional_string(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw LineError{std::string("/") + key + ": expected a string"};
  return it->get<std::string>();
}

// The "context" member (not null) into the request; both paths use it.
void read_context(const json& context, eval::Request& req) {
  if (!context.is_object()) throw LineError{"/context: expected an object"};
  for (const auto& [key, value] : context.items()) {
    const std::string p = "/context/" + key;
    std::vector<std::string> values;
    if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) values.push_back(scalar(value[i], p + "/" + std::to_string(i)));
    } else {
      values.push_back(scalar(value, p));
    }
    req.context.set(key, std::move(values));
  }
}

}  // namespace

eval::Result evaluate_line_exact(const std::string& line) {
  json j;
  try {
    j = model::parse_json_text(line, "");
  } catch (const model::InputError& e) {
    throw LineError{e.where() + ": " + e.message()};
  }
  if (!j.is_object()) throw LineError{"expected a JSON object"};
  Documents store;
  eval::PolicySet set;
  if (auto it = j.find("policies"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) throw LineError{"/policies: expected an array of policy documents"};
    for (std::size_t i = 0; i < it->size(); ++i) {
      set.identity.push_back({line_doc(store, (*it)[i], "/policies/" + std::to_string(i)),
                              "policies[" + std::to_string(i) + "]"});
    }
  }
  if (auto it = j.find("resource_policy"); it != j.end() && !it->is_null()) {
    set.resource = eval::SourcedPolicy{line_doc(store, *it, "/resource_policy"), "resource_policy"};
  }
  if (auto it = j.find("boundary"); it != j.end() && !it->is_null()) {
    set.boundary = eval::SourcedPolicy{line_doc(store, *it, "/boundary"), "boundary"};
  }
  if (auto it = j.find("scps"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) throw LineError{"/scps: expected an array of levels"};
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& level = (*it)[i];
      const std::string p = "/scps/" + std::to_string(i);
      const std::string id = "scps[" + std::to_string(i) + "]";
      std::vector<eval::SourcedPolicy> docs;
      if (level.is_array()) {
        for (std::size_t k = 0; k < level.size(); ++k) {
          docs.push_back({line_doc(store, level[k], p + "/" + std::to_string(k)), id + "[" + std::to_string(k) + "]"});
        }
      } else {
        docs.push_back({line_doc(store, level, p), id});
      }
      set.scp_levels.push_back(std::move(docs));
    }
  }
  if (auto it = j.find("endpoint_policy"); it != j.end() && !it->is_null()) {
    set.endpoint = eval::SourcedPolicy{line_doc(store, *it, "/endpoint_policy"), "endpoint_policy"};
  }
  eval::Request req;
  auto action = optional_string(j, "action");
  if (!action) throw LineError{"/action: missing"};
  req.action = *action;
  req.resource = optional_string(j, "resource").value_or("*");
  req.resource_account = optional_string(j, "resource_account");
  req.principal_arn = optional_string(j, "principal");
  if (auto it = j.find("context"); it != j.end() && !it->is_null()) read_context(*it, req);
  eval::add_derived_keys(req);
  eval::Result r = eval::evaluate(set, req);
  for (auto& m : r.matched) m.statement = nullptr;  // the documents end here
  return r;
}

// ---- output ---------------------------------------------------------------------------------

namespace {

void append_number(std::string& out, std::size_t n) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

// A JSON string as nlohmann's dump(-1, ' ', false, replace) writes it: printable ASCII without
// '"' and '\' is copied, anything else goes through nlohmann itself.
void append_string(std::string& out, std::string_view s) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  });
  if (plain) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

}  // namespace

void append_result(std::string& out, std::size_t line, const eval::Result& r) {
  out += "{\"line\":";
  append_number(out, line);
  out += ",\"EvalDecision\":\"";
  out += eval::to_string(r.decision);
  out += "\",\"MatchedStatements\":[";
  for (std::size_t i = 0; i < r.matched.size(); ++i) {
    const auto& m = r.matched[i];
    if (i > 0) out += ',';
    out += "{\"SourcePolicyId\":";
    append_string(out, m.source_id);
    out += ",\"SourcePolicyType\":\"";
    out += eval::to_string(m.type);
    out += "\",\"Sid\":";
    if (m.sid) {
      append_string(out, *m.sid);
    } else {
      out += "null";
    }
    out += ",\"Index\":";
    append_number(out, m.index);
    out += '}';
  }
  out += "]}\n";
}

void append_error(std::string& out, std::size_t line, const std::string& message) {
  out += "{\"line\":";
  append_number(out, line);
  out += ",\"error\":";
  append_string(out, message);
  out += "}\n";
}

}  // namespace batch_detail

namespace {

using batch_detail::LineError;
using nlohmann::json;

// Does the text start as a JSON value does? nlohmann skips a byte order mark at the start of
// its input: a text cut from a line must not have one.
bool starts_value(std::string_view text) {
  if (text.empty()) return false;
  const char c = text.front();
  return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
}

// ---- the document cache ---------------------------------------------------------------------

// Policy documents parsed once per run, shared by the threads, keyed by their exact JSON text
// (an object or a JSON string, as written in the line). A text parses the same wherever it is,
// so equal texts give equal documents; a text that does not parse (or might not, see
// `parse`) is kept as rejected and sends its lines to the exact path, which reports the error
// at its place in the line each time. Entries are never changed or removed while lines are
// evaluated: lookups compare texts outside the lock.
class DocumentCache {
 public:
  // Never changed once in the index: lookups read it without the lock.
  struct Entry {
    std::string text;
    std::unique_ptr<const model::PolicyDocument> doc;  // null: rejected
    const Entry* next = nullptr;                        // the bucket's other entries
    const Entry* next_by_start = nullptr;               // the same for by_start_
  };

  // The document whose text `rest` (a line from a value on) starts with, among the documents
  // of kStart bytes or more that parsed, or nullptr: the AWS managed documents of a line are
  // found without reading them to their end first, at the cost of one comparison. A document's
  // text is a whole JSON value, so the value there is that document whatever follows it.
  const Entry* known_prefix(std::string_view rest) {
    if (rest.size() < kStart) return nullptr;
    const std::uint64_t h = start_hash(rest);
    const Entry* first = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = by_start_.find(h); it != by_start_.end()) first = it->second;
    }
    for (const Entry* e = first; e != nullptr; e = e->next_by_start) {
      if (e->text.size() <= rest.size() && std::memcmp(rest.data(), e->text.data(), e->text.size()) == 0) return e;
    }
    return nullptr;
  }

  // The document of `text` (a value's text in a line, exactly), or nullptr if rejected. `dom`
  // is the calling thread's parser.
  const model::PolicyDocument* get(std::string_view text, simdjson::dom::parser& dom) {
    const std::uint64_t h = sample_hash(text);
    const Entry* first = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = index_.find(h); it != index_.end()) first = it->second;
    }
    for (const Entry* e = first; e != nullptr; e = e->next) {
      if (e->text == text) return e->doc.get();
    }
    auto entry = std::make_unique<Entry>();
    entry->text = std::string(text);
    entry->doc = parse(entry->text, dom);
    std::lock_guard<std::mutex> lock(mutex_);
    const Entry*& head = index_[h];
    for (const Entry* e = head; e != first && e != nullptr; e = e->next) {
      if (e->text == text) return e->doc.get();  // another thread was first
    }
    entry->next = head;
    head = entry.get();
    if (entry->doc && entry->text.size() >= kStart) {
      const Entry*& start = by_start_[start_hash(entry->text)];
      entry->next_by_start = start;
      start = entry.get();
    }
    bytes_ += entry->text.size();
    entries_.push_back(std::move(entry));
    return head->doc.get();
  }

  // Between blocks (no lookup running): forget everything once the texts exceed the budget,
  // so that a run over many distinct documents keeps a bounded memory.
  void trim() {
    if (bytes_ > kBudget) {
      index_.clear();
      by_start_.clear();
      entries_.clear();
      bytes_ = 0;
    }
  }

 private:
  static constexpr std::size_t kStart = 256;  // bytes that known_prefix hashes
  static constexpr std::size_t kBudget = 16u << 20;  // bytes of text (the 1,594 AWS managed documents: 3.2 MB)

  // Hashes the length and at most 320 bytes of the text (its ends and a sample across it):
  // cheap on AWS managed documents of 100 KB; equality is then checked on the whole text.
  static std::uint64_t sample_hash(std::string_view text) {
    const std::size_t n = text.size();
    if (n <= 320) return std::hash<std::string_view>{}(text);
    char sample[320];
    std::memcpy(sample, text.data(), 128);
    std::memcpy(sample + 128, text.data() + n - 128, 128);
    const std::size_t stride = (n - 256) / 64;
    for (std::size_t i = 0; i < 64; ++i) sample[256 + i] = text[128 + i * stride];
    return std::hash<std::string_view>{}(std::string_view(sample, sizeof sample)) ^ (n * 0x9e3779b97f4a7c15ULL);
  }

  // Mixes 8 words spread over the first kStart bytes: a document's start, to find candidates.
  static std::uint64_t start_hash(std::string_view text) {
    std::uint64_t h = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i * (kStart - 8) / 7, sizeof word);
      h = (h ^ word) * 0x9e3779b97f4a7c15ULL;
      h ^= h >> 29;
    }
    return h;
  }

  // The exact path's parse of a document, from its own text: model::parse_json_text (valid
  // JSON, no duplicate member, numbers in range) then model::parse_policy_json. In a line the
  // document sits at most 3 levels deep (/scps/i/j), so it may nest 1021 levels, not 1024.
  // simdjson reads the text first: a plain document goes straight to the model
  // (policy_from_simdjson), others through nlohmann's value built from simdjson's (to_json),
  // and nlohmann reads the text itself only when simdjson cannot give its value or rejects the
  // text. Each way gives the same document, or none.
  static std::unique_ptr<const model::PolicyDocument> parse(const std::string& text, simdjson::dom::parser& dom) {
    constexpr std::size_t kRoom = model::kMaxJsonDepth - 3;
    try {
      if (!starts_value(text)) return nullptr;
      simdjson::dom::element root;
      const bool read = dom.parse(text).get(root) == simdjson::SUCCESS;
      if (read) {
        if (auto doc = policy_from_simdjson(root)) return std::make_unique<const model::PolicyDocument>(std::move(*doc));
      }
      json j;
      if (!read || !to_json(root, j, kRoom)) {
        if (model::json_too_deep_at(text, kRoom)) return nullptr;
        j = model::parse_json_text(text, "");
      }
      return std::make_unique<const model::PolicyDocument>(model::parse_policy_json(j, "", ""));
    } catch (const std::exception&) {
      return nullptr;  // the exact path says why, at the document's place in the line
    }
  }

  // simdjson's value as nlohmann's parse gives it, or false: on a number (nlohmann keeps its own
  // kind of number and prints it its own way: -0, 1.0, 1e2), a member given twice (an error
  // for model::parse_json_text), or nesting deeper than `room` levels. Strings, escapes
  // included, are the same bytes (simdjson, like nlohmann, rejects invalid UTF-8, control
  // characters and unpaired surrogates).
  static bool to_json(simdjson::dom::element e, json& out, std::size_t room) {
    using simdjson::dom::element_type;
    switch (e.type()) {
      case element_type::OBJECT: {
        if (room == 0) return false;
        out = json::object();
        auto& members = out.get_ref<json::object_t&>();
        const simdjson::dom::object object = e.get_object().value_unsafe();
        for (auto field : object) {
          json v;
          if (!to_json(field.value, v, room - 1)) return false;
          if (!members.emplace(std::string(field.key), std::move(v)).second) return false;
        }
        return true;
      }
      case element_type::ARRAY: {
        if (room == 0) return false;
        out = json::array();
        const simdjson::dom::array array = e.get_array().value_unsafe();
        for (auto item : array) {
          json v;
          if (!to_json(item, v, room - 1)) return false;
          out.push_back(std::move(v));
        }
        return true;
      }
      case element_type::STRING: out = std::string(e.get_string().value_unsafe()); return true;
      case element_type::BOOL: out = e.get_bool().value_unsafe(); return true;
      case element_type::NULL_VALUE: out = nullptr; return true;
      default: return false;  // a number
    }
  }

  std::mutex mutex_;
  std::unordered_map<std::uint64_t, const Entry*> index_;     // sample hash -> the last entry added
  std::unordered_map<std::uint64_t, const Entry*> by_start_;  // start hash -> the same
  std::vector<std::unique_ptr<Entry>> entries_;
  std::size_t bytes_ = 0;
};

// ---- the fast path --------------------------------------------------------------------------

// Gives up on the line: the exact path evaluates it.
struct NotFast {};

[[noreturn]] void give_up() { throw NotFast{}; }

// Reads a line's values off its bytes; every way out of the expected shape gives up. The
// callers check the line's skeleton ({ "name" : value , ... }, the arrays of documents, the
// context object) token by token; every other value's text is checked as the exact path would
// check it (through model::parse_json_text, or DocumentCache::parse for documents) or is the
// text of a document that was. So a line the fast path takes is one that nlohmann reads whole,
// with the same values: JSON's grammar cuts a valid text into its values in one way only.
class Cursor {
 public:
  Cursor(const char* data, std::size_t size) : p_(data), end_(data + size) {}

  bool at(char c) {
    skip_space();
    return p_ < end_ && *p_ == c;
  }
  void expect(char c) {
    if (!at(c)) give_up();
    ++p_;
  }
  bool at_end() {
    skip_space();
    return p_ == end_;
  }
  const char* mark() const { return p_; }
  void reset(const char* mark) { p_ = mark; }
  // The line from the next value on.
  std::string_view rest() {
    skip_space();
    return std::string_view(p_, static_cast<std::size_t>(end_ - p_));
  }
  void skip(std::size_t n) { p_ += n; }

  // The text of the next value; moves past it. Only its extent is found here (strings and
  // nesting followed): whether it is valid is for the caller to check.
  std::string_view value() {
    skip_space();
    if (p_ == end_) give_up();
    const char* start = p_;
    const char c = *p_;
    if (c == '{' || c == '[') {
      std::size_t depth = 0;
      while (p_ < end_) {
        const char t = *p_++;
        if (t == '"') {
          skip_string();
        } else if (t == '{' || t == '[') {
          ++depth;
        } else if ((t == '}' || t == ']') && --depth == 0) {
          return std::string_view(start, static_cast<std::size_t>(p_ - start));
        }
      }
      give_up();  // not closed
    }
    if (c == '"') {
      ++p_;
      skip_string();
      return std::string_view(start, static_cast<std::size_t>(p_ - start));
    }
    // Any other scalar (true, 12, or anything that is not JSON): up to whitespace or punctuation.
    while (p_ < end_ && !is_space(*p_) && !is_punctuation(*p_)) ++p_;
    if (p_ == start) give_up();  // , : } ]
    return std::string_view(start, static_cast<std::size_t>(p_ - start));
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
  static bool is_punctuation(char c) {
    return c == ',' || c == ':' || c == '{' || c == '}' || c == '[' || c == ']' || c == '"';
  }
  void skip_space() {
    while (p_ < end_ && is_space(*p_)) ++p_;
  }
  // From after an opening quote to after its closing quote.
  void skip_string() {
    while (p_ < end_) {
      const char t = *p_++;
      if (t == '"') return;
      if (t == '\\') ++p_;
    }
    give_up();  // not closed
  }

  const char* p_;
  const char* end_;
};

// A value's JSON text as nlohmann reads it: valid JSON, no duplicate member, at most `room`
// levels deep (what the line's 1024 leaves at the value's depth).
json small_value(std::string_view text, std::size_t room) {
  try {
    if (!starts_value(text) || model::json_too_deep_at(text, room)) give_up();
    return model::parse_json_text(std::string(text), "");
  } catch (const std::exception&) {
    give_up();
  }
}

// The characters of a JSON string's text when they are printable ASCII without escapes (so
// valid as they are), else nullopt.
std::optional<std::string_view> plain_string(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::nullopt;
  const std::string_view inner = text.substr(1, text.size() - 2);
  for (char c : inner) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return std::nullopt;
  }
  return inner;
}

// A string member (action, resource...) from its text: null -> nullopt.
std::optional<std::string> string_member(std::string_view text) {
  if (text == "null") return std::nullopt;
  if (auto plain = plain_string(text)) return std::string(*plain);
  const json j = small_value(text, model::kMaxJsonDepth - 1);
  if (!j.is_string()) give_up();  // the exact path: "expected a string"
  return j.get<std::string>();
}

// The "context" object in its usual shape, read off the cursor: plain names (see plain_string),
// each with a plain string, true, false or an array of those. Sets what read_context would
// set (members in bytewise order of their names, as nlohmann's object iterates them) and returns
// true; false, with the request unchanged, for any other shape (numbers, which nlohmann prints
// its own way, among them): the caller then reads the member through nlohmann.
bool plain_context(Cursor& w, eval::Request& req) {
  auto scalar = [](std::string_view text) -> std::optional<std::string> {
    if (text == "true" || text == "false") return std::string(text);
    if (auto plain = plain_string(text)) return std::string(*plain);
    return std::nullopt;
  };
  std::vector<std::pair<std::string_view, std::vector<std::string>>> members;
  w.expect('{');
  while (!w.at('}')) {
    if (!members.empty()) w.expect(',');
    const auto name = plain_string(w.value());
    if (!name) return false;
    w.expect(':');
    std::vector<std::string> values;
    if (w.at('[')) {
      w.expect('[');
      while (!w.at(']')) {
        if (!values.empty()) w.expect(',');
        auto v = scalar(w.value());
        if (!v) return false;
        values.push_back(std::move(*v));
      }
      w.expect(']');
    } else {
      auto v = scalar(w.value());
      if (!v) return false;
      values.push_back(std::move(*v));
    }
    members.emplace_back(*name, std::move(values));
  }
  w.expect('}');
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < members.size(); ++i) {
    if (members[i].first == members[i - 1].first) give_up();  // a member twice: the exact path's error
  }
  for (auto& [name, values] : members) req.context.set(name, std::move(values));
  return true;
}

// What a thread keeps from line to line.
struct Worker {
  simdjson::dom::parser dom;  // for documents the cache has not seen
};

// The fast path of one line (see simulate_batch.hpp); throws NotFast to leave the line to the
// exact path.
eval::Result evaluate_line_fast(Worker& worker, DocumentCache& cache, const char* data, std::size_t size) {
  Cursor w(data, size);

  // The document that is the next value: a known one (of 256 bytes or more) is recognised by
  // its text, which the line goes on with, and skipped; others are read to their end first.
  auto document = [&]() {
    const model::PolicyDocument* d = nullptr;
    if (const auto* known = cache.known_prefix(w.rest())) {
      w.skip(known->text.size());
      d = known->doc.get();
    } else {
      d = cache.get(w.value(), worker.dom);
    }
    if (d == nullptr) give_up();  // not a document, or a bad one: the exact path's error
    return d;
  };
  // An array: element() reads each element, in order.
  auto array = [&](auto&& element) {
    w.expect('[');
    if (w.at(']')) {
      w.expect(']');
      return;
    }
    for (;;) {
      element();
      if (!w.at(',')) break;
      w.expect(',');
    }
    w.expect(']');
  };

  eval::PolicySet set;
  eval::Request req;
  bool has_action = false;
  std::vector<std::string_view> seen;  // member names: a second copy is an error
  w.expect('{');
  while (!w.at('}')) {
    if (!seen.empty()) w.expect(',');
    // Member names that are not plain (an escape, non-ASCII) are left to the exact path: none
    // that vpcgate knows is.
    const auto name = plain_string(w.value());
    if (!name || std::find(seen.begin(), seen.end(), *name) != seen.end()) give_up();
    seen.push_back(*name);
    w.expect(':');
    if (*name == "policies" || *name == "scps") {
      if (!w.at('[')) {
        if (w.value() != "null") give_up();  // the exact path: "expected an array"
        continue;
      }
      const bool scps = *name == "scps";
      std::size_t i = 0;
      array([&] {
        if (!scps) {
          set.identity.push_back({document(), "policies[" + std::to_string(i++) + "]"});
          return;
        }
        // An SCP level: a document, or an array of documents.
        const std::string id = "scps[" + std::to_string(i++) + "]";
        std::vector<eval::SourcedPolicy> level;
        if (w.at('[')) {
          std::size_t k = 0;
          array([&] { level.push_back({document(), id + "[" + std::to_string(k++) + "]"}); });
        } else {
          level.push_back({document(), id});
        }
        set.scp_levels.push_back(std::move(level));
      });
      continue;
    }
    if (*name == "context" && w.at('{')) {
      const char* mark = w.mark();
      if (plain_context(w, req)) continue;
      w.reset(mark);  // not the plain shape: read below through nlohmann
    }
    if (*name == "resource_policy" || *name == "boundary" || *name == "endpoint_policy") {
      if (w.at('n')) {
        if (w.value() != "null") give_up();
        continue;
      }
      eval::SourcedPolicy p{document(), std::string(*name)};
      (*name == "resource_policy" ? set.resource : *name == "boundary" ? set.boundary : set.endpoint) = std::move(p);
      continue;
    }
    const std::string_view text = w.value();
    if (*name == "action") {
      if (auto s = string_member(text)) {
        req.action = std::move(*s);
        has_action = true;
      }
    } else if (*name == "resource") {
      req.resource = string_member(text).value_or("*");
    } else if (*name == "resource_account") {
      req.resource_account = string_member(text);
    } else if (*name == "principal") {
      req.principal_arn = string_member(text);
    } else if (*name == "context") {
      if (text == "null") continue;
      try {
        batch_detail::read_context(small_value(text, model::kMaxJsonDepth - 1), req);
      } catch (const LineError&) {
        give_up();  // the exact path says why
      }
    } else {
      (void)small_value(text, model::kMaxJsonDepth - 1);  // ignored, but it must be valid
    }
  }
  w.expect('}');
  if (!w.at_end()) give_up();  // something after the object
  if (!has_action) give_up();   // the exact path: "/action: missing"
  eval::add_derived_keys(req);
  return eval::evaluate(set, req);
}

// ---- input ----------------------------------------------------------------------------------

// One request line: its number in the file (from 1, blank lines counted) and its bytes without
// the line end (a CR before the LF is removed, as before).
struct Line {
  std::size_t number = 0;
  const char* data = nullptr;
  std::size_t size = 0;
};

// The input, read in blocks of whole lines as they come (a pipe gives what it has, so results
// are not held back waiting for more input). Two buffers take turns, so that the next block can
// be read while the lines of the last one are evaluated: a block's lines stay valid until the
// second next_block() after the one that gave them. A read error ends the input, as it ended
// std::getline before.
class LineInput {
 public:
  explicit LineInput(const std::string& path) {
    if (path == "-") {
      fd_ = STDIN_FILENO;
    } else {
      fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0) throw model::InputError(path, "", std::string("cannot read the file: ") + std::strerror(errno));
      owned_ = true;
    }
  }
  ~LineInput() {
    if (owned_) ::close(fd_);
  }
  LineInput(const LineInput&) = delete;
  LineInput& operator=(const LineInput&) = delete;

  // The next lines (blank ones skipped, but counted); false once the input is exhausted.
  bool next_block(std::vector<Line>& lines) {
    lines.clear();
    if (begin_ == end_ && eof_) return false;
    // The unfinished line moves to the other buffer, then read until a line end arrives (or the
    // end of the input).
    Buffer& from = buffers_[current_];
    current_ ^= 1;
    Buffer& to = buffers_[current_];
    const std::size_t carried = end_ - begin_;
    if (to.size < carried + kChunk) to.grow(std::max(carried + kChunk, 2 * to.size), 0);
    if (carried > 0) std::memcpy(to.data.get(), from.data.get() + begin_, carried);
    begin_ = 0;
    end_ = carried;
    std::size_t scanned = 0;
    while (!eof_) {
      if (to.size - end_ < kChunk / 2) to.grow(2 * to.size, end_);  // a line longer than the buffer
      const ssize_t n = ::read(fd_, to.data.get() + end_, to.size - end_);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        eof_ = true;
        break;
      }
      end_ += static_cast<std::size_t>(n);
      if (std::memchr(to.data.get() + scanned, '\n', end_ - scanned) != nullptr) break;
      scanned = end_;
    }
    // Split: std::getline's lines, the last one may lack its LF.
    const char* p = to.data.get();
    const char* const stop = p + end_;
    while (p < stop) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(stop - p)));
      if (nl == nullptr && !eof_) break;  // unfinished: the next block
      const char* e = nl != nullptr ? nl : stop;
      Line line{++number_, p, static_cast<std::size_t>(e - p)};
      if (line.size > 0 && line.data[line.size - 1] == '\r') --line.size;
      const bool blank = std::all_of(line.data, line.data + line.size,
                                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
      if (!blank) lines.push_back(line);
      p = nl != nullptr ? nl + 1 : stop;
    }
    begin_ = static_cast<std::size_t>(p - to.data.get());
    return true;
  }

 private:
  struct Buffer {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;  // bytes of input it can hold

    // Room for `bigger` bytes, keeping the first `keep` (not zeroed: read() fills it).
    void grow(std::size_t bigger, std::size_t keep) {
      std::unique_ptr<char[]> fresh(new char[bigger]);
      if (keep > 0) std::memcpy(fresh.get(), data.get(), keep);
      data = std::move(fresh);
      size = bigger;
    }
  };

  static constexpr std::size_t kChunk = 1u << 18;  // 256 KB: a block stays in the core's cache
  int fd_ = -1;
  bool owned_ = false;
  bool eof_ = false;
  Buffer buffers_[2];
  int current_ = 0;        // the buffer of the last block
  std::size_t begin_ = 0;  // in it: first byte not yet handed out
  std::size_t end_ = 0;    // in it: end of the bytes read
  std::size_t number_ = 0;
};

// One line's output line, from the fast path or else the exact path; `bad` is set for an
// error line.
std::string output_line(Worker& worker, DocumentCache& cache, const Line& line, char& bad) {
  std::string out;
  try {
    eval::Result r;
    try {
      r = evaluate_line_fast(worker, cache, line.data, line.size);
    } catch (const NotFast&) {
      r = batch_detail::evaluate_line_exact(std::string(line.data, line.size));
    }
    batch_detail::append_result(out, line.number, r);
  } catch (const LineError& e) {
    batch_detail::append_error(out, line.number, e.message);
    bad = 1;
  }
  return out;
}

// ---- threads --------------------------------------------------------------------------------

// How many threads evaluate lines: model::thread_budget, at most 64.
std::size_t thread_count() { return model::thread_budget(64); }

// Runs job(thread, i) for i in [0, count) on `threads` threads, the calling one included (it is
// thread 0): start() sets the other threads on it, finish() takes part and returns when every i
// is done, so the calling thread can do something else in between. The threads live as long as
// the pool. A block of lines takes a fraction of a millisecond, and waking a sleeping thread
// (a virtual CPU, here) takes about as long: so a thread that runs out of work spins for a
// moment (kSpin) before it sleeps, and is there when the next block starts.
class Pool {
 public:
  Pool(std::size_t threads, std::function<void(std::size_t, std::size_t)> job) : job_(std::move(job)) {
    for (std::size_t t = 1; t < threads; ++t) threads_.emplace_back([this, t] { serve(t); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  void start(std::size_t count) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      count_ = count;
      next_ = 0;
      busy_ = threads_.size();
      round_.store(round_.load() + 1, std::memory_order_release);  // publishes count_ and next_
    }
    wake_.notify_all();
  }
  void finish() {
    work(0);
    spin([this] { return busy_.load(std::memory_order_acquire) == 0; });
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return busy_ == 0; });
  }

 private:
  static constexpr auto kSpin = std::chrono::microseconds(100);

  // Polls `ready` for up to kSpin.
  template <typename Ready>
  static void spin(Ready ready) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    while (!ready() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
  }
  void work(std::size_t thread) {
    for (std::size_t i; (i = next_.fetch_add(1)) < count_;) job_(thread, i);
  }
  void serve(std::size_t thread) {
    std::size_t seen = 0;
    for (;;) {
      spin([&] { return round_.load(std::memory_order_acquire) != seen; });
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || round_ != seen; });
        if (stop_) return;
        seen = round_;
      }
      work(thread);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        busy_.fetch_sub(1, std::memory_order_acq_rel);  // publishes this thread's outputs
      }
      done_.notify_one();
    }
  }

  std::function<void(std::size_t, std::size_t)> job_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  bool stop_ = false;
  std::atomic<std::size_t> round_{0};
  std::atomic<std::size_t> busy_{0};
  std::size_t count_ = 0;
  std::atomic<std::size_t> next_{0};
};

}  // namespace

int run_requests(const std::string& path) {
  LineInput input(path);
  const std::size_t threads = thread_count();
  // Never destroyed: freeing thousands of documents one by one when the run ends costs about
  // as much as parsing them did; the process ends right after the run and returns the memory
  // at once. (The cache may serve another run of this process: a text gives the same document.)
  static DocumentCache& cache = *new DocumentCache;
  std::vector<Worker> workers(threads);

  // A block of lines and, per line, its output line, whether it is an error line, or the
  // exception that stopped it (one that is not about the line, such as running out of memory:
  // the run ends there, after the lines before it, as when lines were evaluated one by one).
  struct Block {
    std::vector<Line> lines;
    std::vector<std::string> outputs;
    std::vector<char> bad;  // not vector<bool>: threads write neighbouring elements
    std::vector<std::exception_ptr> failures;
  };
  Block blocks[2];
  Block* evaluated = nullptr;  // the block the pool works on
  Pool pool(threads, [&](std::size_t thread, std::size_t i) {
    Block& b = *evaluated;
    try {
      b.outputs[i] = output_line(workers[thread], cache, b.lines[i], b.bad[i]);
    } catch (...) {
      b.failures[i] = std::current_exception();
    }
  });

  // Block k is evaluated while block k + 1 is read; then k is printed, in input order.
  int status = 0;
  std::string text;
  std::size_t k = 0;
  bool more = input.next_block(blocks[0].lines);
  while (more) {
    Block& b = blocks[k % 2];
    b.outputs.assign(b.lines.size(), std::string());
    b.bad.assign(b.lines.size(), 0);
    b.failures.assign(b.lines.size(), nullptr);
    evaluated = &b;
    pool.start(b.lines.size());
    more = input.next_block(blocks[(k + 1) % 2].lines);
    pool.finish();
    text.clear();
    for (std::size_t i = 0; i < b.lines.size(); ++i) {
      if (b.failures[i]) {
        std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
        std::cout.flush();
        std::rethrow_exception(b.failures[i]);
      }
      if (b.bad[i]) status = 2;
      text += b.outputs[i];
    }
    std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
    std::cout.flush();
    cache.trim();  // no line is being evaluated
    ++k;
  }
  return status;
}

}  // namespace vpcgate::cli
