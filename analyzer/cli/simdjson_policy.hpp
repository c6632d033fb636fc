#pragma once
// A policy document read straight off simdjson's DOM, for `simulate --requests`
// (simulate_batch.cpp), which meets thousands of distinct small documents: the same
// model::PolicyDocument that model::parse_policy_json gives for the same JSON text, without
// building nlohmann's tree and the error places first: simdjson's parse and this reader take
// 12 ms for the 1,594 AWS managed documents of data/ (3.2 MB), nlohmann's parse and
// model::parse_policy_json 70 ms.
//
// It follows model/policy.cpp's grammar (parse_document, parse_statement, parse_principal,
// parse_conditions, parse_operator) for the documents that grammar accepts, and gives up
// (nullopt) on anything else: a document held in a JSON string or an AWS CLI wrapper, a number
// (nlohmann prints numbers its own way), a member given twice, a container under a statement's
// "Id", and every error. The caller then uses model::parse_policy_json, which decides: so this
// never decides an error or a message. tests/cli/simdjson_policy_test.cpp checks it against
// model::parse_policy_json on the 1,594 AWS managed documents and on edge cases; a change to
// the grammar in model/policy.cpp must be made here too.
#include <optional>

#include <simdjson.h>

#include "model/policy.hpp"

namespace vpcgate::cli {

std::optional<model::PolicyDocument> policy_from_simdjson(simdjson::dom::element doc);

}  // namespace vpcgate::cli
