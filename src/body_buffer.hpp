// One body buffer per thread: request bodies are written into it and response bodies received
// into it (each handed back once sent or decoded), so a large save or resume goes through
// without growing (and page-faulting) a fresh buffer every time.
#pragma once

#include <string>

namespace snapstate::detail {

// An empty string, with the capacity of the last buffer this thread gave back.
std::string take_body_buffer();

// Keeps `buffer` for this thread's next body, unless it grew past what a body may hold.
void recycle_body_buffer(std::string&& buffer) noexcept;

}  // namespace snapstate::detail
