// The receive side of a libcurl handle, over loopback: a response is received into the calling
// thread's body buffer (so a response like the last one needs no new memory), and one that grew
// past the buffer's bound is not kept by the thread once handed back.
#include <gtest/gtest.h>

#include <string>

#include "body_buffer.hpp"
#include "http/curl_easy.hpp"
#include "http/curl_handle.hpp"
#include "json_reader.hpp"
#include "protocol/limits.hpp"
#include "scripted_server.hpp"

namespace {

using snapstate::detail::CurlHandle;
using snapstate::detail::HttpRequest;
using snapstate::detail::Method;

struct Handle {
  Handle() {
    snapstate::detail::curl_global_init_once();
    options.api_key = "snp_test";
    options.user_agent = "snapstate-test";
    wire.receive_padding = snapstate::detail::kJsonPadding;
  }
  snapstate::detail::TransferResult get(const std::string& url) {
    HttpRequest request;
    request.method = Method::get;
    request.url = url + "/health";
    return handle.perform(request,
                          {std::chrono::milliseconds(5000), std::chrono::milliseconds(5000)});
  }
  snapstate::ClientOptions options;
  snapstate::detail::WireSettings wire;
  CurlHandle handle{options, wire};
};

TEST(CurlHandleReceive, AResponseIsReceivedIntoTheThreadsBodyBuffer) {
  snapstate::testing::ScriptedServer server;
  server.enqueue_json(200, R"({"status":"ok"})");
  Handle h;
  std::string spare;
  spare.reserve(200000);
  const std::size_t capacity = spare.capacity();
  snapstate::detail::recycle_body_buffer(std::move(spare));

  const auto result = h.get(server.base_url());
  ASSERT_EQ(result.code, CURLE_OK) << h.handle.error_text();
  auto& response = h.handle.response();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"status":"ok"})");
  EXPECT_EQ(response.body.capacity(), capacity) << "no new buffer for a body that fits";
}

TEST(CurlHandleReceive, AnOutsizedBodyIsNotKeptByTheThread) {
  snapstate::testing::ScriptedServer server;
  const std::string big(2 * snapstate::protocol::kMaxBodyBytes + 4096, 'x');
  server.enqueue_json(200, "\"" + big + "\"");
  Handle h;
  ASSERT_EQ(h.get(server.base_url()).code, CURLE_OK) << h.handle.error_text();
  std::string body = std::move(h.handle.response().body);
  EXPECT_EQ(body.size(), big.size() + 2);
  snapstate::detail::recycle_body_buffer(std::move(body));  // as a decoder does once done
  EXPECT_LE(snapstate::detail::take_body_buffer().capacity(),
            2 * snapstate::protocol::kMaxBodyBytes)
      << "the thread keeps at most twice the body limit";
}

}  // namespace
