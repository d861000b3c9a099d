// Node.js as a test oracle: what JavaScript itself says, for the parts of the protocol that
// are JavaScript's (number spelling, JSON.stringify, key order). A missing node is a failure
// of the calling test, never a skip (Debian's nodejs is installed by tools/scripts/setup.sh).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace snapstate::testing {

// Runs `script` (JavaScript) with node on `input` (one item per line, the file's path in
// process.argv[2]) and returns what it printed, line by line. Fails the calling test (ASSERT)
// and returns nothing when node is missing or exits non-zero.
std::vector<std::string> run_node(const std::string& script, const std::vector<std::string>& input);

// A seed for a random corpus: SNAPSTATE_TEST_SEED when set, else a fresh one. Printed by the
// caller, so any failure can be repeated.
std::uint64_t corpus_seed();

}  // namespace snapstate::testing
