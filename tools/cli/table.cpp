#include "table.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <ostream>

#include "diff.hpp"
#include "safe_text.hpp"

namespace snapstate_cli {
namespace {

std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

// What a cell shows: the text as a terminal shows it, "-" for nothing (or nothing left).
std::string cell(std::string_view text) {
  std::string safe = terminal_safe(text);
  return safe.empty() ? "-" : safe;
}

std::string or_empty(const std::optional<std::string>& text) {
  return text.value_or("");
}

std::string human_size(std::int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  const std::int64_t tenths = bytes * 10 / 1024;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " KiB";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::string pretty(const nlohmann::json& json) {
  return escape_c1(json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

void print_state(std::ostream& out, const nlohmann::json& state) {
  out << "state:\n" << pretty(state) << '\n';
}

}  // namespace

void Table::print(std::ostream& out) const {
  std::vector<std::vector<std::string>> safe_rows;
  for (const auto& row : rows) {
    auto& safe = safe_rows.emplace_back();
    for (const auto& text : row) safe.push_back(cell(text));
  }
  std::vector<std::size_t> widths(headers.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  };
  measure(headers);
  for (const auto& row : safe_rows) measure(row);
  auto line = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      out << row[i];
      if (i + 1 < row.size()) out << std::string(widths[i] - display_width(row[i]) + 2, ' ');
    }
    out << '\n';
  };
  line(headers);
  for (const auto& row : safe_rows) line(row);
}

void print_fields(std::ostream& out,
                  const std::vector<std::pair<std::string, std::string>>& fields) {
  std::size_t width = 0;
  for (const auto& field : fields) width = std::max(width, field.first.size());
  for (const auto& [name, value] : fields) {
    out << name << std::string(width - name.size() + 2, ' ') << cell(value) << '\n';
  }
}

void render(std::ostream& out, const snapstate::SaveResult& result) {
  print_fields(out, {{"checkpoint_id", result.checkpoint_id},
                     {"workflow_id", result.workflow_id},
                     {"step", std::to_string(result.step)},
                     {"etag", result.etag},
                     {"created_at", result.created_at},
                     {"size", human_size(result.size_bytes)},
                     {"diff", format_diff(result.diff_from_previous)}});
}

void render(std::ostream& out, const snapstate::Checkpoint& checkpoint) {
  print_fields(
      out, {{"checkpoint_id", checkpoint.checkpoint_id},
            {"workflow_id", checkpoint.workflow_id},
            {"step", std::to_string(checkpoint.step)},
            {"label", or_empty(checkpoint.label)},
            {"agent", or_empty(checkpoint.agent_id)},
            {"etag", or_empty(checkpoint.etag)},
            {"created_at", or_empty(checkpoint.created_at)},
            {"size", human_size(checkpoint.size_bytes.value_or(state_size(checkpoint.state)))},
            {"diff",
             checkpoint.diff_from_previous ? format_diff(*checkpoint.diff_from_previous) : "-"}});
  print_state(out, checkpoint.state);
}

void render(std::ostream& out, const snapstate::WorkflowResume& resume) {
  const auto& latest = resume.latest_checkpoint;
  print_fields(out, {{"workflow_id", resume.workflow_id},
                     {"total_checkpoints", std::to_string(resume.total_checkpoints)},
                     {"workflow_started_at", or_empty(resume.workflow_started_at)},
                     {"last_activity_at", or_empty(resume.last_activity_at)},
                     {"latest checkpoint", latest.checkpoint_id},
                     {"step", std::to_string(latest.step)},
                     {"label", or_empty(latest.label)},
                     {"agent", or_empty(latest.agent_id)},
                     {"created_at", or_empty(latest.created_at)},
                     {"size", human_size(state_size(latest.state))},
                     {"next step", std::to_string(latest.step + 1)}});
  print_state(out, latest.state);
}

void render_timeline(std::ostream& out, const snapstate::WorkflowReplay& replay,
                     bool starts_at_first_write) {
  out << "workflow " << cell(replay.workflow_id) << ": " << replay.checkpoints.size()
      << (replay.checkpoints.size() == 1 ? " checkpoint" : " checkpoints") << '\n';
  Table table{{"step", "label", "agent", "created_at", "size", "diff"}, {}};
  // The previous row's state_text; "{}" when the first row is the workflow's first write,
  // empty when rows before it may be hidden (its diff is then unknown, not invented).
  std::string previous = starts_at_first_write ? "{}" : "";
  for (const auto& checkpoint : replay.checkpoints) {
    std::string state = state_text(checkpoint.state);
    const std::string diff = previous.empty() ? "-" : format_diff(diff_states(previous, state));
    table.rows.push_back({std::to_string(checkpoint.step), or_empty(checkpoint.label),
                          or_empty(checkpoint.agent_id), or_empty(checkpoint.created_at),
                          human_size(static_cast<std::int64_t>(state.size())), diff});
    previous = std::move(state);
  }
  table.print(out);
}

void render(std::ostream& out, const snapstate::Agent& agent) {
  print_fields(out, {{"agent_id", agent.agent_id},
                     {"name", agent.name},
                     {"description", or_empty(agent.description)},
                     {"capabilities", join(agent.capabilities)},
                     {"metadata", agent.metadata.empty() ? "" : agent.metadata.dump()},
                     {"last_seen_at", or_empty(agent.last_seen_at)},
                     {"created_at", or_empty(agent.created_at)}});
}

void render(std::ostream& out, const std::vector<snapstate::Agent>& agents) {
  Table table{{"agent_id", "name", "capabilities", "last_seen_at", "created_at"}, {}};
  for (const auto& agent : agents) {
    table.rows.push_back({agent.agent_id, agent.name, join(agent.capabilities),
                          or_empty(agent.last_seen_at), or_empty(agent.created_at)});
  }
  table.print(out);
}

void render(std::ostream& out, const snapstate::Webhook& webhook) {
  print_fields(out, {{"webhook_id", webhook.webhook_id},
                     {"url", webhook.url},
                     {"events", join(webhook.events)},
                     {"created_at", webhook.created_at}});
}

void render(std::ostream& out, const snapstate::Health& health) {
  std::vector<std::pair<std::string, std::string>> fields{{"status", health.status}};
  if (health.raw.is_object()) {
    for (const auto& item : health.raw.items()) {
      if (item.key() == "status") continue;
      fields.emplace_back(item.key(), item.value().is_string() ? item.value().get<std::string>()
                                                               : item.value().dump());
    }
  }
  print_fields(out, fields);
}

}  // namespace snapstate_cli
