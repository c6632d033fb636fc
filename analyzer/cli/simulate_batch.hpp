#pragma once
// `vpcgate simulate --requests FILE`: many requests in one process, one JSON object per line with
// its policy documents inline, one result line per request, in order (CONTRACT.md).
//
// Two ways to evaluate a line, with the same output:
// - the exact path (batch_detail::evaluate_line_exact), the implementation from before: the whole
//   line through model::parse_json_text (nlohmann; duplicate members, nesting depth and number
//   range checked), every document through model::parse_policy_json. Its results and error
//   messages define the output.
// - the fast path: a cursor reads the line's members off its bytes without building a tree;
//   each document is looked up by its exact JSON text in a cache shared by the threads, so that
//   a document repeated on many lines (AWS managed documents of up to 100 KB) is parsed once per
//   run (simdjson, then policy_from_simdjson, or nlohmann and model::parse_policy_json) and is
//   then recognised in a line by one comparison. Whenever a line is not plainly valid (a JSON
//   error, a bad document, a wrong type, a missing action, a member given twice, an escape in a
//   member name...) the fast path gives up and the exact path evaluates the line: every error
//   line comes from the exact path.
// Lines are read in blocks and evaluated on VPCGATE_THREADS threads (default: every core; 1 =
// sequential); results are printed strictly in input order, the same bytes whatever the threads.
#include <string>
#include <string_view>

#include "analyzer/eval/evaluate.hpp"

namespace vpcgate::cli {

// Evaluates every non-blank line of FILE ("-": stdin) and prints its result line. Returns 0, or
// 2 when some line was bad; throws model::InputError when FILE cannot be opened.
int run_requests(const std::string& path);

namespace batch_detail {

// The exact path of one line (CR already removed): the result, or throws LineError.
struct LineError {
  std::string message;
};
eval::Result evaluate_line_exact(const std::string& line);

// One output line (with its "\n"), byte for byte what nlohmann's dump of
// {"line": N, "EvalDecision": ..., "MatchedStatements": [...]} or {"line": N, "error": ...} gives.
void append_result(std::string& out, std::size_t line, const eval::Result& r);
void append_error(std::string& out, std::size_t line, const std::string& message);

}  // namespace batch_detail

}  // namespace vpcgate::cli
