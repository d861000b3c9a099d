// --format table: the results laid out for people.
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include <snapstate/types.hpp>

namespace snapstate_cli {

/// Columns padded to their widest cell (counted in code points); the last is not padded.
/// Cells are printed terminal_safe (server text cannot steer the terminal), "-" when empty.
struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  void print(std::ostream& out) const;
};

/// "name   value" lines, names aligned; values as Table cells.
void print_fields(std::ostream& out,
                  const std::vector<std::pair<std::string, std::string>>& fields);

void render(std::ostream& out, const snapstate::SaveResult& result);
void render(std::ostream& out, const snapstate::Checkpoint& checkpoint);
void render(std::ostream& out, const snapstate::WorkflowResume& resume);
/// The step timeline. Replay entries carry no diff, so each row is diffed locally against the
/// row above; the first row against nothing when `starts_at_first_write`, else "-".
void render_timeline(std::ostream& out, const snapstate::WorkflowReplay& replay,
                     bool starts_at_first_write);
void render(std::ostream& out, const snapstate::Agent& agent);
void render(std::ostream& out, const std::vector<snapstate::Agent>& agents);
void render(std::ostream& out, const snapstate::Webhook& webhook);
void render(std::ostream& out, const snapstate::Health& health);

}  // namespace snapstate_cli
