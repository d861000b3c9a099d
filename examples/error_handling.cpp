// Error handling: each failure is a typed exception derived from snapstate::SnapStateError.
#include <cstdlib>
#include <iostream>
#include <string>

#include <snapstate/snapstate.hpp>

int main() try {
  snapstate::SnapStateClient client(snapstate::ClientOptions::from_env());
  const std::string workflow_id = "error-handling-demo";

  // Refused before anything is sent: status_code() is 0.
  try {
    client.save(workflow_id, -1, {{"ok", false}});
  } catch (const snapstate::ValidationError& e) {
    std::cout << "refused locally: " << e.code() << ": " << e.what() << "\n";
  }

  // A missing checkpoint is a NotFoundError carrying the server's request id.
  try {
    client.get("cp_does-not-exist_001");
  } catch (const snapstate::NotFoundError& e) {
    std::cout << "not found (" << e.status_code() << ", request " << e.request_id()
              << "): " << e.what() << "\n";
  }

  // Saving the same step twice: the 409 tells which checkpoint exists, and its etag lets a
  // deliberate re-save go through (the server then returns the stored record).
  try {
    client.save(workflow_id, 1, {{"attempt", 1}});
  } catch (const snapstate::ConflictError&) {
    // Already there from an earlier run of this example: fine.
  }
  try {
    client.save(workflow_id, 1, {{"attempt", 2}});
  } catch (const snapstate::ConflictError& e) {
    std::cout << "conflict: " << e.what() << "; existing etag " << e.existing_etag().value_or("?")
              << "\n";
    snapstate::SaveOptions options;
    options.if_match = e.existing_etag();
    const auto stored = client.save(workflow_id, 1, {{"attempt", 2}}, options);
    std::cout << "re-save with If-Match returned the stored " << stored.checkpoint_id << "\n";
  }

  // Everything else: one catch for the whole family.
  try {
    client.resume("no-such-workflow-" + std::to_string(std::rand()));
  } catch (const snapstate::SnapStateError& e) {
    std::cout << "resume failed: " << e.code() << " (HTTP " << e.status_code() << ")\n";
  }
  return 0;
} catch (const snapstate::NetworkError& e) {
  std::cerr << "cannot reach the server: " << e.what() << "\n";
  return 1;
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
