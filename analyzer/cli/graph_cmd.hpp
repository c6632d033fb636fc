#pragma once
// `vpcgate graph PATH... [--format dot|json] [--finding ID]`: the loaded graph for Graphviz or
// other tools; with --finding, only the subjects a finding's evidence names.
#include <set>
#include <string>

#include <CLI/CLI.hpp>

#include "analyzer/graph/graph.hpp"

namespace vpcgate::cli {

void register_graph(CLI::App& app, int& exit_code);

// The graph (or, with a non-empty `only`, the vertices whose IDs it holds and the edges between
// them) as DOT or JSON. Deterministic: vertices sorted by ID, edges by (from, to, kind, reason).
std::string render_graph_dot(const graph::Graph& g, const std::set<std::string>& only = {});
std::string render_graph_json(const graph::Graph& g, const std::set<std::string>& only = {});

}  // namespace vpcgate::cli
