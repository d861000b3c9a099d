// The naive reference's decoding: nlohmann::json::parse, then fields moved into plain structs,
// the way the client moves them into its typed results.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

struct NaiveCheckpoint {
  std::string checkpoint_id;
  std::int64_t step = 0;
  std::optional<std::string> label;
  nlohmann::json state, metadata;
  std::string created_at;
};

inline NaiveCheckpoint naive_checkpoint(nlohmann::json& doc) {
  NaiveCheckpoint c;
  c.checkpoint_id = std::move(doc.at("checkpoint_id").get_ref<std::string&>());
  c.step = doc.at("step").get<std::int64_t>();
  if (doc.at("label").is_string()) c.label = std::move(doc["label"].get_ref<std::string&>());
  c.state = std::move(doc.at("state"));
  c.metadata = std::move(doc.at("metadata"));
  c.created_at = std::move(doc.at("created_at").get_ref<std::string&>());
  return c;
}

}  // namespace bench
