#pragma once
// `vpcgate graph PATH... [--format dot|json] [--finding ID]`: the loaded graph for Graphviz or
// other tools; with --finding, the evidence of one finding drawn in walk order.
#include <set>
#include <string>

#include <CLI/CLI.hpp>

#include "analyzer/graph/graph.hpp"
#include "analyzer/report/evidence_picture.hpp"
#include "analyzer/report/report.hpp"

namespace vpcgate::cli {

void register_graph(CLI::App& app, int& exit_code);

// The graph (or, with a non-empty `only`, the vertices whose IDs it holds and the edges between
// them) as DOT or JSON. Deterministic: vertices sorted by ID, edges by (from, to, kind, reason).
std::string render_graph_dot(const graph::Graph& g, const std::set<std::string>& only = {});
std::string render_graph_json(const graph::Graph& g, const std::set<std::string>& only = {});

// One finding's evidence picture (`graph --finding ID`): DOT, left to right in walk order, with
// the notes (the witness request) as note shapes; JSON as {finding, vertices, edges, notes}.
std::string render_picture_dot(const report::Picture& p, const std::string& title);
std::string render_picture_json(const report::Picture& p, const report::ReportedFinding& rf);

}  // namespace vpcgate::cli
