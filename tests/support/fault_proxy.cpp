#include "fault_proxy.hpp"

#include <poll.h>

#include <algorithm>
#include <cctype>

namespace snapstate::testing {

namespace {

constexpr std::chrono::milliseconds kIdle{30000};  // a connection nobody uses is let go
constexpr std::chrono::milliseconds kIo{10000};    // a peer that stops mid-message

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The value of header `name` (lower case) in `head`, or "".
std::string header(const std::string& head, const std::string& name) {
  const std::string h = lower(head);
  const auto at = h.find("\r\n" + name + ":");
  if (at == std::string::npos) return {};
  const auto begin = head.find_first_not_of(' ', at + name.size() + 3);
  return head.substr(begin, head.find("\r\n", begin) - begin);
}

// One HTTP message off `fd`: the head (with its blank line) into `head`, the body into `body`.
// `buffer` holds what was read past the previous message. False when the peer closed or broke.
bool read_message(int fd, std::string& buffer, std::string& head, std::string& body, bool response,
                  std::chrono::milliseconds first_wait) {
  std::chrono::milliseconds wait = first_wait;
  std::size_t end;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!net::recv_some(fd, buffer, wait)) return false;
    wait = kIo;
  }
  head = buffer.substr(0, end + 4);
  buffer.erase(0, end + 4);
  const std::string length = header(head, "content-length");
  std::size_t size = length.empty() ? 0 : std::stoul(length);
  if (response && head.compare(9, 3, "204") == 0) size = 0;
  while (buffer.size() < size) {
    if (!net::recv_some(fd, buffer, kIo)) return false;
  }
  body = buffer.substr(0, size);
  buffer.erase(0, size);
  return true;
}

// "METHOD /path" of a request head, the query left out.
std::string request_line(const std::string& head) {
  const auto first = head.find(' ');
  const auto second = head.find(' ', first + 1);
  std::string target = head.substr(first + 1, second - first - 1);
  return head.substr(0, first) + " " + target.substr(0, target.find('?'));
}

std::string without_expect(std::string head) {
  const std::string h = lower(head);
  const auto at = h.find("\r\nexpect:");
  if (at != std::string::npos) head.erase(at, head.find("\r\n", at + 2) - at);
  return head;
}

constexpr const char* kBadGateway =
    "HTTP/1.1 502 Bad Gateway\r\ncontent-type: application/json; charset=utf-8\r\n"
    "content-length: 53\r\nconnection: keep-alive\r\n\r\n"
    R"({"statusCode":502,"error":"Bad Gateway","message":"x"})";

}  // namespace

FaultProxy::FaultProxy(int upstream_port)
    : listener_(net::listen_tcp("127.0.0.1", 0)), upstream_port_(upstream_port) {
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
  stop_.wake();
  acceptor_.join();
  std::list<std::unique_ptr<Connection>> open;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& c : open_) net::shutdown_both(c->client.get());
    open.swap(open_);
  }
  for (auto& c : open) c->thread.join();
}

std::string FaultProxy::base_url() const {
  return "http://127.0.0.1:" + std::to_string(listener_.port());
}

void FaultProxy::inject(Fault fault, std::string match, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  rules_.push_back(Rule{fault, std::move(match), times});
}

void FaultProxy::drop_at_random(double probability, std::uint64_t seed) {
  std::lock_guard<std::mutex> lock(mutex_);
  drop_probability_ = probability;
  random_.seed(seed);
}

void FaultProxy::set_hold_for(std::chrono::milliseconds hold_for) {
  std::lock_guard<std::mutex> lock(mutex_);
  hold_for_ = hold_for;
}

std::size_t FaultProxy::forwarded_count(const std::string& prefix) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(forwarded_.begin(), forwarded_.end(),
                    [&](const std::string& line) { return line.rfind(prefix, 0) == 0; }));
}

std::size_t FaultProxy::faults() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return faults_;
}

Fault FaultProxy::fault_for(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  forwarded_.push_back(line);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (line.rfind(it->match, 0) != 0) continue;
    const Fault fault = it->fault;
    if (--it->times == 0) rules_.erase(it);
    ++faults_;
    return fault;
  }
  if (drop_probability_ > 0 &&
      std::uniform_real_distribution<double>(0, 1)(random_) < drop_probability_) {
    ++faults_;
    return Fault::drop;
  }
  return Fault::none;
}

void FaultProxy::accept_loop() {
  while (!stop_.woken()) {
    net::Fd client = listener_.accept_for(net::kForever, &stop_);
    if (!client) continue;
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = open_.begin(); it != open_.end();) {  // reap the finished
      if ((*it)->done) {
        (*it)->thread.join();
        it = open_.erase(it);
      } else {
        ++it;
      }
    }
    auto connection = std::make_unique<Connection>();
    connection->client = std::move(client);
    Connection& ref = *connection;
    open_.push_back(std::move(connection));
    ref.thread = std::thread([this, &ref] { serve(ref); });
  }
}

void FaultProxy::serve(Connection& connection) {
  const int client = connection.client.get();
  // However serving ends, the client sees its connection close at once.
  struct Closing {
    int fd;
    Connection& connection;
    ~Closing() {
      net::shutdown_both(fd);
      connection.done = true;
    }
  } closing{client, connection};
  net::Fd upstream;
  try {
    upstream = net::connect_tcp("127.0.0.1", upstream_port_);
  } catch (const std::exception&) {
    return;
  }
  std::string from_client, from_server, previous;
  std::string head, body, answer_head, answer_body;
  while (read_message(client, from_client, head, body, false, kIdle)) {
    if (lower(header(head, "expect")) == "100-continue") {
      // libcurl waits for it before sending a large body; the proxy reads the body whole.
      if (!net::send_all(client, "HTTP/1.1 100 Continue\r\n\r\n")) break;
    }
    const Fault fault = fault_for(request_line(head));
    if (!net::send_all(upstream.get(), without_expect(head) + body)) break;
    do {  // the server's own 100 Continue, if any, is not an answer
      if (!read_message(upstream.get(), from_server, answer_head, answer_body, true, kIo)) return;
    } while (answer_head.compare(9, 1, "1") == 0);
    const std::string answer = answer_head + answer_body;
    bool keep = true;
    switch (fault) {
      case Fault::none: keep = net::send_all(client, answer); break;
      case Fault::drop: keep = false; break;
      case Fault::bad_gateway: keep = net::send_all(client, kBadGateway); break;
      case Fault::hold: {
        std::chrono::milliseconds hold_for;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          hold_for = hold_for_;
        }
        pollfd stop{stop_.fd(), POLLIN, 0};
        (void)::poll(&stop, 1, static_cast<int>(hold_for.count()));
        keep = false;
        break;
      }
      case Fault::stale_duplicate:
        keep = net::send_all(client, (previous.empty() ? answer : previous) + answer);
        break;
      case Fault::stale_cut:
        if (!previous.empty()) (void)net::send_all(client, previous.substr(0, previous.size() - 1));
        keep = false;
        break;
      case Fault::idle_duplicate:
        keep = net::send_all(client, answer);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        keep = keep && net::send_all(client, answer);
        break;
    }
    previous = answer;
    if (!keep || lower(header(answer_head, "connection")) == "close") break;
  }
}

}  // namespace snapstate::testing
