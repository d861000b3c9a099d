// Webhook receiver: a small HTTP server that receives SnapState's deliveries and checks each
// one's X-Checkpoint-Signature with verify_webhook_signature. Run against the local server, it
// registers itself, saves a checkpoint, and prints the delivery it gets.
//
//   ./webhook_receiver [PORT]      (0 or nothing: any free port)
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

#include <snapstate/snapstate.hpp>

int main(int argc, char** argv) try {
  const std::string secret = "whsec_example_secret";
  std::mutex mutex;
  std::condition_variable delivered;
  int verified = 0;

  httplib::Server receiver;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    // Verify the raw body exactly as received, before parsing it.
    const bool ok = snapstate::verify_webhook_signature(
        req.body, req.get_header_value("X-Checkpoint-Signature"), secret);
    std::cout << (ok ? "verified" : "REJECTED") << " delivery: " << req.body << "\n";
    res.status = ok ? 204 : 401;
    std::lock_guard<std::mutex> lock(mutex);
    verified += ok ? 1 : 0;
    delivered.notify_all();
  });
  const int wanted_port = argc > 1 ? std::atoi(argv[1]) : 0;
  const int port = wanted_port > 0 && receiver.bind_to_port("127.0.0.1", wanted_port)
                       ? wanted_port
                       : receiver.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { receiver.listen_after_bind(); });

  snapstate::SnapStateClient client(snapstate::ClientOptions::from_env());
  const auto hook = client.register_webhook("http://127.0.0.1:" + std::to_string(port) + "/hook",
                                            {"checkpoint.saved"}, secret);
  std::cout << "registered " << hook.webhook_id << " for " << hook.url << "\n";
  client.save("webhook-demo-" + std::to_string(std::time(nullptr)), 1, {{"hello", "webhooks"}});

  bool got_one = false;
  {
    std::unique_lock<std::mutex> lock(mutex);
    got_one = delivered.wait_for(lock, std::chrono::seconds(10), [&] { return verified > 0; });
  }
  client.delete_webhook(hook.webhook_id);
  receiver.stop();
  serving.join();
  if (!got_one) {
    std::cerr << "no verified delivery within 10 s\n";
    return 1;
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
